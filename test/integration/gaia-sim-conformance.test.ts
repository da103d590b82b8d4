/**
 * The simulator against Cohesity's published shapes (docs/gaia-api.md): what it answers
 * must be what the reference and Microsoft's connector show, and what it refuses must be
 * what a FastAPI service with those models would refuse — not whatever our client sends.
 * Raw requests, so the client's own habits cannot hide a gap.
 */
import { describe, expect, it } from 'vitest';
import { KEY_SERVICE_PATH } from '../gaia-sim/server';
import { caught, capturingLog, simClient } from '../support/gaia';
import { useRawSimulator } from '../support/sim-raw';

const at = useRawSimulator();
const { raw } = at;

const ASK = { datasetNames: ['Café Ops'], queryString: 'Who delivers the croissants?' };

describe('authentication: the apiKey header, nothing else', () => {
  it('takes the key only in `apiKey`; a bearer token or another header is a 401', async () => {
    expect((await raw('GET', '/datasets?pageSize=1')).status).toBe(200);
    expect((await raw('GET', '/datasets?pageSize=1', { headers: { authorization: `Bearer ${at.sim.demoKey}` } })).status).toBe(401);
    expect((await raw('GET', '/datasets?pageSize=1', { headers: { 'x-api-key': at.sim.demoKey } })).status).toBe(401);
    expect((await raw('GET', '/datasets?pageSize=1', { headers: { apiKey: `Bearer ${at.sim.demoKey}` } })).status).toBe(401);
  });

  it('a missing, wrong or misplaced key is the Helios gateway’s 401 body; the header name is case-insensitive, as HTTP’s are', async () => {
    const unauthorized = { status: 401, body: { errorCode: 'KStatusUnauthorized' } };
    expect(await raw('GET', '/datasets?pageSize=1', { headers: {} })).toMatchObject(unauthorized);
    expect(await raw('GET', '/datasets?pageSize=1', { headers: { apiKey: 'not-a-key' } })).toMatchObject(unauthorized);
    expect(await raw('GET', `/datasets?pageSize=1&apiKey=${at.sim.demoKey}`, { headers: {} })).toMatchObject(unauthorized);
    expect((await raw('GET', '/datasets?pageSize=1', { headers: { APIKEY: at.sim.demoKey } })).status).toBe(200);
    expect(await raw('GET', `${KEY_SERVICE_PATH}/`, { atOrigin: true, headers: {} })).toMatchObject({ status: 401 });
  });

  it('privileges per the reference: feedback needs a write key (GAIA_MODIFY); deleting a conversation does not', async () => {
    const answer = (await raw('POST', '/ask', { body: ASK })).body as { queryUid: string; conversationId: string };
    const read = { apiKey: at.sim.readKey };
    expect((await raw('POST', '/ask/feedback', { headers: read, body: { queryUid: answer.queryUid, feedback: 'true' } })).status).toBe(403);
    expect((await raw('DELETE', `/conversations/${answer.conversationId}`, { headers: read })).status).toBe(204);
  });
});

