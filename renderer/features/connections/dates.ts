/** Dates and ages as people read them, in the user's locale. */

const DAY = 86_400_000;

export function formatDate(ms: number): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(ms);
}

export function formatDateTime(ms: number): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(ms);
}

/** Whole days between then and now (0 for today). */
export function daysSince(ms: number, now = Date.now()): number {
  return Math.max(0, Math.floor((now - ms) / DAY));
}

/** "today", "yesterday", "12 days ago", or a date for anything older than a year. */
export function ago(ms: number, now = Date.now()): string {
  const days = daysSince(ms, now);
  if (days === 0) return 'today';
  if (days === 1) return 'yesterday';
  if (days < 365) return `${days} days ago`;
  return `on ${formatDate(ms)}`;
}

/** Whole days from now until then, rounded up (1 for later today); 0 or less once passed. */
export function daysUntil(ms: number, now = Date.now()): number {
  return Math.ceil((ms - now) / DAY);
}

/** A date input's value (YYYY-MM-DD) as the start of that day here, in ms; null when empty. */
export function fromDateInput(value: string): number | null {
  return value ? new Date(`${value}T00:00:00`).getTime() : null;
}

/** The local day of `ms` as a date input shows it (YYYY-MM-DD); empty for none. */
export function toDateInput(ms: number | null): string {
  return ms === null ? '' : new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
}
