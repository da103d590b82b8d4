/**
 * Every endpoint, through the real gaia.client, over real TLS, against the simulator.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DatasetDetails, DatasetSummary, Llm, SourceDocument, Topic, TopicSummary } from '../../preload/contract';
import type { StreamEvent } from '../../main/core/gaia/client';
import { startSimulator } from '../gaia-sim';
import { capturingLog, caught, containsSecret, simClient, useSimClient } from '../support/gaia';

const gaia = useSimClient({}, { securityContext: 'tenant-ctx-7f3a9e21c4' });


const lastRequest = () => gaia.sim.requestLog[gaia.sim.requestLog.length - 1];

describe('connection', () => {
  it('validates with GET /datasets, sending the key in the exact `apiKey` header and the tenant header', async () => {
    await gaia.client.validate();
    const req = lastRequest();
    expect(req.method).toBe('GET');
    expect(req.rawPath).toBe('/v2/mcm/gaia/datasets');
    expect(req.headers['apikey']).toBe(gaia.sim.demoKey);
    // The exact name Gaia documents, not merely a case-insensitive match.
    expect(req.rawHeaders[req.rawHeaders.indexOf(gaia.sim.demoKey) - 1]).toBe('apiKey');
    expect(req.headers['x-gaia-security-ctx']).toBe('tenant-ctx-7f3a9e21c4');
    expect(req.headers['authorization']).toBeUndefined();
  });

  it('reuses kept-alive connections instead of opening one per call', async () => {
    const fresh = simClient(gaia.sim, gaia.log);
    const before = gaia.sim.connections();
    for (let i = 0; i < 10; i++) await fresh.llms();
    // undici's pool may open a second socket while the first is still settling after
    // its first response; after that, calls share the open ones.
    expect(gaia.sim.connections() - before).toBeLessThanOrEqual(2);
    await fresh.close();
  });
});

describe('datasets', () => {
  it('lists a page, converted to the contract shape with ms timestamps and health', async () => {
    const page = await gaia.client.listDatasetsPage({ pageSize: 10 });
    expect(page.datasets).toHaveLength(10);
    expect(page.paginationToken).toBeTruthy();
    for (const d of page.datasets) DatasetSummary.parse(d);
    const finance = page.datasets.find((d) => d.name === 'Finance Reports')!;
    expect(finance.health).toBe('healthy');
    // ms, not µs: within a few days of now
    expect(Math.abs(finance.lastIndexedAt! - Date.now())).toBeLessThan(5 * 86_400_000);
    expect(lastRequest().query.pageSize).toBe('10');
  });

  it('follows pagination tokens to the end with pages below 100, reporting progress', async () => {
    const big = await startSimulator({ datasets: 1000 });
    const c = simClient(big, gaia.log);
    const progress: Array<[number, number]> = [];
    try {
      const all = await c.listAllDatasets({}, { onPage: (loaded, pages) => progress.push([loaded, pages]) });
      expect(all).toHaveLength(1000);
      expect(new Set(all.map((d) => d.id)).size).toBe(1000);
      expect(progress).toHaveLength(Math.ceil(1000 / 99));
      expect(progress.at(-1)).toEqual([1000, 11]);
      expect(big.requestLog.every((r) => Number(r.query.pageSize) < 100)).toBe(true);
      expect(new Set(all.map((d) => d.health))).toEqual(new Set(['healthy', 'indexing', 'warning', 'failed', 'unknown']));
      const indexing = all.find((d) => d.health === 'indexing')!;
      expect(indexing.progress).toBeGreaterThan(0);
      expect(all.find((d) => d.health === 'healthy')!.progress).toBeNull();
    } finally {
      await c.close();
      await big.stop();
    }
  });

  it('logs the pages of a whole list not one by one (its caller logs the list), but a single page and a failure as before', async () => {
    const big = await startSimulator({ datasets: 300 });
    const quiet = capturingLog();
    const c = simClient(big, quiet);
    try {
      expect(await c.listAllDatasets({})).toHaveLength(300);
      expect(quiet.raw.filter((l) => l.includes('GET /datasets'))).toEqual([]);
      await c.listDatasetsPage({ pageSize: 10 });
      expect(quiet.raw.filter((l) => l.includes('GET /datasets →'))).toHaveLength(1);
      big.faults.set({ serverError: { status: 500 } });
      await caught(c.listAllDatasets({}));
      expect(quiet.raw.some((l) => l.includes('GET /datasets → 500'))).toBe(true);
    } finally {
      await c.close();
      await big.stop();
      quiet.dispose();
    }
  });

  it('filters by name prefix and substring on the server, and by health here (never sending our own words as statuses), among 100 000 datasets', async () => {
    const huge = await startSimulator({ datasets: 100_000 });
    const c = simClient(huge, gaia.log);
    try {
      const prefixed = await c.listAllDatasets({ namePrefix: 'DS 09999' });
      expect(prefixed.map((d) => d.name)).toEqual(Array.from({ length: 10 }, (_, i) => expect.stringMatching(new RegExp(`^DS 09999${i} `))));
      const page = await c.listDatasetsPage({ nameContains: 'research', statuses: ['failed'], pageSize: 40 });
      expect(page.datasets.length).toBeGreaterThan(0);
      expect(page.datasets.every((d) => d.health === 'failed' && /Research/.test(d.name))).toBe(true);
      const req = huge.requestLog.at(-1)!;
      expect(req.query.statuses).toBeUndefined();
      expect(req.query.nameSubstring).toBe('research');
      expect(req.query.pageSize).toBe('40');
    } finally {
      await c.close();
      await huge.stop();
    }
  });

  it('gets details for names with slashes, spaces, accents and CJK, as one path segment', async () => {
    for (const name of ['Legal/Contracts 2024', '財務 レポート', 'Café Ops', 'Payroll?Q3', 'IT Tickets #helpdesk', 'Lab Results 100%']) {
      const details = await gaia.client.datasetDetails(name);
      DatasetDetails.parse(details);
      expect(details.dataset.name).toBe(name);
      expect(lastRequest().path).toBe(`/v2/mcm/gaia/dataset/${name}/details`);
      expect(lastRequest().rawPath).toBe(`/v2/mcm/gaia/dataset/${encodeURIComponent(name)}/details`);
      expect(details.protectedObjects.length).toBeGreaterThan(0);
      expect(details.protectedObjects[0].snapshotAt).toBeLessThan(Date.now());
    }
  });

  it('where routing decodes %2F first (Starlette, Go), a name with "/" has no details route: its details are the listed dataset, found by exact name', async () => {
    const name = 'Legal/Contracts 2024';
    gaia.sim.faults.set({ decodedPathRouting: true });
    const since = gaia.sim.requestLog.length;
    try {
      const details = await gaia.client.datasetDetails(name);
      DatasetDetails.parse(details);
      const [tried, listed] = gaia.sim.requestLog.slice(since);
      expect(tried.rawPath).toBe(`/v2/mcm/gaia/dataset/${encodeURIComponent(name)}/details`);
      expect(listed).toMatchObject({ rawPath: '/v2/mcm/gaia/datasets', query: { names: name } });
      expect(details.dataset).toMatchObject({ name, numObjects: expect.any(Number) });
      expect(details.lastRun).not.toBeNull();
      // A name with "/" that Gaia does not have stays a not-found.
      expect((await caught(gaia.client.datasetDetails('No/Such Dataset'))).info.kind).toBe('not-found');
      // Names without "/" are unaffected.
      expect((await gaia.client.datasetDetails('Café Ops')).protectedObjects.length).toBeGreaterThan(0);
    } finally {
      gaia.sim.faults.clear();
    }
  });

  it('reads dataset stats', async () => {
    const { stats } = await gaia.client.datasetStats();
    expect(stats.numDatasets).toBeGreaterThan(30);
  });

  it('reads topics by dataset id, and a topic summary', async () => {
    const [legal] = (await gaia.client.listAllDatasets({ namePrefix: 'Legal/' }));
    const topics = await gaia.client.topics(legal.id);
    z.array(Topic).parse(topics);
    expect(topics[0].suggestedQuestions.length).toBeGreaterThan(0);
    expect(lastRequest().query).toEqual({ level: '1', numLevels: '2' });
    const summary = await gaia.client.topicSummary(legal.id, topics[0].uuid);
    TopicSummary.parse(summary);
    expect(summary.description).toMatch(/36 months/);
  });

  it('lists the language models', async () => {
    const llms = await gaia.client.llms();
    z.array(Llm).parse(llms);
    expect(llms.find((l) => l.isDefault)?.id).toBe('sim-gpt-4o');
    expect(llms.some((l) => l.isDisabled)).toBe(true);
  });
});

describe('asking', () => {
  it('asks, with citations from real documents, and carries the conversation id into follow-ups', async () => {
    const first = await gaia.client.ask({ datasetNames: ['Legal/Contracts 2024'], queryString: 'When can the Acme contract be terminated?', llmId: 'sim-claude', queryLanguageCode: 'en-GB' });
    expect(first.responseString).toMatch(/90 days/);
    expect(first.queryUid).toBeTruthy();
    expect(first.conversationId).toBeTruthy();
    z.array(SourceDocument).parse(first.documents);
    expect(first.documents[0].citations[0].snippet).toMatch(/terminate/);
    expect(first.documents[0].snapshotAt).toBeLessThan(Date.now());
    // llmName travels with llmId (as Microsoft's connector sends them), read from GET /llms.
    expect(lastRequest().body).toEqual({ datasetNames: ['Legal/Contracts 2024'], queryString: 'When can the Acme contract be terminated?', llmName: 'Claude Sonnet (simulated)', llmId: 'sim-claude', queryLanguageCode: 'en-GB' });

    const second = await gaia.client.ask({ datasetNames: ['Legal/Contracts 2024'], queryString: 'Which law governs it?', conversationId: first.conversationId });
    expect(lastRequest().body).toMatchObject({ conversationId: first.conversationId });
    expect(second.conversationId).toBe(first.conversationId);
    expect(gaia.sim.conversations.get(first.conversationId!)).toHaveLength(2);
  });

  it('streams an answer: progress, deltas that add up to the text, follow-ups, and the terminal data', async () => {
    const events: StreamEvent[] = [];
    // Paced as a model writes: the gaia.client hands on what one network read brings as one
    // delta, so an answer sent all at once could arrive (rightly) as a single piece.
    gaia.sim.faults.set({ streamPace: { msPerWord: 3 } });
    const result = await gaia.client
      .askStream({ datasetNames: ['Café Ops'], queryString: 'How do I open the café in the morning?' }, { onEvent: (e) => events.push(e) })
      .finally(() => gaia.sim.faults.clear());
    const deltas = events.filter((e) => e.type === 'delta').map((e) => (e as { text: string }).text);
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join('')).toBe(result.responseString);
    expect(result.responseString).toMatch(/07:00/);
    expect(events.filter((e) => e.type === 'progress').length).toBe(2);
    expect(events.some((e) => e.type === 'followUps')).toBe(true);
    expect(result.followUps.length).toBeGreaterThan(0);
    expect(result.queryUid).toBeTruthy();
    expect(result.documents.length).toBeGreaterThan(0);
    expect(lastRequest().rawPath).toBe('/v2/mcm/gaia/ask/stream');
    expect(lastRequest().headers.accept).toBe('text/event-stream');
  });

  it('streams when the server sends deltas rather than the whole text so far', async () => {
    gaia.sim.faults.set({ streamMode: 'delta' });
    try {
      const events: StreamEvent[] = [];
      const result = await gaia.client.askStream({ datasetNames: ['Backups & Retention'], queryString: 'Show the standard retention policy definition.' }, { onEvent: (e) => events.push(e) });
      const whole = await gaia.client.ask({ datasetNames: ['Backups & Retention'], queryString: 'Show the standard retention policy definition.' });
      expect(result.responseString).toBe(whole.responseString);
      expect(result.responseString).toContain('```yaml');
      expect(events.filter((e) => e.type === 'delta').map((e) => (e as { text: string }).text).join('')).toBe(whole.responseString);
    } finally {
      gaia.sim.faults.clear();
    }
  });

  it('refines with chosen documents over the stream', async () => {
    const first = await gaia.client.ask({ datasetNames: ['Finance Reports'], queryString: 'hotel limit per night and expense reports' });
    const chosen = first.documents[0].documentId;
    const events: StreamEvent[] = [];
    const refined = await gaia.client.refineStream({ queryUid: first.queryUid!, documentUids: [chosen] }, { onEvent: (e) => events.push(e) });
    expect(lastRequest().rawPath).toBe('/v2/mcm/gaia/ask/refine/stream');
    expect(lastRequest().body).toEqual({ queryUid: first.queryUid, documentUids: [chosen] });
    expect(refined.documents.map((d) => d.documentId)).toEqual([chosen]);
    expect(refined.queryUid).not.toBe(first.queryUid);
  });

  it('pages through an exhaustive search', async () => {
    const seen: string[] = [];
    let token: string | null = null;
    let pages = 0;
    do {
      const page = await gaia.client.exhaustive({ datasetName: 'Finance Reports', queryString: 'travel hotel revenue expense report', pageSize: 2, paginationToken: token });
      z.array(SourceDocument).parse(page.documents);
      seen.push(...page.documents.map((d) => d.citations[0].snippet));
      token = page.paginationToken;
      pages++;
    } while (token && pages < 20);
    expect(pages).toBeGreaterThan(1);
    expect(new Set(seen).size).toBe(seen.length);
    expect(lastRequest().method).toBe('PUT');
  });

  it("sends feedback as Gaia's string enum by query uid, in one shape, and the server takes it", async () => {
    const answer = await gaia.client.ask({ datasetNames: ['Café Ops'], queryString: 'Who delivers the croissants?' });
    await gaia.client.feedback({ queryUid: answer.queryUid!, positive: false });
    await gaia.client.feedback({ queryUid: answer.queryUid!, positive: true });
    expect(gaia.sim.feedback.slice(-2).map((f) => f.body)).toEqual([
      { queryUid: answer.queryUid, feedback: 'false' },
      { queryUid: answer.queryUid, feedback: 'true' },
    ]);
  });

  it('says a 403 on feedback is about GAIA_MODIFY (a write), not GAIA_VIEW', async () => {
    const reader = simClient(gaia.sim, gaia.log, { apiKey: gaia.sim.readKey });
    try {
      const answer = await reader.ask({ datasetNames: ['Café Ops'], queryString: 'Who delivers the croissants?' });
      const err = await caught(reader.feedback({ queryUid: answer.queryUid!, positive: true }));
      expect(err.info.kind).toBe('forbidden');
      expect(err.info.message).toMatch(/GAIA_MODIFY/);
      expect(err.info.message).not.toMatch(/needs GAIA_VIEW/);
    } finally {
      await reader.close();
    }
  });

  it('asks for a topic summary with the required all-questions flag', async () => {
    const [dataset] = (await gaia.client.listDatasetsPage({ namePrefix: 'Café Ops' })).datasets;
    const [topic] = await gaia.client.topics(dataset.id);
    const summary = await gaia.client.topicSummary(dataset.id, topic.uuid);
    expect(summary.suggestedQuestions).toEqual(topic.suggestedQuestions);
    expect(lastRequest().query).toMatchObject({ allSuggestedQuestions: 'true' });
  });

  it('asks exhaustive search for pages of up to 100', async () => {
    await gaia.client.exhaustive({ datasetName: 'Engineering Wiki', queryString: 'backup', pageSize: 100 });
    expect(lastRequest().body).toMatchObject({ pageSize: 100 });
  });

  it('asks the server to sort the list with sortField / sortOrder', async () => {
    const page = await gaia.client.listDatasetsPage({ sort: { field: 'name', order: 'desc' }, pageSize: 5 });
    expect(lastRequest().query).toMatchObject({ sortField: 'name', sortOrder: 'desc' });
    const names = page.datasets.map((d) => d.name);
    expect(names).toEqual([...names].sort().reverse());
  });

  it('deletes a conversation on the server', async () => {
    const answer = await gaia.client.ask({ datasetNames: ['Café Ops'], queryString: 'When does the café close?' });
    expect(await gaia.client.deleteConversation(answer.conversationId!)).toBe('deleted');
    expect(gaia.sim.conversations.has(answer.conversationId!)).toBe(false);
    expect(lastRequest()).toMatchObject({ method: 'DELETE', path: `/v2/mcm/gaia/conversations/${answer.conversationId}` });
  });

  it('deletes a conversation with a read-only key (GAIA_VIEW is enough)', async () => {
    const reader = simClient(gaia.sim, gaia.log, { apiKey: gaia.sim.readKey });
    try {
      const answer = await reader.ask({ datasetNames: ['Café Ops'], queryString: 'When does the café close?' });
      expect(await reader.deleteConversation(answer.conversationId!)).toBe('deleted');
    } finally {
      await reader.close();
    }
  });

  it("reports 'not-supported' where the server has no conversation delete", async () => {
    gaia.sim.faults.set({ missingEndpoints: ['/conversations/abc'], missingStatus: 405 });
    try {
      expect(await gaia.client.deleteConversation('abc')).toBe('not-supported');
    } finally {
      gaia.sim.faults.clear();
    }
    // Starlette's 404 where no route matches says only "Not Found".
    gaia.sim.faults.set({ missingEndpoints: ['/conversations/abc'], missingStatus: 404 });
    try {
      expect(await gaia.client.deleteConversation('abc')).toBe('not-supported');
    } finally {
      gaia.sim.faults.clear();
    }
  });

  it('a 404 in Gaia’s own words is about the conversation, not a missing delete: it is an error naming it, not “not supported”', async () => {
    const err = await caught(gaia.client.deleteConversation('no-such-conversation'));
    expect(err.info).toMatchObject({ kind: 'not-found', status: 404, serverMessage: expect.stringMatching(/no-such-conversation/) });
  });
});

describe("Gaia's API-key service (rooted at the origin)", () => {
  it('lists, creates, updates and deletes keys; a deleted key stops working', async () => {
    const listed = await gaia.client.apiKeys.list();
    expect(listed).toEqual(expect.arrayContaining([{ apiKey: gaia.sim.demoKey, permissions: 'write' }, { apiKey: gaia.sim.readKey, permissions: 'read' }]));
    expect(lastRequest().rawPath).toBe('/es/api/v1/credentials/api_keys/');

    const created = await gaia.client.apiKeys.create('read');
    expect(gaia.sim.keys()).toContainEqual({ apiKey: created, permissions: 'read' });
    expect(lastRequest().body).toEqual({ config: { permissions: 'read' } });

    await gaia.client.apiKeys.update(created, 'write');
    expect(gaia.sim.keys()).toContainEqual({ apiKey: created, permissions: 'write' });
    expect(lastRequest().method).toBe('PUT');

    const withNewKey = simClient(gaia.sim, gaia.log, { apiKey: created });
    await withNewKey.validate();

    await gaia.client.apiKeys.delete(created);
    expect(lastRequest().rawPath).toBe(`/es/api/v1/credentials/api_keys/delete/${created}`);
    expect(gaia.sim.keys().some((k) => k.apiKey === created)).toBe(false);

    const err = await caught(withNewKey.validate());
    expect(err.info.kind).toBe('unauthorized');
    await withNewKey.close();

    // Keys that passed through the gaia.client never reach the gaia.log.
    for (const key of [created, gaia.sim.demoKey, gaia.sim.readKey]) {
      expect(containsSecret(gaia.log.written(), key)).toBe(false);
      expect(containsSecret(gaia.log.raw.join('\n'), key)).toBe(false);
    }
  });

  it('refuses key changes with a read-only key (403, GAIA_MODIFY)', async () => {
    const reader = simClient(gaia.sim, gaia.log, { apiKey: gaia.sim.readKey });
    try {
      expect((await reader.apiKeys.list()).length).toBeGreaterThan(0);
      const err = await caught(reader.apiKeys.create('write'));
      expect(err.info.kind).toBe('forbidden');
      expect(err.info.message).toMatch(/GAIA_MODIFY/);
    } finally {
      await reader.close();
    }
  });
});
