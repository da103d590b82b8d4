/**
 * The words the Ask page and the export show instead of raw values: Gaia's enums, the one
 * relevance scale, conversation titles that tell conversations apart, and where each
 * citation number points.
 */
import { describe, expect, it } from 'vitest';
import type { ConversationSummary } from '../../preload/contract';
import { gaiaWords, relevance } from '../../preload/words';
import { citationTargets, numbersOf } from '../../renderer/features/ask/citations';
import { distinctTitles } from '../../renderer/features/ask/format';

describe('gaiaWords', () => {
  it('maps known environments to their names and splits the rest into words', () => {
    expect(gaiaWords('kGenericNas')).toBe('Generic NAS');
    expect(gaiaWords('kO365')).toBe('Microsoft 365');
    expect(gaiaWords('kHyperV')).toBe('Hyper-V');
    expect(gaiaWords('kSomethingNew')).toBe('Something New');
    expect(gaiaWords('Already words')).toBe('Already words');
    expect(gaiaWords('')).toBeNull();
    expect(gaiaWords(null)).toBeNull();
  });
});

describe('relevance', () => {
  it('is a whole percentage, clamped to 0–100', () => {
    expect(relevance(0.667)).toBe('67%');
    expect(relevance(1.2)).toBe('100%');
    expect(relevance(-0.1)).toBe('0%');
  });
});

const summary = (id: string, title: string, createdAt: number, datasetNames = ['HR']): ConversationSummary => ({
  id,
  title,
  datasetNames,
  createdAt,
  updatedAt: createdAt,
  turnCount: 1,
  match: null,
});

describe('distinctTitles', () => {
  it('leaves unique titles alone and tells repeated ones apart by time, then datasets, then a number', () => {
    const at = Date.UTC(2026, 2, 3, 14, 5);
    const titles = distinctTitles([
      summary('a', 'Hotel limits', at),
      summary('b', 'Hotel limits', at + 3_600_000),
      summary('c', 'Unique', at),
      summary('d', 'Same minute', at, ['HR']),
      summary('e', 'Same minute', at, ['Finance']),
      summary('f', 'Twins', at),
      summary('g', 'twins', at),
    ]);
    expect(titles.get('c')).toBe('Unique');
    const shown = [...titles.values()];
    expect(new Set(shown).size).toBe(shown.length);
    expect(titles.get('a')).toMatch(/^Hotel limits · /);
    expect(titles.get('d')).toMatch(/ · HR$/);
    expect(titles.get('e')).toMatch(/ · Finance$/);
    expect(titles.get('g')).toMatch(/\(2\)$/);
    expect(titles.get('f')).not.toMatch(/\(\d\)$/);
  });
});

describe('citationTargets', () => {
  const doc = (...snippets: string[]) => ({ citations: snippets.map((snippet, i) => ({ snippet, score: 0.9 - i / 10 })) });

  it('numbers the snippets in the documents’ order', () => {
    const cited = citationTargets([doc('a1', 'a2', 'a3'), doc('b1')]);
    expect(cited.map((c) => [c.doc, c.snippet])).toEqual([
      [0, 'a1'],
      [0, 'a2'],
      [0, 'a3'],
      [1, 'b1'],
    ]);
    expect(numbersOf(cited, 0)).toBe('1–3');
    expect(numbersOf(cited, 1)).toBe('4');
  });

  it('numbers documents when they outnumber the snippets', () => {
    const cited = citationTargets([doc('a1'), doc(), doc()]);
    expect(cited.map((c) => c.doc)).toEqual([0, 1, 2]);
    expect(cited[1].snippet).toBeNull();
    expect(numbersOf(cited, 2)).toBe('3');
  });
});
