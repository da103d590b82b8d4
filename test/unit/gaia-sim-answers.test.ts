/**
 * The simulator's answers are what the demo shows a newcomer: the relevance its answer's
 * table gives a document must be the one the sources strip shows for it.
 */
import { describe, expect, it } from 'vitest';
import { compose, search, wireDocuments } from '../gaia-sim/answers';
import { demoCatalog } from '../gaia-sim/corpus';

describe('simulator answers', () => {
  it('the answer’s relevance table uses the citations’ own scores', () => {
    const travel = demoCatalog().byName('Travel & Expenses')!;
    const question = 'Give me a summary table of the travel policy';
    const hits = search(question, [travel]);
    expect(hits.length).toBeGreaterThan(1);
    const answer = compose(question, hits, 1);
    const rows = [...answer.matchAll(/^\| (\d+) \| .* \| (\d+)% \|$/gm)].map((m) => Number(m[2]));
    expect(rows).toHaveLength(hits.length);
    const scores = wireDocuments(hits).flatMap((d) => (d.citations as Array<{ cosineScore: number }>).map((c) => Math.round(c.cosineScore * 100)));
    // One document per file, its citations in hit order: the same order as the table here (one file).
    expect(rows).toEqual(scores);
  });
});
