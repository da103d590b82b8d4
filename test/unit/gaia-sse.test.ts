/**
 * The SSE decoder on crafted byte chunks: every split point, including inside a
 * multi-byte UTF-8 character and between the CR and LF of a line ending.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createSseDecoder, SseOverflowError, type SseEvent } from '../../main/core/gaia/sse';

const enc = new TextEncoder();

function decode(chunks: Uint8Array[], opts?: { maxBufferChars?: number }): SseEvent[] {
  const events: SseEvent[] = [];
  const d = createSseDecoder((e) => events.push(e), opts);
  for (const c of chunks) d.push(c);
  d.end();
  return events;
}

function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => Math.max(0, Math.min(bytes.length, c))))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  return out;
}

const STREAM = [
  ': comment at the start',
  'event: progress',
  'data: {"data":{"step":"検索中… 2 datasets"}}',
  '',
  'event: data',
  'data: {"data":{"responseString":"売上高は 48 億円 — Café crème 😀"}}',
  '',
  ': keep-alive',
  'event: follow_up',
  'data: {"data":{"followUpQuestions":["Wie hoch ist der Umsatz?"]}}',
  '',
  'event: data',
  'data: line one',
  'data: line two',
  '',
  '',
].join('\r\n');

const EXPECTED: SseEvent[] = [
  { event: 'progress', data: '{"data":{"step":"検索中… 2 datasets"}}' },
  { event: 'data', data: '{"data":{"responseString":"売上高は 48 億円 — Café crème 😀"}}' },
  { event: 'follow_up', data: '{"data":{"followUpQuestions":["Wie hoch ist der Umsatz?"]}}' },
  { event: 'data', data: 'line one\nline two' },
];

describe('SSE decoding', () => {
  it('decodes a whole stream with CRLF endings and comments', () => {
    expect(decode([enc.encode(STREAM)])).toEqual(EXPECTED);
  });

  it('gives the same events for a split at every single byte position', () => {
    const bytes = enc.encode(STREAM);
    for (let i = 1; i < bytes.length; i++) {
      expect(decode(splitAt(bytes, [i])), `split at byte ${i}`).toEqual(EXPECTED);
    }
  });

  it('gives the same events when fed one byte at a time', () => {
    const bytes = enc.encode(STREAM);
    expect(decode(Array.from(bytes, (b) => Uint8Array.of(b)))).toEqual(EXPECTED);
  });

  it('gives the same events for any chunking (property)', () => {
    const bytes = enc.encode(STREAM);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: bytes.length }), { maxLength: 40 }), (cuts) => {
        expect(decode(splitAt(bytes, cuts))).toEqual(EXPECTED);
      }),
      { numRuns: 300 },
    );
  });

  it('joins a 4-byte character split across three chunks', () => {
    const bytes = enc.encode('event: data\ndata: 😀\n\n');
    const at = bytes.indexOf(0xf0);
    expect(decode([bytes.subarray(0, at + 1), bytes.subarray(at + 1, at + 3), bytes.subarray(at + 3)])).toEqual([{ event: 'data', data: '😀' }]);
  });

  it('treats a CR at the end of one chunk and LF at the start of the next as one line ending', () => {
    const events = decode([enc.encode('event: data\r'), enc.encode('\ndata: x\r'), enc.encode('\n\r'), enc.encode('\n')]);
    expect(events).toEqual([{ event: 'data', data: 'x' }]);
  });

  it("names events without an `event:` field 'message'", () => {
    expect(decode([enc.encode('data: hi\n\n')])).toEqual([{ event: 'message', data: 'hi' }]);
  });

  it('delivers a last event that the server ended with a single newline', () => {
    expect(decode([enc.encode('event: data\ndata: {"queryUid":"q1"}\n')])).toEqual([{ event: 'data', data: '{"queryUid":"q1"}' }]);
  });

  it('refuses an event that grows without end', () => {
    const d = createSseDecoder(() => {}, { maxBufferChars: 1000 });
    expect(() => {
      for (let i = 0; i < 100; i++) d.push(enc.encode(`data: ${'x'.repeat(100)}\n`));
    }).toThrow(SseOverflowError);
  });
});
