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

/**
 * Text and chips, where each run of chips is held on one line with the word before it
 * (a chip alone at the start of a line reads as belonging to nothing).
 */
export function keepWithWord(parts: Array<string | number>): ElementContent[] {
  const out: ElementContent[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (typeof p === 'number') {
      out.push(cite(p));
      continue;
    }
    if (typeof parts[i + 1] !== 'number') {
      out.push({ type: 'text', value: p });
      continue;
    }
    const word = /\S+\s*$/.exec(p);
    if (!word) {
      out.push({ type: 'text', value: p });
      continue;
    }
    if (word.index > 0) out.push({ type: 'text', value: p.slice(0, word.index) });
    const kept: ElementContent[] = [{ type: 'text', value: word[0] }];
    while (typeof parts[i + 1] === 'number') kept.push(cite(parts[++i] as number));
    out.push({ type: 'element', tagName: 'span', properties: { className: ['cite-keep'] }, children: kept });
  }
  return out;
}

function walk(node: Root | Element): void {
  const next: Array<RootContent | ElementContent> = [];
  let changed = false;
  for (const child of node.children) {
    if (child.type === 'text' && child.value.includes('[')) {
      const parts = splitCitations((child as Text).value);
      if (parts.some((p) => typeof p === 'number')) {
        changed = true;
        next.push(...keepWithWord(parts));
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

export interface CitedSource {
  /** Index of the document in the answer's documents. */
  doc: number;
  snippet: string | null;
  score: number | null;
}

/**
 * What each citation number of an answer points at. Gaia numbers its citations in the
 * order of the documents' snippets (documents as listed, each one's snippets in order),
 * so [n] is the n-th snippet; an answer whose numbers go beyond its snippets but not its
 * documents numbers documents instead.
 */
export function citationTargets(documents: Array<{ citations: Array<{ snippet: string; score: number | null }> }>): CitedSource[] {
  const bySnippet = documents.flatMap((d, doc) => d.citations.map((c) => ({ doc, snippet: c.snippet, score: c.score })));
  if (bySnippet.length >= documents.length) return bySnippet;
  return documents.map((d, doc) => {
    const best = [...d.citations].sort((a, b) => (b.score ?? -Infinity) - (a.score ?? -Infinity))[0];
    return { doc, snippet: best?.snippet ?? null, score: best?.score ?? null };
  });
}

/** "1", "1–3" or "2, 5": the citation numbers that point at a document, for its label. */
export function numbersOf(targets: CitedSource[], doc: number): string {
  const ns = targets.flatMap((t, i) => (t.doc === doc ? [i + 1] : []));
  if (!ns.length) return String(doc + 1);
  const contiguous = ns.every((n, i) => i === 0 || n === ns[i - 1] + 1);
  return ns.length === 1 ? String(ns[0]) : contiguous ? `${ns[0]}–${ns.at(-1)}` : ns.join(', ');
}
