/**
 * Splits Markdown at blank lines outside fenced code, keeping indented continuations
 * (list items' later paragraphs, indented code) and a loose list's later items with the
 * block before them. Every block but the last is finished while the answer streams.
 */
const LIST_ITEM = /^ {0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)/;

export function splitBlocks(text: string): string[] {
  const blocks: string[] = [];
  let current: string[] = [];
  let fence: string | null = null;
  let blank = false;
  for (const line of text.split('\n')) {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    // The next item of a loose list (items apart by blank lines) stays in its list.
    const listGoesOn = LIST_ITEM.test(line) && current.length > 0 && LIST_ITEM.test(current[0]);
    if (fence === null && blank && line.trim() !== '' && !/^[ \t]/.test(line) && !listGoesOn && current.length) {
      blocks.push(current.join('\n'));
      current = [];
    }
    current.push(line);
    if (marker) {
      if (fence === null) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length) fence = null;
    }
    blank = fence === null && line.trim() === '';
  }
  if (current.length) blocks.push(current.join('\n'));
  return blocks;
}

/**
 * splitBlocks for text that only grows: the blocks already finished are kept, and only
 * the text from the start of the last (still growing) block is split again. Splitting
 * from a block's start gives the same blocks as splitting the whole text, since every
 * block starts with the scanner's state reset (outside a fence, after a blank line). A
 * block counts as finished only once the first line of the block after it is complete,
 * since that line decides where the block ends (an indented line or a list's next item
 * continues it). Text that does not continue the previous one (a stored answer that
 * differs) keeps only the finished blocks it still begins with.
 */
export class BlockSplitter {
  private text = '';
  private finished: string[] = [];
  /** Where the growing block starts in `text`. */
  private tailStart = 0;
  private blocks: string[] = [''];

  split(text: string): string[] {
    if (text === this.text) return this.blocks;
    if (!text.startsWith(this.text)) {
      let same = 0;
      const max = Math.min(text.length, this.text.length);
      while (same < max && text.charCodeAt(same) === this.text.charCodeAt(same)) same++;
      // A finished block stays if the new text agrees up to the end of the line that ended it.
      while (this.finished.length) {
        const decidedAt = this.text.indexOf('\n', this.tailStart);
        if (decidedAt >= 0 && decidedAt < same) break;
        this.tailStart -= this.finished.pop()!.length + 1;
      }
    }
    const rest = splitBlocks(text.slice(this.tailStart));
    const last = rest.length - 1;
    let done = 0;
    for (; done < last; done++) {
      if (done === last - 1 && !rest[last].includes('\n')) break;
      this.finished.push(rest[done]);
      this.tailStart += rest[done].length + 1;
    }
    this.text = text;
    // A new array only for React; the finished strings are shared.
    this.blocks = [...this.finished, ...rest.slice(done)];
    return this.blocks;
  }
}
