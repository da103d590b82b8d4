/**
 * The streaming answer is rendered as blocks, so only the growing last block is parsed
 * again as text arrives. Splitting must never change the text, and never cut through a
 * fenced code block or an indented continuation.
 */
import { describe, expect, it } from 'vitest';
import { splitBlocks } from '../../renderer/features/ask/blocks';

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
