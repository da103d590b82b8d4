/**
 * The preview's event stream as the page reads it: NDJSON cut wherever the network
 * likes — inside a line, inside a multi-byte character, many lines in one read, one
 * long line over many reads — gives every event whole, once, in order.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPreviewTransport } from '../../renderer/preview-transport';

afterEach(() => vi.unstubAllGlobals());

/** A page opened with the token, whose event stream answers `chunks` and then stays open. */
function pageWithStream(chunks: Uint8Array[]) {
  const store = new Map<string, string>();
  vi.stubGlobal('location', { hash: '#token=abc', pathname: '/', search: '' });
  vi.stubGlobal('history', { replaceState: () => undefined });
  vi.stubGlobal('sessionStorage', { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) });
  vi.stubGlobal('fetch', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(chunk);
        // Left open, as the server's stream is: no reconnect in the middle of the test.
      },
    });
    return new Response(body, { status: 200 });
  });
}

/** The bytes split at the given cut points. */
function cut(bytes: Uint8Array, at: number[]): Uint8Array[] {
  const points = [...new Set(at.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    if (p > from) out.push(bytes.subarray(from, p));
    from = Math.max(from, p);
  }
  return out;
}

async function received(chunks: Uint8Array[], count: number): Promise<unknown[]> {
  pageWithStream(chunks);
  const transport = createPreviewTransport()!;
  const got: unknown[] = [];
  transport.subscribe('gaia:ask.event', (payload) => got.push(payload));
  for (let i = 0; i < 200 && got.length < count; i++) await new Promise((r) => setTimeout(r, 1));
  return got;
}

describe('preview transport: the event stream', () => {
  it('delivers every event whole and in order, however the stream is cut', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: 'grapheme', maxLength: 40 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        async (texts, at) => {
          const events = texts.map((text, i) => ({ requestId: 'r1', type: 'delta', text: `${i}:${text}` }));
          // A blank line first, as the server sends one when the stream opens.
          const ndjson = `\n${events.map((payload) => JSON.stringify({ channel: 'gaia:ask.event', payload })).join('\n')}\n`;
          const got = await received(cut(new TextEncoder().encode(ndjson), at), events.length);
          expect(got).toEqual(events);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('reads one long line sent over many small reads', async () => {
    const text = 'é'.repeat(50_000);
    const line = `${JSON.stringify({ channel: 'gaia:ask.event', payload: { requestId: 'r1', type: 'delta', text } })}\n`;
    const bytes = new TextEncoder().encode(line + line);
    const chunks = cut(bytes, Array.from({ length: 300 }, (_, i) => i * 667 + 1));
    const got = await received(chunks, 2);
    expect(got).toEqual([
      { requestId: 'r1', type: 'delta', text },
      { requestId: 'r1', type: 'delta', text },
    ]);
  });
});
