/**
 * Splits Markdown at blank lines outside fenced code, keeping indented continuations
 * (list items' later paragraphs, indented code) with the block before them. Every block
 * but the last is finished while the answer streams.
 */
export function splitBlocks(text: string): string[] {
  const blocks: string[] = [];
  let current: string[] = [];
  let fence: string | null = null;
  let blank = false;
  for (const line of text.split('\n')) {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === null && blank && line.trim() !== '' && !/^[ \t]/.test(line) && current.length) {
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
