import type { ConversationSummary, SourceDocument } from '../../../preload/contract';

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

export function bestScore(doc: SourceDocument): number {
  return doc.citations.reduce((best, c) => Math.max(best, c.score ?? -Infinity), -Infinity);
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

/**
 * Titles that tell conversations apart in the list: a title shared by several gets the
 * day and time it was started ("Hotel limits · 3 Mar 2026, 14:05"), then, if that is
 * shared too, its datasets, then a number.
 */
export function distinctTitles(conversations: ConversationSummary[]): Map<string, string> {
  const out = new Map<string, string>();
  const groups = (label: (c: ConversationSummary) => string, list: ConversationSummary[]) => {
    const by = new Map<string, ConversationSummary[]>();
    for (const c of list) {
      const key = label(c).trim().toLocaleLowerCase();
      by.set(key, [...(by.get(key) ?? []), c]);
    }
    return by;
  };
  const byTitle = groups((c) => c.title, conversations);
  for (const same of byTitle.values()) {
    if (same.length === 1) {
      out.set(same[0].id, same[0].title);
      continue;
    }
    const withTime = (c: ConversationSummary) => `${c.title} · ${formatDateTime(c.createdAt)}`;
    for (const [, group] of groups(withTime, same)) {
      if (group.length === 1) {
        out.set(group[0].id, withTime(group[0]));
        continue;
      }
      const withData = (c: ConversationSummary) => (c.datasetNames.length ? `${withTime(c)} · ${c.datasetNames.join(', ')}` : withTime(c));
      for (const [, still] of groups(withData, group)) {
        // Oldest first gets no number, so a title does not change when a newer one arrives.
        const ordered = [...still].sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
        ordered.forEach((c, i) => out.set(c.id, i === 0 ? withData(c) : `${withData(c)} (${i + 1})`));
      }
    }
  }
  return out;
}
