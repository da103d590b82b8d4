/**
 * Assembling a streamed answer from events: deltas by default and whole-text-so-far only
 * on clear evidence, payloads nested or at the top level, the end marker (never a bare
 * queryUid), follow-ups, errors, drops and silence — each keeping the text so far.
 */
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appError } from '../../main/core/errors';
import { createSseDecoder } from '../../main/core/gaia/sse';
import { AnswerAssembler, GaiaStreamError, readAnswerStream, type StreamEvent } from '../../main/core/gaia/stream';

const ev = (event: string, payload: unknown) => ({ event, data: typeof payload === 'string' ? payload : JSON.stringify(payload) });

function assembler() {
  const events: StreamEvent[] = [];
  return { a: new AnswerAssembler((e) => events.push(e)), events };
}

const deltas = (events: StreamEvent[]) => events.filter((e) => e.type === 'delta').map((e) => (e as { text: string }).text);

describe('AnswerAssembler', () => {
  it('turns whole-text-so-far into deltas once a piece repeats too much to be a coincidence', () => {
    const { a, events } = assembler();
    const first = 'Backups are kept for 35 days on the cluster, ';
    a.handle(ev('data', { data: { responseString: first } }));
    a.handle(ev('data', { data: { responseString: `${first}then moved ` } }));
    a.handle(ev('data', { data: { responseString: `${first}then moved to the archive.` } }));
    expect(deltas(events)).toEqual([first, 'then moved ', 'to the archive.']);
    expect(a.result().responseString).toBe(`${first}then moved to the archive.`);
  });

  it('keeps short deltas that happen to begin with the text so far ("1" then "1." is "11.")', () => {
    const { a, events } = assembler();
    for (const piece of ['1', '1.', ' Restore', ' Restore the share.']) a.handle(ev('data', { data: { responseString: piece, queryUid: 'q-1' } }));
    expect(a.result().responseString).toBe('11. Restore Restore the share.');
    expect(deltas(events).join('')).toBe('11. Restore Restore the share.');
    expect(a.terminal).toBe(false);
  });

  it('appends deltas, and accepts the fields at the top level', () => {
    const { a, events } = assembler();
    a.handle(ev('data', { responseString: 'Umsatz ' }));
    a.handle(ev('data', { responseString: 'stieg ' }));
    a.handle(ev('data', { responseString: 'um 12 %.' }));
    expect(deltas(events)).toEqual(['Umsatz ', 'stieg ', 'um 12 %.']);
    expect(a.result().responseString).toBe('Umsatz stieg um 12 %.');
  });

  it('takes a final whole text that repeats everything without emitting it twice', () => {
    const { a, events } = assembler();
    a.handle(ev('data', { data: { responseString: 'a' } }));
    a.handle(ev('data', { data: { responseString: 'b' } }));
    a.handle(ev('data', { data: { responseString: 'ab', queryUid: 'q-1', conversationId: 'c-1', status: 'kSuccess', documents: [{ documentId: 'd1', name: 'x.md', citations: [{ cosineScore: 0.9, textSnippet: 'snip' }] }] } }));
    expect(deltas(events)).toEqual(['a', 'b']);
    expect(a.terminal).toBe(true);
    expect(a.result()).toMatchObject({ responseString: 'ab', queryUid: 'q-1', conversationId: 'c-1' });
    expect(a.result().documents[0]).toMatchObject({ documentId: 'd1', citations: [{ score: 0.9, snippet: 'snip' }] });
  });

  it('recognises the end by an explicit marker only — a queryUid alone is not one', () => {
    for (const [payload, terminal] of [
      [{ data: { responseString: 'x' } }, false],
      [{ data: { responseString: 'x', queryUid: 'q' } }, false],
      [{ data: { responseString: 'x', queryUid: 'q', conversationId: 'c' } }, false],
      [{ data: { responseString: 'x', final: true } }, true],
      [{ responseString: '', queryUid: 'q', finishReason: 'stop' }, true],
      [{ data: { responseString: 'x', status: 'kSuccess' } }, true],
      [{ data: { responseString: 'x', status: 'kRunning' } }, false],
    ] as const) {
      const { a } = assembler();
      a.handle(ev('data', payload));
      expect(a.terminal, JSON.stringify(payload)).toBe(terminal);
    }
  });

  it('reports progress steps and follow-up questions in their various shapes', () => {
    const { a, events } = assembler();
    a.handle(ev('progress', { data: { step: 'Searching' } }));
    a.handle(ev('progress', 'Reading documents'));
    a.handle(ev('follow_up', { data: { followUpQuestions: ['Q1?'] } }));
    a.handle(ev('follow_up', ['Q2?', { question: 'Q3?' }]));
    a.handle(ev('follow_up', { data: { followUpQuestions: ['Q1?'] } }));
    expect(events.filter((e) => e.type === 'progress')).toEqual([
      { type: 'progress', step: 'Searching' },
      { type: 'progress', step: 'Reading documents' },
    ]);
    expect(a.result().followUps).toEqual(['Q1?', 'Q2?', 'Q3?']);
  });

  it('ignores event types it does not know', () => {
    const { a, events } = assembler();
    a.handle(ev('telemetry', { data: { tokens: 12 } }));
    expect(events).toEqual([]);
  });

  it("throws the server's message for an error event, with the text so far", () => {
    const { a } = assembler();
    a.handle(ev('data', { data: { responseString: 'Partial' } }));
    let thrown: unknown;
    try {
      a.handle(ev('error', { data: { errorMessage: 'LLM quota exhausted' } }));
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(GaiaStreamError);
    expect((thrown as GaiaStreamError).info).toMatchObject({ kind: 'server-error' });
    expect((thrown as GaiaStreamError).info.message).toContain('LLM quota exhausted');
    expect((thrown as GaiaStreamError).partial.responseString).toBe('Partial');
  });
});

const sse = (...events: Array<[string, unknown]>) => events.map(([e, p]) => `event: ${e}\ndata: ${JSON.stringify(p)}\n\n`).join('');

function breakingBody(chunks: string[], error: Error): Readable {
  let i = 0;
  return new Readable({
    read() {
      if (i < chunks.length) this.push(Buffer.from(chunks[i++]));
      else this.destroy(error);
    },
  });
}

const options = (events: StreamEvent[] = []) => ({
  onEvent: (e: StreamEvent) => events.push(e),
  maxBytes: 1024 * 1024,
  trailingGraceMs: 50,
  quietMs: 60_000,
  fail: async () => appError('connection-reset', 'reset', 'retry'),
});

describe('readAnswerStream', () => {
  it('completes at the explicit end marker', async () => {
    const body = Readable.from([Buffer.from(sse(['data', { data: { responseString: 'Hi' } }], ['data', { data: { responseString: ' there', queryUid: 'q9', status: 'kSuccess' } }]))]);
    const result = await readAnswerStream(body, options());
    expect(result).toMatchObject({ responseString: 'Hi there', queryUid: 'q9' });
  });

  it('does not hang up on a queryUid: a pause after a piece that carries one loses nothing', async () => {
    const body = new Readable({ read() {} });
    body.push(Buffer.from(sse(['data', { data: { responseString: 'First half, ', queryUid: 'q' } }])));
    setTimeout(() => {
      body.push(Buffer.from(sse(['data', { data: { responseString: 'second half.', queryUid: 'q' } }])));
      body.push(null);
    }, 300);
    // A grace of 50 ms would have cut the answer after its first piece.
    expect((await readAnswerStream(body, options())).responseString).toBe('First half, second half.');
  });

  it('keeps listening while keep-alives arrive, and gives up only after the quiet time, keeping the text', async () => {
    const body = new Readable({ read() {} });
    body.push(Buffer.from(sse(['data', { data: { responseString: 'So far' } }])));
    const alive = setInterval(() => body.push(Buffer.from(': keep-alive\n\n')), 40);
    setTimeout(() => clearInterval(alive), 400);
    const started = Date.now();
    const err = (await readAnswerStream(body, { ...options(), quietMs: 150 }).catch((e) => e)) as GaiaStreamError;
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(err).toBeInstanceOf(GaiaStreamError);
    expect(err.info.kind).toBe('timeout');
    expect(err.info.message).toMatch(/went quiet/);
    expect(err.partial.responseString).toBe('So far');
  });

  it("throws 'stream-dropped' with the partial text when the body breaks before the terminal event", async () => {
    const events: StreamEvent[] = [];
    const body = breakingBody([sse(['data', { data: { responseString: 'Half an ans' } }])], Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }));
    const err = (await readAnswerStream(body, options(events)).catch((e) => e)) as GaiaStreamError;
    expect(err).toBeInstanceOf(GaiaStreamError);
    expect(err.info.kind).toBe('stream-dropped');
    expect(err.partial.responseString).toBe('Half an ans');
    expect(deltas(events).join('')).toBe('Half an ans');
  });

  it('keeps a complete answer when the connection breaks only after the terminal event', async () => {
    const body = breakingBody([sse(['data', { data: { responseString: 'Done.', queryUid: 'q', status: 'kSuccess' } }])], new Error('late reset'));
    expect((await readAnswerStream(body, options())).responseString).toBe('Done.');
  });

  it('stops waiting after the terminal event when the server keeps the connection open', async () => {
    const body = new Readable({ read() {} });
    body.push(Buffer.from(sse(['data', { data: { responseString: 'All done', queryUid: 'q', status: 'kSuccess' } }])));
    const started = Date.now();
    expect((await readAnswerStream(body, options())).responseString).toBe('All done');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('refuses a runaway stream, keeping the partial text', async () => {
    const big = 'x'.repeat(4096);
    const body = Readable.from(Array.from({ length: 50 }, (_, i) => Buffer.from(sse(['data', { data: { responseString: i === 0 ? 'start' : big } }]))));
    const err = (await readAnswerStream(body, { ...options(), maxBytes: 64 * 1024 }).catch((e) => e)) as GaiaStreamError;
    expect(err.info.kind).toBe('body-too-large');
    expect(err.partial.responseString.startsWith('start')).toBe(true);
  });

  it("throws 'stream-dropped' when a stream ends without sending anything", async () => {
    const err = (await readAnswerStream(Readable.from([Buffer.from(': just a comment\n\n')]), options()).catch((e) => e)) as GaiaStreamError;
    expect(err.info.kind).toBe('stream-dropped');
  });
});

describe('plain pieces read past the SSE parser (the decoder’s quick path)', () => {
  // Events of every kind a stream mixes, the plain piece's near misses among them: its
  // head with a text that is not one literal (a raw newline or CR inside, an early quote),
  // CRLF endings, no space after the colon, an id line, data over two lines, comments.
  const text = fc.string({ unit: fc.constantFrom('a', ' ', 'é', '😀', '\n', '\r', '"', '\\', 'n', 'u', '}', ':'), maxLength: 12 });
  const event = fc.oneof(
    { weight: 6, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }).map((s) => `event: data\ndata: ${JSON.stringify({ data: { responseString: s } })}\n\n`) },
    text.map((s) => `event: data\ndata: {"data":{"responseString":"${s}"}}\n\n`),
    text.map((s) => `event: data\r\ndata: ${JSON.stringify({ data: { responseString: s } })}\r\n\r\n`),
    text.map((s) => `event:data\ndata:${JSON.stringify({ data: { responseString: s } })}\n\n`),
    text.map((s) => `id: 7\nevent: data\ndata: ${JSON.stringify({ data: { responseString: s } })}\n\n`),
    text.map((s) => `event: data\ndata: ${JSON.stringify({ data: { responseString: s, queryUid: 'q1' } })}\n\n`),
    text.map((s) => `event: data\ndata: {"data":\ndata: {"responseString":${JSON.stringify(s)}}}\n\n`),
    text.map((s) => `event: progress\ndata: ${JSON.stringify({ data: { step: `${s}x` } })}\n\n`),
    text.map((s) => `event: follow_up\ndata: ${JSON.stringify({ data: { followUpQuestions: [`${s}?`] } })}\n\n`),
    text.map((s) => `data: ${JSON.stringify(s)}\n\n`),
    // A byte-order mark only the stream's first character may be (the parser drops one there).
    fc.constantFrom(': keep-alive\n', '\n', '\r\n', 'event: data\n', ': c\r', 'retry: 5\n', '\uFEFFdata: "x"\n\n'),
  );
  const stream = fc.tuple(fc.boolean(), fc.array(event, { maxLength: 30 })).map(([bom, events]) => new TextEncoder().encode(`${bom ? '\uFEFF' : ''}${events.join('')}`));

  /** What the listener sees, read after every network read: the delta each read gives, and the other events. */
  function read(chunks: Uint8Array[], quick: boolean) {
    const seen: unknown[] = [];
    const a = new AnswerAssembler((e) => seen.push(e));
    const d = createSseDecoder((e) => a.handle(e), quick ? { quick: (t, at) => a.takePlainPieces(t, at) } : {});
    for (const chunk of chunks) {
      d.push(chunk);
      seen.push(a.settle());
    }
    d.end();
    seen.push(a.settle());
    return { seen, result: a.result(), terminal: a.terminal, receivedAnything: a.receivedAnything };
  }

  it('gives, read by read, what the parser gives — for any mix of events and any chunking (property)', () => {
    fc.assert(
      fc.property(
        stream.chain((bytes) => fc.tuple(fc.constant(bytes), fc.array(fc.integer({ min: 0, max: bytes.length }), { maxLength: 12 }))),
        ([bytes, cuts]) => {
          const points = [...new Set(cuts)].sort((x, y) => x - y);
          const chunks = [...points, bytes.length].map((p, i) => bytes.subarray(i ? points[i - 1] : 0, p));
          expect(read(chunks, true)).toEqual(read(chunks, false));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('takes the plain pieces itself and leaves the rest of the event to the parser', () => {
    const a = new AnswerAssembler(() => undefined);
    const piece = (s: string) => `event: data\ndata: ${JSON.stringify({ data: { responseString: s } })}\n\n`;
    const two = piece('one\n') + piece('tw"o');
    expect(a.takePlainPieces(`${two}event: progress\n`, 0)).toBe(two.length);
    expect(a.settle()).toBe('one\ntw"o');
    expect(a.takePlainPieces('event: data\ndata: {"data":{"responseString":"a\nb"}}\n\n', 0)).toBe(0);
    expect(a.takePlainPieces(piece('cut').slice(0, -1), 0)).toBe(0);
  });
});
