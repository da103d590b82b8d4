/**
 * The one rule for matching what the user typed against names (Datasets search, the Ask
 * dataset picker, the command palette): lower case without accents.
 */
const ACCENTS = /[\u0300-\u036f]+/g;

/** Lower case without accents: "München" and "munchen" meet; full-width letters become plain; kana and hangul stay as they are. */
export function fold(text: string): string {
  // Most names are plain ASCII: skip the normalisation for them.
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(text)) return text.toLowerCase();
  return text.normalize('NFKD').replace(ACCENTS, '').normalize('NFC').toLowerCase();
}