describe('bodies: FastAPI refuses wrong types as it refuses unknown fields', () => {
  it('an ask whose optional fields have the wrong type is a 422 naming the field', async () => {
    for (const [field, value] of [
      ['llmId', 5],
      ['conversationId', 42],
      ['queryLanguageCode', true],
      ['llmName', ['GPT-4o (simulated)']],
      ['llm', 'gpt'],
    ] as const) {
      const res = await raw('POST', '/ask', { body: { ...ASK, [field]: value } });
      expect(res.status, field).toBe(422);
      expect(res.body, field).toMatchObject({ detail: [{ loc: ['body', field] }] });
    }
  });

  it('an ask whose history is not an array of objects, or whose metadata is not an object, is a 422 (queryllm-1 types them)', async () => {
    for (const [field, value, loc] of [
      ['history', 'asked before', ['body', 'history']],
      ['history', [{ q: 'a' }, 'b'], ['body', 'history', 1]],
      ['metadata', ['tag'], ['body', 'metadata']],
      ['datasetNames', 'Café Ops', ['body', 'datasetNames']],
    ] as const) {
      const res = await raw('POST', '/ask', { body: { ...ASK, [field]: value } });
      expect(res.status, field).toBe(422);
      expect(res.body, field).toMatchObject({ detail: [{ loc }] });
    }
    expect((await raw('POST', '/ask', { body: { ...ASK, history: [{ queryString: 'Earlier?' }], metadata: { source: 'desktop' } } })).status).toBe(200);
  });

  it('a streamed ask takes no null history (queryllmstream-1 types it "array of objects", alone without "| null"); a plain ask does', async () => {
    const res = await raw('POST', '/ask/stream', { body: { ...ASK, history: null } });
    expect(res).toMatchObject({ status: 422, body: { detail: [{ loc: ['body', 'history'], type: 'type_error.none.not_allowed' }] } });
    expect((await raw('POST', '/ask/stream', { body: { ...ASK, history: [] } })).status).toBe(200);
    expect((await raw('POST', '/ask', { body: { ...ASK, history: null } })).status).toBe(200);
  });

  it('refine: a query uid that is not a string, or document uids that are not a list of strings, are a 422 naming them (refinesources-1)', async () => {
    const { queryUid } = (await raw('POST', '/ask', { body: ASK })).body as { queryUid: string };
    for (const [body, loc, type] of [
      [{ queryUid: 7, documentUids: ['d'] }, ['body', 'queryUid'], 'type_error.str'],
      [{ queryUid, documentUids: 'd' }, ['body', 'documentUids'], 'type_error.list'],
      [{ queryUid, documentUids: ['d', 4] }, ['body', 'documentUids', 1], 'type_error.str'],
      [{ queryUid }, ['body', 'documentUids'], 'value_error.missing'],
    ] as const) {
      const res = await raw('POST', '/ask/refine', { body });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body, JSON.stringify(body)).toMatchObject({ detail: [{ loc, type }] });
    }
  });

  it('exhaustive search: the three required fields, typed; a page size that is not an integer from 1 to 100 is a 422', async () => {
    const body = { datasetName: 'Backups & Retention', queryString: 'backups', pageSize: 10 };
    for (const [patch, loc, type] of [
      [{ pageSize: 'ten' }, ['body', 'pageSize'], 'type_error.integer'],
      [{ pageSize: 0 }, ['body', 'pageSize'], 'value_error.number.not_ge'],
      [{ pageSize: 101 }, ['body', 'pageSize'], 'value_error.number.not_le'],
      [{ pageSize: undefined }, ['body', 'pageSize'], 'value_error.missing'],
      [{ datasetName: 5 }, ['body', 'datasetName'], 'type_error.str'],
      [{ conversationId: 5 }, ['body', 'conversationId'], 'type_error.str'],
    ] as const) {
      const res = await raw('PUT', '/ask/exhaustive', { body: { ...body, ...patch } });
      expect(res.status, JSON.stringify(patch)).toBe(422);
      expect(res.body, JSON.stringify(patch)).toMatchObject({ detail: [{ loc, type }] });
    }
    expect((await raw('PUT', '/ask/exhaustive', { body: { ...body, pageSize: 100 } })).status).toBe(200);
  });

  it('a query parameter the route does not know (a misspelling) is a 422 naming it, where FastAPI would silently ignore it', async () => {
    expect(await raw('GET', '/datasets?page_size=5')).toMatchObject({ status: 422, body: { detail: [{ loc: ['query', 'page_size'], type: 'value_error.extra' }] } });
    expect(await raw('GET', '/llms?all=1')).toMatchObject({ status: 422, body: { detail: [{ loc: ['query', 'all'] }] } });
    expect((await raw('POST', '/ask?stream=true', { body: ASK })).status).toBe(422);
    expect((await raw('GET', '/datasets?names=Caf&nameSubstring=ops&sortField=name&sortOrder=asc&pageSize=5')).status).toBe(200);
  });

  it('discovery: a starting level that is not an integer is a 422', async () => {
    const [dataset] = ((await raw('GET', `/datasets?names=${encodeURIComponent('Café Ops')}`)).body as { datasets: Array<{ id: string }> }).datasets;
    expect((await raw('GET', `/dataset/${dataset.id}/discovery?level=one&numLevels=2`)).body).toMatchObject({ detail: [{ loc: ['query', 'level'] }] });
    expect((await raw('GET', `/dataset/${dataset.id}/discovery?level=1&numLevels=2.0`)).body).toMatchObject({ detail: [{ loc: ['query', 'numLevels'], type: 'type_error.integer' }] });
    // Integers as pydantic reads them from text: a sign or spaces are still an integer.
    expect((await raw('GET', `/dataset/${dataset.id}/discovery?level=%2B1&numLevels=%202`)).status).toBe(200);
  });

  it('the key service refuses unknown or missing fields with FastAPI detail', async () => {
    const path = `${KEY_SERVICE_PATH}/`;
    const extra = await raw('POST', path, { atOrigin: true, body: { config: { permissions: 'read' }, name: 'laptop' } });
    expect(extra).toMatchObject({ status: 422, body: { detail: [{ loc: ['body', 'name'], msg: 'extra fields not permitted' }] } });
    const nested = await raw('POST', path, { atOrigin: true, body: { config: { permissions: 'read', expires: 1 } } });
    expect(nested).toMatchObject({ status: 422, body: { detail: [{ loc: ['body', 'config', 'expires'] }] } });
    const missing = await raw('POST', path, { atOrigin: true, body: {} });
    expect(missing).toMatchObject({ status: 422, body: { detail: [{ loc: ['body', 'config'], msg: 'field required' }] } });
  });
});

