/**
 * Numbers, times and words for the datasets page, in the user's locale and time zone.
 */
import type { DatasetHealth } from '../../../preload/contract';

const numberFormat = new Intl.NumberFormat();
// Times to the minute: a dataset's seconds say nothing to the person reading them.
const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const zonedFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' });
const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const relative = {
  narrow: new Intl.RelativeTimeFormat(undefined, { style: 'narrow', numeric: 'always' }),
  long: new Intl.RelativeTimeFormat(undefined, { style: 'long', numeric: 'always' }),
};

export const formatCount = (n: number): string => numberFormat.format(n);

/** e.g. "Nov 23, 2026, 4:17 PM GMT+1": local time with its zone, for a tooltip beside a relative time. */
export const formatExact = (ms: number): string => zonedFormat.format(ms);

/** e.g. "Nov 23, 2026, 4:17 PM": local time as shown on the page (the zone is the reader's own). */
export const formatTime = (ms: number): string => timeFormat.format(ms);

/** "Nov 1 – Dec 1, 2026", "From Nov 1, 2026", "Until Dec 1, 2026": a span of days, each end optional. */
export function formatDayRange(start: number | null, end: number | null): string {
  if (start !== null && end !== null) return start <= end ? dayFormat.formatRange(start, end) : `${dayFormat.format(start)} – ${dayFormat.format(end)}`;
  if (start !== null) return `From ${dayFormat.format(start)}`;
  if (end !== null) return `Until ${dayFormat.format(end)}`;
  return '';
}

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['week', 7 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];

/** "3h ago" (narrow, for table cells) or "3 hours ago" (long, for sentences). */
export function formatRelative(ms: number, now: number, style: 'narrow' | 'long' = 'narrow'): string {
  const diff = ms - now;
  const abs = Math.abs(diff);
  // Within a few seconds either way (clocks of main and the window differ a little).
  if (abs < 10_000) return style === 'long' ? 'just now' : 'now';
  for (const [i, [unit, size]] of UNITS.entries()) {
    // A time that would round up to a whole unit says so: 23 h 40 min is "1 day ago", not "24 hours ago".
    const smaller = UNITS[i + 1]?.[1] ?? 0;
    if (abs >= size - smaller / 2 || unit === 'second') {
      const value = Math.round(diff / size);
      return relative[style].format(value === 0 ? 0 : value, unit);
    }
  }
  return relative[style].format(0, 'second');
}

/** "1 h 5 min", "42 s": how long something took. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h${m % 60 ? ` ${m % 60} min` : ''}`;
  return `${Math.round(h / 24)} days`;
}

export const HEALTH_LABEL: Record<DatasetHealth, string> = {
  healthy: 'Healthy',
  indexing: 'Indexing',
  warning: 'Warning',
  failed: 'Failed',
  unknown: 'Not indexed yet',
};

/** "numDocumentsIndexed" → "Documents indexed"; "lastUpdatedUsecs" → "Last updated". */
export function humanizeKey(key: string): string {
  const words = key
    .replace(/Usecs$|Msecs$|Secs$/, '')
    .replace(/^num(?=[A-Z])/, '')
    .replace(/_/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .trim()
    .toLowerCase();
  return words ? words[0].toUpperCase() + words.slice(1) : key;
}

/** A stats value as a person reads it; microsecond times become local times. */
export function formatStat(key: string, value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') {
    if (/Usecs$/.test(key)) return formatTime(value / 1000);
    if (/Msecs$/.test(key)) return formatTime(value);
    return formatCount(value);
  }
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'string') return value;
  try {
    const text = JSON.stringify(value);
    return text.length > 200 ? `${text.slice(0, 199)}…` : text;
  } catch {
    return String(value);
  }
}
