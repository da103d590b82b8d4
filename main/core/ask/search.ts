/**
 * Searching the history: case- and accent-insensitive, every word must occur, with an
 * excerpt from the original text around the first one.
 */

/** What a search reads of a conversation. */
export interface Searchable {
  title: string;
  turns: ReadonlyArray<{ question: string; answer: string }>;
}

interface Folded {
  text: string;
  /** For each UTF-16 index of `text`, the index in the original string. */
  map: number[];
}

/** Lower case, accents removed (é → e, Å → a), one folded piece per original character. */
export function fold(input: string): Folded {
  let text = '';
  const map: number[] = [];
  let i = 0;
  for (const ch of input) {
    const piece = ch.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    for (let k = 0; k < piece.length; k++) map.push(i);
    text += piece;
    i += ch.length;
  }
  return { text, map };
}

function terms(query: string): string[] {
  return fold(query).text.split(/\s+/).filter((t) => t.length > 0);
}

const EXCERPT_BEFORE = 60;
const EXCERPT_AFTER = 140;

export function excerpt(original: string, start: number, length: number): string {
  const from = Math.max(0, start - EXCERPT_BEFORE);
  const to = Math.min(original.length, start + length + EXCERPT_AFTER);
  // Do not cut a surrogate pair in half.
  const safeFrom = from > 0 && /[\udc00-\udfff]/.test(original[from] ?? '') ? from - 1 : from;
  const safeTo = to < original.length && /[\ud800-\udbff]/.test(original[to - 1] ?? '') ? to + 1 : to;
  const body = original.slice(safeFrom, safeTo).replace(/\s+/g, ' ').trim();
  return `${safeFrom > 0 ? '…' : ''}${body}${safeTo < original.length ? '…' : ''}`.slice(0, 1024);
}

/** Null when not every term occurs; else the excerpt around the first term's first occurrence. */
export function matchConversation(conversation: Searchable, query: string): string | null {
  const wanted = terms(query);
  if (wanted.length === 0) return null;
  // Questions and answers first (the excerpt is more useful there), the title last.
  const fields = [...conversation.turns.flatMap((t) => [t.question, t.answer]), conversation.title];
  const folded = fields.map(fold);
  const all = folded.map((f) => f.text).join('\n');
  if (!wanted.every((t) => all.includes(t))) return null;
  for (let f = 0; f < folded.length; f++) {
    const at = folded[f].text.indexOf(wanted[0]);
    if (at >= 0) {
      const start = folded[f].map[at];
      const endFolded = at + wanted[0].length - 1;
      const end = (folded[f].map[endFolded] ?? start) + 1;
      return excerpt(fields[f], start, end - start);
    }
  }
  return null;
}
