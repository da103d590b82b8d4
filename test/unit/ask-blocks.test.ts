/**
 * An answer is rendered as blocks, so only the growing last block is parsed again as
 * text arrives. Splitting must never change the text, and never cut through a fenced
 * code block, an indented continuation or a loose list; splitting as the text grows
 * must give exactly the blocks of splitting it whole.
 */
import { describe, expect, it } from 'vitest';
import { BlockSplitter, splitBlocks } from '../../renderer/features/ask/blocks';
import { keepWithWord, splitCitations } from '../../renderer/features/ask/citations';

const ANSWER = [
  'Backups are kept as follows. [1]',
  '',
  'Related points:',
  '',
  '- Daily backups: 35 days',
  '- Weekly backups: 12 weeks',
  '',
  '  A continuation of the last item.',
  '',
  '```yaml',
  'policy: standard-retention',
  '',
  'daily: { keep: 35d }',
  '```',
  '',
  '| # | Document |',
  '|---|---|',
  '| 1 | Backup Retention Standard |',
].join('\n');

describe('splitBlocks', () => {
  it('keeps the text exactly, whatever prefix has arrived', () => {
    for (let i = 0; i <= ANSWER.length; i++) {
      const text = ANSWER.slice(0, i);
      expect(splitBlocks(text).join('\n')).toBe(text);
    }
  });

  it('splits at blank lines between blocks, but not inside code or before an indented continuation', () => {
    const blocks = splitBlocks(ANSWER);
    expect(blocks[0]).toBe('Backups are kept as follows. [1]\n');
    expect(blocks[1]).toBe('Related points:\n');
    expect(blocks[2]).toBe('- Daily backups: 35 days\n- Weekly backups: 12 weeks\n\n  A continuation of the last item.\n');
    expect(blocks[3]).toBe('```yaml\npolicy: standard-retention\n\ndaily: { keep: 35d }\n```\n');
    expect(blocks[4]).toContain('| 1 | Backup Retention Standard |');
    expect(blocks).toHaveLength(5);
  });

  it('keeps an unfinished code fence in the last block while it streams', () => {
    const blocks = splitBlocks('Intro\n\n```js\nconst a = 1;\n\nconst b = 2;');
    expect(blocks).toEqual(['Intro\n', '```js\nconst a = 1;\n\nconst b = 2;']);
  });

  it('closes a fence only with the same character, at least as long', () => {
    const blocks = splitBlocks('````md\n```\n\ninside\n````\n\nafter');
    expect(blocks).toEqual(['````md\n```\n\ninside\n````\n', 'after']);
  });
});

const LOOSE = ['Steps:', '', '1. Stop the job', '', '2. Expire the snapshot', '', '   Indented detail.', '', '10. Start again', '', 'Done [2].', '', '- a', '', '-', '', 'end'].join('\n');

describe('loose lists', () => {
  it('keep their items apart by blank lines in one block', () => {
    expect(splitBlocks(LOOSE)).toEqual([
      'Steps:\n',
      '1. Stop the job\n\n2. Expire the snapshot\n\n   Indented detail.\n\n10. Start again\n',
      'Done [2].\n',
      '- a\n\n-\n',
      'end',
    ]);
  });
});

describe('BlockSplitter', () => {
  const samples = [ANSWER, LOOSE, 'para one\n\n1\n\n1. item\n\n    code\n\n~~~\n\n~~~\n\nlast'];
  it('gives the blocks of the whole text at every length, fed a character at a time', () => {
    for (const sample of samples) {
      const splitter = new BlockSplitter();
      for (let i = 0; i <= sample.length; i++) {
        const text = sample.slice(0, i);
        expect(splitter.split(text), JSON.stringify(text)).toEqual(splitBlocks(text));
      }
    }
  });

  it('gives the same blocks fed in uneven pieces', () => {
    for (const sample of samples) {
      const splitter = new BlockSplitter();
      for (let i = 0; i <= sample.length; i += 1 + (i % 7)) expect(splitter.split(sample.slice(0, i))).toEqual(splitBlocks(sample.slice(0, i)));
      expect(splitter.split(sample)).toEqual(splitBlocks(sample));
    }
  });

  it('keeps the finished blocks as the same strings, so their memoized views do not parse again', () => {
    const splitter = new BlockSplitter();
    const before = splitter.split(ANSWER.slice(0, 120));
    const after = splitter.split(ANSWER);
    expect(after[0]).toBe(before[0]);
    expect(after[1]).toBe(before[1]);
  });

  it('recovers when the text changes instead of growing', () => {
    const splitter = new BlockSplitter();
    splitter.split(LOOSE);
    for (const other of [LOOSE.slice(0, 40), 'Steps:\n\n- changed', '', LOOSE.replace('Done', 'Finished'), LOOSE]) {
      expect(splitter.split(other)).toEqual(splitBlocks(other));
    }
  });
});

describe('splitCitations', () => {
  it('finds single and grouped citation numbers, and leaves other brackets alone', () => {
    expect(splitCitations('Kept 35 days [1]. See [2, 3] and [a] or [].')).toEqual(['Kept 35 days ', 1, '. See ', 2, 3, ' and [a] or [].']);
    expect(splitCitations('[1][2]')).toEqual([1, 2]);
    expect(splitCitations('no citations')).toEqual(['no citations']);
  });
});

describe('keepWithWord', () => {
  const shape = (parts: Array<string | number>) =>
    keepWithWord(parts).map((n) =>
      n.type === 'text' ? n.value : n.type === 'element' && n.tagName === 'span' ? { keep: n.children.map((c) => (c.type === 'text' ? c.value : 'chip')) } : 'chip',
    );
  it('holds a run of chips on one line with the word before it', () => {
    expect(shape(['Alcohol is not reimbursed. ', 1, 2, ' More.'])).toEqual(['Alcohol is not ', { keep: ['reimbursed. ', 'chip', 'chip'] }, ' More.']);
    expect(shape([1, ' starts'])).toEqual(['chip', ' starts']);
    expect(shape(['  ', 3])).toEqual(['  ', 'chip']);
  });
});
