/**
 * checkEvent answers with a predicate compiled from the contract's event schemas
 * (main/core/validate/compiled-check.ts); zod's safeParse is the reference. They must
 * agree on every event the core sends and on every way one could be broken: a field
 * gone, a wrong type, a string one character too long, a bound crossed, a key added.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { channels, events, type Channel, type EventChannel } from '../../preload/contract';
import { compileCheck, compileUnchanged } from '../../main/core/validate/compiled-check';
import { hostile, nearValid, valid } from '../support/zod-arbitrary';

const dataset = (i: number) => ({
  id: `ab${i}`,
  name: `Dataset ${i}`,
  description: i % 2 ? null : 'About things',
  numObjects: i,
  numQueries: 0,
  dataSources: ['NAS share'],
  health: 'healthy',
  progress: i % 3 ? null : 40,
  lastIndexedAt: 1_700_000_000_000 + i,
});
const turn = {
  id: 'turn-1',
  question: 'How long?',
  datasetNames: ['A'],
  llmId: null,
  languageCode: 'de-DE',
  answer: 'Thirty days.',
  status: 'complete',
  error: null,
  progress: ['Searching'],
  followUps: [],
  documents: [],
  queryUid: 'q1',
  feedback: null,
  refinedFrom: null,
  askedAt: 1,
  answeredAt: 2,
};
const error = { kind: 'network', message: 'Gone.', action: 'Retry.', status: 503, retryAfterMs: 10 };
const requestId = 'req-12345678';

const samples: Array<[EventChannel, unknown]> = [
  ['gaia:app.command', { command: 'palette' }],
  ['gaia:datasets.page', { requestId, offset: 0, datasets: [dataset(1), dataset(2), dataset(3)] }],
  ['gaia:datasets.progress', { requestId, loaded: 99, pages: 1, retry: null }],
  ['gaia:datasets.progress', { requestId, loaded: 99, pages: 1, retry: { attempt: 1, waitMs: 400, reason: 'rate limited' } }],
  ['gaia:keys.rotateProgress', { requestId, step: 'create', state: 'running', message: 'Creating' }],
  ['gaia:ask.event', { requestId, type: 'started', conversationId: 'c1', turnId: 't1' }],
  ['gaia:ask.event', { requestId, type: 'delta', text: 'Hello' }],
  ['gaia:ask.event', { requestId, type: 'followUps', questions: ['Why?'] }],
  ['gaia:ask.event', { requestId, type: 'retrying', attempt: 2, waitMs: 5, reason: 'busy' }],
  ['gaia:ask.event', { requestId, type: 'done', turn }],
  ['gaia:ask.event', { requestId, type: 'error', turn: { ...turn, status: 'error', error }, error }],
];

const ODD: unknown[] = [undefined, null, true, 0, -1, 0.5, 1e21, Number.NaN, Infinity, '', 'x', 'req 1', 'a'.repeat(4097), [], [1], {}, { a: 1 }];

/** Every path into a value: the places a mutation can land. */
function paths(value: unknown, at: Array<string | number> = []): Array<Array<string | number>> {
  const out = [at];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...at, i])));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...at, k]));
  return out;
}

/** A copy of `value` broken at one place: replaced, removed, lengthened, or given an extra key. */
function mutate(value: unknown, path: Array<string | number>, how: number, odd: unknown): unknown {
  const copy = structuredClone(value);
  if (path.length === 0) return how % 2 ? odd : copy;
  type Node = Record<string | number, unknown> & unknown[];
  const parent = path.slice(0, -1).reduce((o, k) => o[k] as Node, copy as Node);
  const key = path.at(-1)!;
  const old = parent[key] as Node | string | number | null;
  switch (how % 4) {
    case 0:
      parent[key] = odd;
      break;
    case 1:
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
      break;
    case 2:
      parent[key] = typeof old === 'string' ? old + 'x'.repeat(4096) : typeof old === 'number' ? -old - 1 : Array.isArray(old) ? [...old, odd] : odd;
      break;
    default:
      if (old && typeof old === 'object' && !Array.isArray(old)) (old as Record<string, unknown>).unexpected = odd;
      else parent[key] = String(old);
  }
  return copy;
}

