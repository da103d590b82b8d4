/**
 * Streamed answers end to end: awkward chunking (lines and UTF-8 characters split
 * across writes), CRLF line endings and comments, a dropped connection that keeps the
 * partial text, a server `error` event, the fallback to POST /ask, cancelling a slow
 * stream — and the end rules of docs/gaia-api.md §Streaming: a queryUid on every piece
 * with a long pause, short first deltas, a close without an end marker, no overall
 * deadline while Gaia sends, and the quiet watchdog.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { GaiaStreamError, type StreamEvent } from '../../main/core/gaia/client';
import { caught, containsSecret, everyRendering, simClient, useSimClient } from '../support/gaia';

const gaia = useSimClient();

afterEach(() => gaia.sim.faults.clear());

const JA = { datasetNames: ['財務 レポート'], queryString: '第2四半期の売上高はいくらですか?' };

function collect() {
  const events: StreamEvent[] = [];
  return {
    events,
    onEvent: (e: StreamEvent) => events.push(e),
    text: () => events.filter((e): e is Extract<StreamEvent, { type: 'delta' }> => e.type === 'delta').map((e) => e.text).join(''),
  };
}

describe('streamed answers', () => {
  it('reassembles Japanese text written in 7-byte slices (splitting characters) with CRLF line endings', async () => {
    const reference = await gaia.client.ask(JA);
    gaia.sim.faults.set({ streamSliceBytes: 7, streamCrlf: true, streamMode: 'delta' });
    const c = collect();
    const result = await gaia.client.askStream(JA, { onEvent: c.onEvent });
    expect(result.responseString).toBe(reference.responseString);
    expect(result.responseString).toMatch(/48 億円/);
    expect(result.responseString).not.toContain('\uFFFD');
    expect(c.text()).toBe(result.responseString);
    expect(c.events.filter((e) => e.type === 'progress')).toHaveLength(2);
    expect(result.documents[0].citations[0].snippet).toMatch(/売上高/);
  });

  it('keeps the partial text when the connection drops mid-answer', async () => {
    gaia.sim.faults.set({ streamDropAfter: 3 });
    const c = collect();
    const err = await caught(gaia.client.askStream(JA, { onEvent: c.onEvent }));
    expect(err).toBeInstanceOf(GaiaStreamError);
    const e = err as GaiaStreamError;
    expect(e.info.kind).toBe('stream-dropped');
    expect(e.info.message).toMatch(/broke off/);
    expect(e.partial.responseString.length).toBeGreaterThan(0);
    expect(e.partial.responseString).toBe(c.text());
    expect(e.partial.queryUid).toBeNull();
    expect(containsSecret(everyRendering(err), gaia.sim.demoKey)).toBe(false);
  });

  it("turns a server `error` event into the server's words, keeping the partial text", async () => {
    gaia.sim.faults.set({ streamError: { afterChunks: 2, message: 'The language model timed out.' } });
    const c = collect();
    const err = (await caught(gaia.client.askStream(JA, { onEvent: c.onEvent }))) as GaiaStreamError;
    expect(err.info.kind).toBe('server-error');
    expect(err.info.message).toContain('The language model timed out.');
    expect(err.partial.responseString).toBe(c.text());
    expect(err.partial.responseString.length).toBeGreaterThan(0);
  });

  it('falls back to POST /ask where /ask/stream answers 404', async () => {
    gaia.sim.faults.set({ missingEndpoints: ['/ask/stream'] });
    const since = gaia.sim.requestLog.length;
    const c = collect();
    const result = await gaia.client.askStream({ datasetNames: ['Café Ops'], queryString: 'Who delivers the croissants?' }, { onEvent: c.onEvent });
    expect(gaia.sim.requestLog.slice(since).map((r) => r.rawPath)).toEqual(['/v2/mcm/gaia/ask/stream', '/v2/mcm/gaia/ask']);
    expect(result.responseString).toMatch(/Lefèvre/);
    expect(c.text()).toBe(result.responseString);
    expect(c.events.some((e) => e.type === 'followUps')).toBe(true);
    expect(result.queryUid).toBeTruthy();
  });

  it('falls back to POST /ask/refine where /ask/refine/stream answers 405', async () => {
    const first = await gaia.client.ask({ datasetNames: ['Café Ops'], queryString: 'opening and closing the café' });
    gaia.sim.faults.set({ missingEndpoints: ['/ask/refine/stream'], missingStatus: 405 });
    const since = gaia.sim.requestLog.length;
    const refined = await gaia.client.refineStream({ queryUid: first.queryUid!, documentUids: [first.documents[0].documentId] }, { onEvent: () => {} });
    expect(gaia.sim.requestLog.slice(since).map((r) => r.rawPath)).toEqual(['/v2/mcm/gaia/ask/refine/stream', '/v2/mcm/gaia/ask/refine']);
    expect(refined.responseString).toBeTruthy();
  });

  it('a 404 in Gaia’s own words from /ask/stream (a dataset it does not have) is that error, asked once — not a missing endpoint to fall back from', async () => {
    const since = gaia.sim.requestLog.length;
    const err = await caught(gaia.client.askStream({ datasetNames: ['No Such Dataset'], queryString: 'Anything?' }, { onEvent: () => {} }));
    expect(err.info).toMatchObject({ kind: 'not-found', status: 404, serverMessage: "Dataset 'No Such Dataset' not found." });
    expect(gaia.sim.requestLog.slice(since).map((r) => r.rawPath)).toEqual(['/v2/mcm/gaia/ask/stream']);
  });

  it('cancels a slow stream, keeping what had arrived', async () => {
    gaia.sim.faults.set({ streamDelayMs: 60 });
    const controller = new AbortController();
    const c = collect();
    const p = gaia.client.askStream(JA, {
      signal: controller.signal,
      onEvent: (e) => {
        c.onEvent(e);
        if (e.type === 'delta') controller.abort();
      },
    });
    const err = (await caught(p)) as GaiaStreamError;
    expect(err.info.kind).toBe('aborted');
    expect(err.partial.responseString).toBe(c.text());
    expect(err.partial.responseString.length).toBeGreaterThan(0);
  });

  it('gives up a stream only after a long silence, keeping the partial text and saying Gaia went quiet', async () => {
    gaia.sim.faults.set({ streamPause: { afterChunks: 1, ms: 1_500 } });
    const quietish = simClient(gaia.sim, gaia.log, {}, { streamQuietMs: 400 });
    const err = (await caught(quietish.askStream(JA, { onEvent: () => {} }))) as GaiaStreamError;
    await quietish.close();
    expect(err.info.kind).toBe('timeout');
    expect(err.info.message).toMatch(/Gaia went quiet/);
    expect(err.partial.responseString.length).toBeGreaterThan(0);
  });

  it('never hangs up mid-answer: a queryUid on every piece and a silent pause longer than the old 2 s grace lose nothing', async () => {
    gaia.sim.faults.set({ streamUidOnEveryPiece: true, streamPause: { afterChunks: 1, ms: 2_600 } });
    const answer = await gaia.client.askStream(JA, { onEvent: () => {} });
    const expected = await gaia.client.ask(JA);
    expect(answer.responseString).toBe(expected.responseString);
    expect(answer.documents.length).toBeGreaterThan(0);
  }, 15_000);

  it('keeps an overall stream deadline from cutting off an answer that keeps arriving', async () => {
    gaia.sim.faults.set({ streamDelayMs: 150 });
    const patient = simClient(gaia.sim, gaia.log, {}, { timeouts: { streamDeadlineMs: 400 } });
    try {
      const answer = await patient.askStream(JA, { onEvent: () => {} });
      expect(answer.responseString).toBe((await patient.ask(JA)).responseString);
    } finally {
      await patient.close();
    }
  });

  it('reads short first deltas as deltas ("1" then "1." is "11.")', async () => {
    gaia.sim.faults.set({ streamPieces: ['1', '1.', ' Restore the share', ' from the latest snapshot.'], streamUidOnEveryPiece: true });
    const seen: string[] = [];
    const answer = await gaia.client.askStream(JA, { onEvent: (e) => e.type === 'delta' && seen.push(e.text) });
    expect(answer.responseString).toBe('11. Restore the share from the latest snapshot.');
    expect(seen.join('')).toBe(answer.responseString);
  });

  it('ends on the server closing the stream when the last event has no end marker', async () => {
    gaia.sim.faults.set({ streamNoEndMarker: true, streamUidOnEveryPiece: true });
    const answer = await gaia.client.askStream(JA, { onEvent: () => {} });
    expect(answer.responseString).toBe((await gaia.client.ask(JA)).responseString);
    expect(answer.queryUid).toBeTruthy();
  });

  it('carries the conversation id of a streamed answer into the next question', async () => {
    const first = await gaia.client.askStream({ datasetNames: ['Travel & Expenses'], queryString: 'hotel limit in Europe?' }, { onEvent: () => {} });
    expect(first.conversationId).toBeTruthy();
    await gaia.client.askStream({ datasetNames: ['Travel & Expenses'], queryString: 'and in North America?', conversationId: first.conversationId }, { onEvent: () => {} });
    expect(gaia.sim.requestLog.at(-1)?.body).toMatchObject({ conversationId: first.conversationId });
    expect(gaia.sim.conversations.get(first.conversationId!)).toHaveLength(2);
  });
});