describe('what Gaia would accept is accepted', () => {
  it('feedback null is the documented default; the summary flag reads as FastAPI reads booleans', async () => {
    const answer = (await raw('POST', '/ask', { body: ASK })).body as { queryUid: string };
    expect((await raw('POST', '/ask/feedback', { body: { queryUid: answer.queryUid, feedback: null } })).status).toBe(200);
    const [dataset] = ((await raw('GET', `/datasets?names=${encodeURIComponent('Café Ops')}`)).body as { datasets: Array<{ id: string }> }).datasets;
    const { results } = (await raw('GET', `/dataset/${dataset.id}/discovery?level=1&numLevels=2`)).body as { results: Array<{ uuid: string }> };
    const summary = `/dataset/${dataset.id}/discovery/${results[0].uuid}/summary`;
    expect((await raw('GET', `${summary}?allSuggestedQuestions=1`)).status).toBe(200);
    expect((await raw('GET', `${summary}?allSuggestedQuestions=False`)).status).toBe(200);
    expect((await raw('GET', `${summary}?allSuggestedQuestions=maybe`)).status).toBe(422);
  });
});

describe('answers in the documented shapes', () => {
  it('GET /llms: every field of the connector’s LLM', async () => {
    const { llms } = (await raw('GET', '/llms')).body as { llms: Array<Record<string, unknown>> };
    for (const llm of llms) {
      expect(Object.keys(llm).sort()).toEqual(['apiVersion', 'buildType', 'deploymentName', 'id', 'isDefault', 'isDisabled', 'name', 'type', 'url']);
      expect(llm).toMatchObject({ id: expect.any(String), name: expect.any(String), isDefault: expect.any(Boolean), isDisabled: expect.any(Boolean) });
    }
  });

  it('POST /ask: the connector’s QueryResponse, documents with string objectInfo fields', async () => {
    const answer = (await raw('POST', '/ask', { body: ASK })).body as Record<string, unknown> & { documents: Array<Record<string, unknown>> };
    expect(answer).toMatchObject({ responseString: expect.any(String), queryUid: expect.any(String), status: expect.any(String), result: expect.any(String), sourceData: expect.any(Array) });
    expect(answer.documents.length).toBeGreaterThan(0);
    for (const doc of answer.documents) {
      expect(Object.keys(doc).sort()).toEqual(['absolutePath', 'baasSnapshot', 'citations', 'datasetId', 'documentId', 'folderId', 'name', 'objectInfo', 'type']);
      const info = doc.objectInfo as Record<string, unknown>;
      expect(Object.keys(info).sort()).toEqual(['cloudProvider', 'clusterIdentifier', 'environment', 'globalId', 'name', 'objectId', 'regionId']);
      for (const v of Object.values(info)) expect(typeof v).toBe('string');
      expect(doc.baasSnapshot).toMatchObject({ regionId: expect.any(String), snapshotInfo: { runInstanceId: expect.any(Number), runStartTimeUsecs: expect.any(Number) } });
      for (const c of doc.citations as Array<Record<string, unknown>>) expect(Object.keys(c).sort()).toEqual(['cosineScore', 'textSnippet']);
    }
  });

  it('GET /dataset/{name}/details: protected objects typed as the connector types objectInfo (strings) and snapshotInfo (integers)', async () => {
    const details = (await raw('GET', `/dataset/${encodeURIComponent('Café Ops')}/details`)).body as { baasSnapshots: Array<Record<string, unknown>> };
    expect(details.baasSnapshots.length).toBeGreaterThan(0);
    for (const snap of details.baasSnapshots) {
      const info = snap.objectInfo as Record<string, unknown>;
      expect(Object.keys(info).sort()).toEqual(['cloudProvider', 'clusterIdentifier', 'environment', 'globalId', 'name', 'objectId', 'regionId']);
      for (const v of Object.values(info)) expect(typeof v).toBe('string');
      expect(snap.snapshotInfo).toMatchObject({ runInstanceId: expect.any(Number), runStartTimeUsecs: expect.any(Number) });
      const { runInstanceId, runStartTimeUsecs } = snap.snapshotInfo as { runInstanceId: number; runStartTimeUsecs: number };
      expect(Number.isInteger(runInstanceId) && Number.isInteger(runStartTimeUsecs)).toBe(true);
    }
  });

  it('PUT /ask/exhaustive: a page as community material shows it, with a query uid and the total', async () => {
    const page = (await raw('PUT', '/ask/exhaustive', { body: { datasetName: 'Backups & Retention', queryString: 'backups retention DataLock', pageSize: 1 } })).body as Record<string, unknown>;
    expect(page).toMatchObject({ queryUid: expect.any(String), documents: expect.any(Array), totalCount: expect.any(Number), paginationToken: expect.any(String) });
    expect(page.totalCount).toBeGreaterThan(1);
  });

  it('GET /datasets: times are microseconds since the epoch', async () => {
    const { datasets } = (await raw('GET', '/datasets?pageSize=50')).body as { datasets: Array<{ lastIndexingRun?: { startTimeUsecs: number; endTimeUsecs?: number } }> };
    const now = Date.now() * 1000;
    for (const d of datasets) {
      if (!d.lastIndexingRun) continue;
      expect(d.lastIndexingRun.startTimeUsecs).toBeGreaterThan(now - 400 * 86_400_000_000);
      expect(d.lastIndexingRun.startTimeUsecs).toBeLessThanOrEqual(now);
    }
  });

  it('the key service: update and delete answer the key and the result, as its page shows; unknown keys get FastAPI detail', async () => {
    const path = `${KEY_SERVICE_PATH}/`;
    const created = (await raw('POST', path, { atOrigin: true, body: { config: { permissions: 'read' } } })).body as { api_key: string; result: string };
    expect(Object.keys(created).sort()).toEqual(['api_key', 'result']);
    expect(created.result).toBe('created');
    expect((await raw('PUT', `${path}${created.api_key}`, { atOrigin: true, body: { config: { permissions: 'write' } } })).body).toEqual({ api_key: created.api_key, result: 'updated' });
    expect((await raw('DELETE', `${path}delete/${created.api_key}`, { atOrigin: true })).body).toEqual({ api_key: created.api_key, result: 'deleted' });
    const gone = await raw('DELETE', `${path}delete/${created.api_key}`, { atOrigin: true });
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ detail: expect.any(String) });
  });
});