describe('compileCheck', () => {
  it('accepts every sample event, as zod does', () => {
    for (const [channel, payload] of samples) {
      expect(events[channel].safeParse(payload).success).toBe(true);
      expect(compileCheck(events[channel])(payload)).toBe(true);
    }
  });

  it('answers what safeParse answers for the contract’s events, broken anywhere', () => {
    const compiled = new Map(Object.entries(events).map(([c, s]) => [c, compileCheck(s)]));
    fc.assert(
      fc.property(fc.nat(samples.length - 1), fc.nat(), fc.nat(), fc.constantFrom(...ODD), (which, where, how, odd) => {
        const [channel, sample] = samples[which];
        const all = paths(sample);
        const broken = mutate(sample, all[where % all.length], how, odd);
        expect(compiled.get(channel)!(broken)).toBe(events[channel].safeParse(broken).success);
      }),
      { numRuns: 5000 },
    );
  });

  it('follows strict objects, formats and refinements the way zod does', () => {
    const cases: Array<[z.ZodType, unknown[]]> = [
      [z.strictObject({ a: z.string() }), [{ a: 'x' }, { a: 'x', b: 1 }, {}]],
      [z.looseObject({ a: z.number().int().min(2).max(4) }), [{ a: 3, b: 1 }, { a: 3.5 }, { a: 5 }, { a: 1 }]],
      [z.int(), [1, 1.5, 2 ** 60]],
      [z.email(), ['a@b.co', 'nope']],
      [z.string().refine((s) => s.startsWith('a')), ['abc', 'bcd']],
      [z.record(z.string(), z.number()), [{ a: 1 }, { a: 'x' }, []]],
      [z.array(z.string()).min(1).max(2), [[], ['a'], ['a', 'b', 'c'], [1]]],
      [z.enum(['x', 'y']).nullable().optional(), ['x', 'z', null, undefined]],
    ];
    for (const [schema, values] of cases) {
      const check = compileCheck(schema);
      for (const value of values) expect(check(value), JSON.stringify(value)).toBe(schema.safeParse(value).success);
    }
  });
});

describe('compileUnchanged (the dispatch passes a value on without zod’s copy)', () => {
  /** Only a "yes" is relied on: then zod must accept the value and hand back exactly it. */
  const agrees = (schema: z.ZodType, unchanged: (v: unknown) => boolean) => (value: unknown) => {
    if (!unchanged(value)) return;
    const parsed = schema.safeParse(value);
    expect(parsed.success).toBe(true);
    expect(parsed.data).toStrictEqual(value);
  };
  const arbitraries = (schema: z.ZodType): fc.Arbitrary<unknown>[] => {
    const out: fc.Arbitrary<unknown>[] = [hostile];
    // The contract's arbitraries know the request types; a response type they do not know is fuzzed with hostile values only.
    for (const make of [valid, nearValid]) {
      try {
        out.push(make(schema));
      } catch {
        // not a type zod-arbitrary generates
      }
    }
    return out;
  };

  for (const [channel, spec] of Object.entries(channels) as Array<[Channel, (typeof channels)[Channel]]>) {
    for (const side of ['request', 'response'] as const) {
      const schema = spec[side] as z.ZodType;
      const unchanged = compileUnchanged(schema);
      if (!unchanged) continue;
      it(`${channel} ${side}: a value passed on is one zod accepts and leaves as it is`, () => {
        fc.assert(fc.property(fc.oneof(...arbitraries(schema)), agrees(schema, unchanged)), { numRuns: 300 });
      });
    }
  }

  it('passes the datasets.list request and its paged answer on, and leaves an answer with a stray key to zod', () => {
    const request = compileUnchanged(channels['gaia:datasets.list'].request)!;
    const response = compileUnchanged(channels['gaia:datasets.list'].response)!;
    expect(request({ requestId, refresh: true, pages: true })).toBe(true);
    expect(request({ requestId, refresh: true, extra: 1 })).toBe(false);
    const answer = { datasets: [], fetchedAt: 1, source: 'network', error: null, streamed: 36 };
    expect(response(answer)).toBe(true);
    expect(response({ ...answer, datasets: [dataset(1)] })).toBe(true);
    expect(response({ ...answer, internal: 'x' })).toBe(false);
    expect(response({ ...answer, datasets: [{ ...dataset(1), secret: 'x' }] })).toBe(false);
    expect(response({ ...answer, source: 'elsewhere' })).toBe(false);
  });

  it('leaves to zod every schema that may change a value, and agrees with it on the rest', () => {
    for (const schema of [z.string().trim(), z.number().default(1), z.string().transform((s) => s.length), z.coerce.number(), z.object({ a: z.string().catch('x') }), z.email()]) {
      expect(compileUnchanged(schema)).toBeNull();
    }
    const cases: Array<[z.ZodType, unknown[]]> = [
      [z.object({ a: z.string() }), [{ a: 'x' }, { a: 'x', b: 1 }, {}]],
      [z.looseObject({ a: z.number().min(2) }), [{ a: 3, b: 1 }, { a: 1 }]],
      [z.strictObject({ a: z.string().optional() }), [{}, { a: undefined }, { a: 'x' }, { b: 1 }]],
      [z.union([z.object({ a: z.string() }), z.looseObject({ a: z.string(), b: z.number() })]), [{ a: 'x' }, { a: 'x', b: 1 }]],
      [z.array(z.string()).max(2), [[], ['a'], ['a', 'b', 'c']]],
      [z.enum(['x', 'y']).nullable(), ['x', null, 'z']],
    ];
    for (const [schema, values] of cases) {
      const unchanged = compileUnchanged(schema)!;
      for (const value of values) agrees(schema, unchanged)(value);
    }
    // The first option zod accepts is a strip object, which would drop `b`: not passed on.
    expect(compileUnchanged(cases[3][0])!({ a: 'x', b: 1 })).toBe(false);
  });
});

