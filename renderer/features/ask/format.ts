import type { SourceDocument } from '../../../preload/contract';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });

export function formatDateTime(ms: number | null): string {
  return ms === null || !Number.isFinite(ms) ? 'unknown' : dateTime.format(ms);
}

/** "14:05" today, "3 Mar 2025" otherwise: for lists. */
export function formatShort(ms: number): string {
  const d = new Date(ms);
  const today = new Date();
  return d.toDateString() === today.toDateString() ? timeFormat.format(d) : dayFormat.format(d);
}

/** Gaia's enum words, readable: kGenericNas → Generic NAS. */
export function prettyEnum(value: string | null): string | null {
  if (!value) return null;
  const bare = value.replace(/^k(?=[A-Z])/, '');
  const known: Record<string, string> = { GenericNas: 'Generic NAS', O365: 'Microsoft 365', AzureOpenAI: 'Azure OpenAI', VMware: 'VMware' };
  return known[bare] ?? bare.replace(/([a-z])([A-Z])/g, '$1 $2');
}

export function formatScore(score: number | null): string {
  return score === null ? 'no score' : score.toFixed(2);
}

export function bestScore(doc: SourceDocument): number {
  return doc.citations.reduce((best, c) => Math.max(best, c.score ?? -Infinity), -Infinity);
}

export function byBestScore(documents: SourceDocument[]): SourceDocument[] {
  return [...documents].sort((a, b) => bestScore(b) - bestScore(a) || a.name.localeCompare(b.name));
}

export function citationsByScore(doc: SourceDocument): SourceDocument['citations'] {
  return [...doc.citations].sort((a, b) => (b.score ?? -Infinity) - (a.score ?? -Infinity));
}

/** Answer languages offered (BCP 47); "Auto" lets Gaia follow the question. */
export const LANGUAGES = [
  'en-US', 'en-GB', 'de-DE', 'fr-FR', 'es-ES', 'it-IT', 'pt-BR', 'pt-PT', 'nl-NL', 'sv-SE', 'da-DK', 'nb-NO', 'fi-FI',
  'pl-PL', 'cs-CZ', 'hu-HU', 'ro-RO', 'el-GR', 'tr-TR', 'ru-RU', 'uk-UA', 'ar-SA', 'he-IL', 'hi-IN', 'th-TH', 'vi-VN',
  'id-ID', 'ja-JP', 'ko-KR', 'zh-CN', 'zh-TW',
];

let names: Intl.DisplayNames | null = null;
export function languageName(code: string): string {
  try {
    names ??= new Intl.DisplayNames(['en'], { type: 'language' });
    return `${names.of(code) ?? code} (${code})`;
  } catch {
    return code;
  }
}
