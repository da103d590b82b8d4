/**
 * The dataset list reads Gaia's datasets with a hand-written reader (readWireDataset, for
 * speed at 100,000), and a streamed answer its plain pieces (readPlainAnswerPiece, and plainPieceText before any JSON.parse); the zod
 * schemas WireDataset and WireAnswer are the reference. They must agree on
 * anything Gaia might send: valid, odd, and wrong-typed fields alike.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readPlainAnswerPiece, readWireDataset, readWireDatasetPage, WireAnswer, WireDataset, WireDatasetPage } from '../../main/core/gaia/wire';
import { plainPieceText } from '../../main/core/gaia/stream';
import { readDatasetSummary, toDatasetSummary } from '../../main/core/gaia/convert';

const odd = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: false }),
  fc.string({ maxLength: 8 }),
  fc.constantFrom('12', '-3.5', '1e3', '', ' 7', 'abc', '0x10', Infinity, -Infinity, Number.NaN, 0, -1),
  fc.array(fc.oneof(fc.string({ maxLength: 4 }), fc.integer()), { maxLength: 3 }),
  fc.dictionary(fc.constantFrom('a', 'health', 'startTimeUsecs', 'stats'), fc.oneof(fc.integer(), fc.string({ maxLength: 4 }), fc.constant(null)), { maxKeys: 3 }),
);
const run = fc.oneof(odd, fc.record({ startTimeUsecs: odd, endTimeUsecs: odd, stats: odd, health: odd, progress: odd, extra: odd }, { requiredKeys: [] }));
const dataset = fc.record(
  {
    name: fc.oneof(fc.string({ maxLength: 12 }), odd),
    id: odd,
    description: odd,
    numObjects: odd,
    numQueries: odd,
    dataSources: odd,
    baasSnapshots: odd,
    indexingWindow: fc.oneof(odd, fc.record({ mostRecent: odd, startTimeUsecs: odd, endTimeUsecs: odd }, { requiredKeys: [] })),
    userIds: odd,
    lastIndexingRun: run,
    status: odd,
    somethingNew: odd,
  },
  { requiredKeys: [] },
);

describe('readWireDataset', () => {
  it('answers what WireDataset.safeParse answers, for any input', () => {
    fc.assert(
      fc.property(fc.oneof(dataset, odd), (value) => {
        const parsed = WireDataset.safeParse(value);
        expect(readWireDataset(value)).toEqual(parsed.success ? parsed.data : null);
      }),
      { numRuns: 3000 },
    );
  });

  it('reads a typical dataset field by field', () => {
    const w = readWireDataset({ name: 'Finance', id: 42, numObjects: '17', description: 5, lastIndexingRun: { endTimeUsecs: '1700000000000000', stats: [] }, extra: 'kept' });
    expect(w).toEqual({ name: 'Finance', id: '42', numObjects: 17, description: undefined, lastIndexingRun: { endTimeUsecs: 1_700_000_000_000_000, stats: undefined }, extra: 'kept' });
    expect(readWireDataset({ name: '' })).toBeNull();
    expect(readWireDataset([{ name: 'x' }])).toBeNull();
  });

  it('leaves what Gaia sent untouched: a well-formed dataset is read as is, an odd one is copied', () => {
    const good = { name: 'Finance', id: 'ab12', numObjects: 3, lastIndexingRun: { endTimeUsecs: 1, stats: {} } };
    expect(readWireDataset(good)).toBe(good);
    const odd = { name: 'Finance', numObjects: '17', lastIndexingRun: { endTimeUsecs: '5' } };
    const snapshot = structuredClone(odd);
    const read = readWireDataset(odd);
    expect(read).not.toBe(odd);
    expect(read).toEqual({ name: 'Finance', numObjects: 17, lastIndexingRun: { endTimeUsecs: 5 } });
    expect(odd).toEqual(snapshot);
  });
});

describe('readDatasetSummary (a listed dataset read straight into its summary)', () => {
  // Values a summary reads further: health words, progress, data source lists and long strings.
  const health = fc.oneof(odd, fc.constantFrom('kHealthy', 'Running', 'FAILED', 'kWarning', 'done', 'IN_PROGRESS'), fc.record({ status: fc.constantFrom('Healthy', 'x') }));
  const progress = fc.oneof(odd, fc.double({ min: -5, max: 150 }), fc.constantFrom(0.4, '40%', 100), fc.record({ completed: fc.integer(), total: fc.integer() }));
  const sources = fc.oneof(odd, fc.array(fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.record({ name: odd, displayName: odd }, { requiredKeys: [] })), { maxLength: 4 }));
  const listed = fc.record(
    {
      name: fc.oneof(fc.string({ maxLength: 12 }), fc.constant('n'.repeat(1100)), odd),
      id: fc.oneof(odd, fc.constant('i'.repeat(300))),
      description: fc.oneof(odd, fc.constant('d'.repeat(9000))),
      numObjects: odd,
      numQueries: odd,
      dataSources: sources,
      indexingWindow: fc.oneof(odd, fc.record({ startTimeUsecs: odd, endTimeUsecs: fc.oneof(odd, fc.constant(1_700_000_000_000_000)) }, { requiredKeys: [] })),
      lastIndexingRun: fc.oneof(
        run,
        fc.record({ startTimeUsecs: fc.oneof(odd, fc.constant(1_600_000_000_000_000)), endTimeUsecs: fc.oneof(odd, fc.constant('1700000000000000')), health, progress }, { requiredKeys: [] }),
      ),
      status: health,
      somethingNew: odd,
    },
    { requiredKeys: [] },
  );

  it('answers toDatasetSummary(readWireDataset(value)), or null where that reads none, for any input', () => {
    fc.assert(
      fc.property(fc.oneof(listed, dataset, odd), (value) => {
        const w = readWireDataset(value);
        expect(readDatasetSummary(value)).toEqual(w ? toDatasetSummary(w) : null);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('readWireDatasetPage', () => {
  const page = fc.oneof(
    fc.record({ datasets: fc.oneof(fc.array(odd, { maxLength: 3 }), odd), paginationToken: odd, somethingNew: odd }, { requiredKeys: [] }),
    fc.record({ datasets: fc.array(dataset, { maxLength: 2 }), paginationToken: fc.oneof(fc.string({ maxLength: 8 }), fc.constant(null)) }, { requiredKeys: ['datasets'] }),
    odd,
  );
  it('answers what WireDatasetPage.safeParse answers, for any input', () => {
    fc.assert(
      fc.property(page, (value) => {
        const parsed = WireDatasetPage.safeParse(value);
        expect(readWireDatasetPage(value)).toStrictEqual(parsed.success ? parsed.data : null);
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses what is not a page, reads null datasets as none, and drops a token of the wrong type', () => {
    expect(readWireDatasetPage({ datasets: null })).toEqual({ datasets: [] });
    expect(readWireDatasetPage({ datasets: [{ name: 'a' }], paginationToken: 'next' })).toEqual({ datasets: [{ name: 'a' }], paginationToken: 'next' });
    expect(readWireDatasetPage({ datasets: [], paginationToken: 7 })).toEqual({ datasets: [], paginationToken: undefined });
    const wellFormed = { datasets: [{ name: 'a' }], paginationToken: null, somethingNew: 1 };
    expect(readWireDatasetPage(wellFormed)).toBe(wellFormed);
    expect(readWireDatasetPage({})).toBeNull();
    expect(readWireDatasetPage({ datasets: {} })).toBeNull();
    expect(readWireDatasetPage([[]])).toBeNull();
    expect(readWireDatasetPage(null)).toBeNull();
  });
});

describe('readPlainAnswerPiece', () => {
  const piece = fc.dictionary(fc.constantFrom('responseString', 'queryUid', 'conversationId', 'finishReason', 'documents', 'done', 'status', 'extra'), odd, { maxKeys: 4 });
  it('reads a piece only as WireAnswer.safeParse would, and leaves the rest to it', () => {
    fc.assert(
      fc.property(piece, (value) => {
        const fast = readPlainAnswerPiece(value);
        if (fast === null) return;
        const parsed = WireAnswer.safeParse(value);
        expect(parsed.success).toBe(true);
        expect(fast).toEqual(parsed.data);
      }),
      { numRuns: 3000 },
    );
    expect(readPlainAnswerPiece({ responseString: 'Hello', queryUid: 'q1' })).toEqual({ responseString: 'Hello', queryUid: 'q1' });
    expect(readPlainAnswerPiece({ responseString: 'Hello', done: true })).toBeNull();
    expect(readPlainAnswerPiece({ responseString: 5 })).toBeNull();
  });
});

describe('plainPieceText (a streamed piece read without JSON.parse)', () => {
  const piece = fc.oneof(
    // The common piece, with any text: escapes, quotes, control characters, astral planes.
    fc.string({ unit: 'binary', maxLength: 40 }).map((s) => JSON.stringify({ data: { responseString: s } })),
    // Near misses: other fields, spacing, nesting, the top-level form, cut short.
    fc.string({ maxLength: 12 }).chain((s) =>
      fc.constantFrom(
        JSON.stringify({ data: { responseString: s, queryUid: 'q' } }),
        JSON.stringify({ data: { responseString: s } }, null, 1),
        JSON.stringify({ responseString: s }),
        JSON.stringify({ data: { responseString: s } }).slice(0, -1),
        `{"data":{"responseString":"${s}"}}`,
        `{"data":{"responseString":"}}`,
      ),
    ),
    fc.string({ maxLength: 40 }),
  );
  it('gives only what JSON.parse would: the text of a {"data":{"responseString"}} piece, or null', () => {
    fc.assert(
      fc.property(piece, (data) => {
        const fast = plainPieceText(data);
        if (fast === null) return;
        const parsed = JSON.parse(data) as { data: Record<string, unknown> };
        expect(Object.keys(parsed)).toEqual(['data']);
        expect(parsed.data).toEqual({ responseString: fast });
      }),
      { numRuns: 5000 },
    );
    // Backslashes, n and quotes in every arrangement: the newline-only unescaping must
    // know an escaped backslash before an n, a trailing backslash, an escaped quote.
    const inside = fc.string({ unit: fc.constantFrom('\\', 'n', '"', 'a', 'u', '0', '\n', 'é'), maxLength: 16 });
    fc.assert(
      fc.property(inside, (s) => {
        let parsed: unknown = null;
        try {
          parsed = JSON.parse(`"${s}"`);
        } catch {
          // not one literal: plainPieceText must say null too
        }
        expect(plainPieceText(`{"data":{"responseString":"${s}"}}`)).toBe(typeof parsed === 'string' ? parsed : null);
      }),
      { numRuns: 5000 },
    );
    expect(plainPieceText('{"data":{"responseString":"Hello, world"}}')).toBe('Hello, world');
    expect(plainPieceText('{"data":{"responseString":"say \\"hi\\"\\n"}}')).toBe('say "hi"\n');
    expect(plainPieceText('{"data":{"responseString":"a","queryUid":"b"}}')).toBeNull();
    expect(plainPieceText('{"data":{"responseString":"a\\"}}')).toBeNull();
  });
});
