/**
 * The preview's events as bytes and back: what the server writes (event-frame.ts, a long
 * string after its line as raw UTF-8) is what the page's reader gives, payload for
 * payload, however the network cuts it — multi-byte characters, a leading U+FEFF and
 * lone surrogates (which stay in the JSON) included.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeEvent, RAW_MIN_CHARS } from '../../main/preview/event-frame';
import { createEventReader } from '../../renderer/preview-transport';

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function read(bytes: Uint8Array, cuts: number[]): unknown[] {
  const got: unknown[] = [];
  const reader = createEventReader((channel, payload) => got.push({ channel, payload }));
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  let from = 0;
  for (const p of [...points, bytes.length]) {
    reader.push(bytes.subarray(from, p));
    from = p;
  }
  return got;
}

// Strings short and long (around the threshold), of characters that are 1–4 UTF-8 bytes,
// a newline, a quote, a leading U+FEFF, a lone surrogate.
const unit = fc.constantFrom('a', 'é', '検', '😀', '\n', '"', '\\', '\uFEFF', '\ud800', '\udc00');
const text = fc.oneof(
  fc.string({ unit, maxLength: 20 }),
  fc.tuple(fc.string({ unit, maxLength: 8 }), fc.integer({ min: RAW_MIN_CHARS - 2, max: RAW_MIN_CHARS + 40 }), fc.string({ unit, maxLength: 8 })).map(
    ([head, n, tail]) => head + 'x'.repeat(n) + tail,
  ),
);
const payload = fc.oneof(
  fc.record({ requestId: fc.constant('r1'), type: fc.constant('delta'), text }),
  fc.record({ requestId: fc.constant('r1'), type: fc.constant('done'), turn: fc.record({ id: fc.constant('t'), question: text, answer: text, followUps: fc.array(text, { maxLength: 2 }) }) }),
  fc.record({ id: fc.nat(), note: fc.constant(null) }),
);

describe('preview event frames', () => {
  it('the page reads back every payload the server wrote, however the bytes are cut (property)', () => {
    fc.assert(
      fc.property(fc.array(payload, { minLength: 1, maxLength: 5 }), fc.array(fc.nat(), { maxLength: 20 }), (payloads, cuts) => {
        const bytes = concat([new TextEncoder().encode('\n'), ...payloads.map((p) => encodeEvent('gaia:ask.event', p))]);
        expect(read(bytes, cuts)).toEqual(payloads.map((p) => ({ channel: 'gaia:ask.event', payload: p })));
      }),
      { numRuns: 400 },
    );
  });

  it('sends a long well-formed string raw, after its line, and keeps a lone surrogate in the JSON', () => {
    const long = `\uFEFF${'検'.repeat(RAW_MIN_CHARS)}`;
    const bytes = encodeEvent('gaia:ask.event', { requestId: 'r1', type: 'done', turn: { id: 't', answer: long } });
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    const firstLine = text.slice(0, text.indexOf('\n'));
    expect(JSON.parse(firstLine)).toEqual({
      channel: 'gaia:ask.event',
      payload: { requestId: 'r1', type: 'done', turn: { id: 't', answer: '' } },
      raw: [[['turn', 'answer'], Buffer.byteLength(long)]],
    });
    expect(text.slice(firstLine.length + 1)).toBe(`${long}\n`);

    const lone = `${'x'.repeat(RAW_MIN_CHARS)}\ud800`;
    const plain = encodeEvent('gaia:ask.event', { text: lone });
    expect(JSON.parse(plain.toString('utf8'))).toEqual({ channel: 'gaia:ask.event', payload: { text: lone } });
  });
});
