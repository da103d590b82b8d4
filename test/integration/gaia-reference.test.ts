/**
 * Gaia as Cohesity's reference describes it (docs/gaia-api.md), played by the simulator:
 * it refuses what Gaia refuses, so these fail if the gaia.client drifts back to guesses — a
 * boolean feedback, the singular conversation path, our own words as `statuses`, a
 * summary without its required flag — and they check what the user then sees: Gaia's
 * own message, the Security context hint, a running run shown as Indexing, names kept
 * exactly as sent.
 */
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { caught, simClient, useSimClient } from '../support/gaia';

const SPACED = '  Legal   Hold  2024 ';

const gaia = useSimClient({ extraDatasets: [{ name: SPACED }] });

afterEach(() => gaia.sim.faults.clear());

/** A raw call, as another gaia.client would make it, to see what the simulator refuses. */
async function raw(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown) {
  const { Agent } = await import('undici');
  const dispatcher = new Agent({ connect: { ca: gaia.sim.caPem } });
  try {
    const res = await request(`${gaia.sim.baseUrl}${path}`, {
      method,
      dispatcher,
      headers: { apiKey: gaia.sim.demoKey, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.body.text();
    return { status: res.statusCode, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
  } finally {
    await dispatcher.close();
  }
}

describe('the simulator refuses what Gaia refuses', () => {
  it('feedback: a boolean, an unknown field or a value outside the enum is a 422; the enum by query uid is taken', async () => {
    const { queryUid } = await gaia.client.ask({ datasetNames: ['Café Ops'], queryString: 'Who delivers the croissants?' });
    expect((await raw('POST', '/ask/feedback', { queryUid, isPositive: true })).status).toBe(422);
    expect((await raw('POST', '/ask/feedback', { queryUid, feedback: true })).status).toBe(422);
    expect((await raw('POST', '/ask/feedback', { queryUid, feedback: 'up' })).status).toBe(422);
    expect((await raw('POST', '/ask/feedback', { queryUid, feedback: 'false', comment: 'no' })).body).toMatchObject({
      detail: [{ loc: ['body', 'comment'], msg: 'extra fields not permitted' }],
    });
    expect((await raw('POST', '/ask/feedback', { feedback: 'true' })).body).toMatchObject({ detail: [{ loc: ['body', 'queryUid'], msg: 'field required' }] });
    expect((await raw('POST', '/ask/feedback', { queryUid, feedback: 'noFeedback' })).status).toBe(200);
  });

  it('asks: unknown body fields are refused; the documented ones are accepted', async () => {
    const ok = { datasetNames: ['Café Ops'], queryString: 'When does the café close?' };
    expect((await raw('POST', '/ask', { ...ok, question: 'x' })).status).toBe(422);
    expect((await raw('POST', '/ask', { ...ok, llmName: 'Claude Sonnet (simulated)', llmId: 'sim-claude', queryLanguageCode: 'en-GB', history: [], metadata: {} })).status).toBe(200);
    expect((await raw('POST', '/ask', { datasetNames: ['Café Ops'] })).status).toBe(422);
  });

  it('the summary without its required flag, our words as statuses, and the singular conversation path are refused', async () => {
    const [dataset] = (await gaia.client.listDatasetsPage({ namePrefix: 'Café Ops' })).datasets;
    const [topic] = await gaia.client.topics(dataset.id);
    expect((await raw('GET', `/dataset/${dataset.id}/discovery/${topic.uuid}/summary`)).status).toBe(422);
    expect((await raw('GET', '/datasets?statuses=healthy')).status).toBe(422);
    expect((await raw('GET', '/datasets?statuses=kHealthy')).status).toBe(200);
    const { conversationId } = await gaia.client.ask({ datasetNames: ['Café Ops'], queryString: 'When does the café close?' });
    expect((await raw('DELETE', `/conversation/${conversationId}`)).status).toBe(404);
    expect((await raw('DELETE', `/conversations/${conversationId}`)).status).toBe(204);
  });

  it('discovery without its required number of levels is refused; /ask/stream answers JSON unless asked for events', async () => {
    const [dataset] = (await gaia.client.listDatasetsPage({ namePrefix: 'Café Ops' })).datasets;
    expect((await raw('GET', `/dataset/${dataset.id}/discovery?level=1`)).status).toBe(422);
    expect((await raw('GET', `/dataset/${dataset.id}/discovery?level=1&numLevels=2`)).status).toBe(200);
    const answered = await raw('POST', '/ask/stream', { datasetNames: ['Café Ops'], queryString: 'When does the café close?' });
    expect(answered).toMatchObject({ status: 200, body: { responseString: expect.any(String), queryUid: expect.any(String) } });
  });
});

describe('what the user sees', () => {
  it("a 403 asking for a tenant context shows Gaia's message and points to the Security context field", async () => {
    gaia.sim.faults.set({ requireSecurityContext: true });
    const err = await caught(gaia.client.listDatasetsPage({}));
    expect(err.info.kind).toBe('forbidden');
    expect(err.info.message).toContain('X-GAIA-SECURITY-CTX');
    expect(err.info.serverMessage).toMatch(/tenant security context/);
    expect(err.info.action).toMatch(/Security context field/);
    expect(err.info.action).not.toMatch(/GAIA_VIEW|role/);

    const scoped = simClient(gaia.sim, gaia.log, { securityContext: 'tenant-42' });
    try {
      expect((await scoped.listDatasetsPage({ pageSize: 3 })).datasets).toHaveLength(3);
    } finally {
      await scoped.close();
    }
  });

  it('a running indexing run is Indexing with its progress even when its health says Healthy — in the list and the details', async () => {
    gaia.sim.faults.set({ runningLooksHealthy: true });
    const all = await gaia.client.listAllDatasets({});
    const hr = all.find((d) => d.name === 'HR Policies')!;
    expect(hr.health).toBe('indexing');
    expect(hr.progress).toBeGreaterThan(0);
    expect(hr.progress).toBeLessThan(100);
    expect(all.filter((d) => d.health === 'indexing').map((d) => d.name).sort()).toEqual(['Board Minutes 2024', 'HR Policies', 'M365 Mailboxes']);
    expect((await gaia.client.listAllDatasets({ statuses: ['indexing'] })).map((d) => d.name).sort()).toEqual(['Board Minutes 2024', 'HR Policies', 'M365 Mailboxes']);
    expect((await gaia.client.datasetDetails('HR Policies')).dataset).toMatchObject({ health: 'indexing', progress: hr.progress });
  });

  it('names come through exactly as Gaia sends them, and can be asked about and opened as typed', async () => {
    const found = (await gaia.client.listAllDatasets({})).find((d) => d.name.includes('Legal   Hold'));
    expect(found?.name).toBe(SPACED);
    expect((await gaia.client.datasetDetails(SPACED)).dataset.name).toBe(SPACED);
    const answer = await gaia.client.ask({ datasetNames: [SPACED], queryString: 'How long are backups kept?' });
    expect(answer.responseString.length).toBeGreaterThan(0);
  });
});