describe('/ask/stream picks its format by Accept', () => {
  it('JSON without Accept or with application/json; events with text/event-stream', async () => {
    const plain = await raw('POST', '/ask/stream', { body: ASK });
    expect(plain.contentType).toMatch(/application\/json/);
    const json = await raw('POST', '/ask/stream', { body: ASK, headers: { apiKey: at.sim.demoKey, accept: 'application/json' } });
    expect(json.contentType).toMatch(/application\/json/);
    expect(json.body).toMatchObject({ responseString: expect.any(String) });
    const events = await raw('POST', '/ask/stream', { body: ASK, headers: { apiKey: at.sim.demoKey, accept: 'text/event-stream' } });
    expect(events.contentType).toMatch(/text\/event-stream/);
    expect(events.text).toMatch(/^event: data$/m);
  });
});

describe('the two stream shapes public material shows [I], and the client reads both', () => {
  const EVENTS = { apiKey: '', accept: 'text/event-stream' };
  const events = (text: string) =>
    text
      .split(/\n\n/)
      .map((block) => ({ event: /^event: (.*)$/m.exec(block)?.[1], data: /^data: (.*)$/m.exec(block)?.[1] }))
      .filter((e) => e.event)
      .map((e) => ({ event: e.event, data: JSON.parse(e.data ?? 'null') as Record<string, unknown> }));

  it('the tutorial’s: only `message` events, fields at the top level, the last with queryUid, conversationId, documents and finishReason', async () => {
    try {
      at.sim.faults.set({ streamShape: 'tutorial' });
      const res = await raw('POST', '/ask/stream', { body: ASK, headers: { ...EVENTS, apiKey: at.sim.demoKey } });
      const seen = events(res.text);
      expect(new Set(seen.map((e) => e.event))).toEqual(new Set(['message']));
      for (const e of seen.slice(0, -1)) expect(Object.keys(e.data)).toEqual(['responseString']);
      expect(Object.keys(seen[seen.length - 1].data).sort()).toEqual(['conversationId', 'documents', 'finishReason', 'queryUid']);
    } finally {
      at.sim.faults.clear();
    }
  });

  it('the client assembles the same answer from either shape', async () => {
    const log = capturingLog();
    const client = simClient(at.sim, log);
    try {
      const gaiaShape = await client.askStream(ASK, { onEvent: () => {} });
      at.sim.faults.set({ streamShape: 'tutorial' });
      const tutorial = await client.askStream(ASK, { onEvent: () => {} });
      expect(tutorial.responseString).toBe(gaiaShape.responseString);
      expect(tutorial.responseString.length).toBeGreaterThan(0);
      expect(tutorial.queryUid).toMatch(/\S/);
      expect(tutorial.documents.map((d) => d.documentId)).toEqual(gaiaShape.documents.map((d) => d.documentId));
    } finally {
      at.sim.faults.clear();
      await client.close();
      log.dispose();
    }
  });
});

