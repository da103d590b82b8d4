/**
 * A connection's name as a surface outside the page shows it (the native trust dialog, the
 * preview's terminal). The page chose that name — a rename needs no key — so in those
 * places it must stay one plain line of text: no control characters (a terminal runs
 * escape sequences: OSC 52 writes the user's clipboard, others erase or hide the line),
 * no line breaks (a dialog's message would gain lines that read as the app's own), no
 * bidirectional overrides (which reorder the origin and changes printed after it).
 */
const UNSHOWABLE = /[\p{Cc}\p{Zl}\p{Zp}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+/gu;
const MAX_SHOWN = 80;

export function shownName(name: string): string {
  const plain = name.replace(UNSHOWABLE, ' ').replace(/\s+/g, ' ').trim();
  const cut = [...plain];
  return cut.length > MAX_SHOWN ? `${cut.slice(0, MAX_SHOWN - 1).join('')}…` : plain || 'unnamed connection';
}
