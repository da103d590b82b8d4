/**
 * Gaia cites its sources inline as "[1]" or "[1, 3]". This rehype step turns those into
 * `<sup data-cite="1">` elements (one per number), which Markdown renders as chips; text
 * inside code, links and headings' anchors stays as written. A number names the n-th
 * source of the answer, in the order Gaia listed them.
 */
import type { Element, ElementContent, Root, RootContent, Text } from 'hast';

const CITE = /\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]/g;
const SKIP = new Set(['code', 'pre', 'a']);

/** The citation numbers in a text, and the text between them. */
export function splitCitations(value: string): Array<string | number> {
  const out: Array<string | number> = [];
  let last = 0;
  for (const match of value.matchAll(CITE)) {
    if (match.index > last) out.push(value.slice(last, match.index));
    for (const n of match[1].split(',')) out.push(Number(n.trim()));
    last = match.index + match[0].length;
  }
  if (last < value.length) out.push(value.slice(last));
  return out;
}

function cite(n: number): Element {
  return { type: 'element', tagName: 'sup', properties: { dataCite: String(n) }, children: [{ type: 'text', value: `[${n}]` }] };
}

function walk(node: Root | Element): void {
  const next: Array<RootContent | ElementContent> = [];
  let changed = false;
  for (const child of node.children) {
    if (child.type === 'text' && child.value.includes('[')) {
      const parts = splitCitations((child as Text).value);
      if (parts.some((p) => typeof p === 'number')) {
        changed = true;
        for (const p of parts) next.push(typeof p === 'number' ? cite(p) : { type: 'text', value: p });
        continue;
      }
    } else if (child.type === 'element' && !SKIP.has(child.tagName)) {
      walk(child);
    }
    next.push(child);
  }
  if (changed) node.children = next as typeof node.children;
}

export function rehypeCitations() {
  return (tree: Root) => walk(tree);
}