describe('the client needs nothing Gaia does not document', () => {
  it("reads an answer exactly as the connector's QueryResponse: no conversationId, no follow-ups, string objectInfo", async () => {
    const log = capturingLog();
    const client = simClient(at.sim, log);
    const documented = {
      result: 'ok',
      status: 'kSuccess',
      sourceData: [{ sourceType: 'kDocument', sourceContent: 'x', sourceUrl: 'https://example.invalid/x' }],
      queryUid: 'q-1',
      responseString: 'The croissants come from Bäckerei Lind.',
      documents: [
        {
          absolutePath: '/share/cafe/runbook.md',
          baasSnapshot: { regionId: 'eu-central-1', snapshotInfo: { runInstanceId: 7, runStartTimeUsecs: 1_700_000_000_000_000 } },
          citations: [{ cosineScore: 0.81, textSnippet: 'Bäckerei Lind delivers at 6:30.' }],
          datasetId: 'ds1',
          documentId: 'doc1',
          folderId: 'f1',
          name: 'runbook.md',
          objectInfo: { cloudProvider: 'kAWS', clusterIdentifier: '8812:1700000000', environment: 'kGenericNas', globalId: 'g1', name: 'cafe share', objectId: '4242', regionId: 'eu-central-1' },
          type: 'md',
        },
      ],
    };
    try {
      at.sim.faults.set({ bodyOverride: { path: '/ask', body: documented } });
      const answer = await client.ask(ASK);
      expect(answer).toMatchObject({ responseString: documented.responseString, queryUid: 'q-1', conversationId: null, followUps: [] });
      expect(answer.documents).toEqual([
        expect.objectContaining({ documentId: 'doc1', name: 'runbook.md', path: '/share/cafe/runbook.md', cluster: '8812:1700000000', objectName: 'cafe share', snapshotAt: 1_700_000_000_000, citations: [{ score: 0.81, snippet: 'Bäckerei Lind delivers at 6:30.' }] }),
      ]);
    } finally {
      at.sim.faults.clear();
      await client.close();
      log.dispose();
    }
  });
});

describe('where the reference is ambiguous, the client does not guess', () => {
  it('a 403 on discovery (GAIA_VIEW on one reference page, GAIA_MODIFY on another) names GAIA_MODIFY, not a missing GAIA_VIEW', async () => {
    const log = capturingLog();
    const reader = simClient(at.sim, log, { apiKey: at.sim.readKey });
    try {
      const [dataset] = (await reader.listDatasetsPage({ namePrefix: 'Café Ops' })).datasets;
      at.sim.faults.set({ discoveryNeedsModify: true });
      const err = await caught(reader.topics(dataset.id));
      expect(err.info.kind).toBe('forbidden');
      expect(err.info.message).toMatch(/GAIA_MODIFY/);
      expect(err.info.message).not.toMatch(/does not include access to Gaia/);
      expect(err.info.action).toMatch(/write permission|GAIA_MODIFY/);
    } finally {
      at.sim.faults.clear();
      await reader.close();
      log.dispose();
    }
  });
});
