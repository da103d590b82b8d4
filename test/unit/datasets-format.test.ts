/**
 * Times on the datasets page as people read them (renderer/features/datasets/format.ts):
 * to the minute, never the seconds; a relative time that rounds to a whole unit says that
 * unit; a span of days written once. The time and range words come from the runtime's
 * Intl data, so the checks look at what is said, not at one locale's exact spelling.
 */
import { describe, expect, it } from 'vitest';
import { formatDayRange, formatExact, formatRelative, formatStat, formatTime } from '../../renderer/features/datasets/format';

const now = Date.UTC(2026, 10, 23, 15, 17, 57);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const seconds = /\d:\d\d:\d\d/;

describe('exact times', () => {
  it('are to the minute, with the zone only where it is asked for (a tooltip)', () => {
    expect(formatTime(now)).toMatch(/2026/);
    expect(formatTime(now)).not.toMatch(seconds);
    expect(formatExact(now)).toMatch(/2026/);
    expect(formatExact(now)).not.toMatch(seconds);
    expect(formatExact(now).length).toBeGreaterThan(formatTime(now).length);
    expect(formatStat('lastUpdatedUsecs', now * 1000)).toBe(formatTime(now));
  });
});

describe('how long ago', () => {
  it('a time that rounds up to a whole unit is said in that unit', () => {
    expect(formatRelative(now - (DAY - 20 * 60_000), now, 'long')).toBe('1 day ago');
    expect(formatRelative(now - (HOUR - 10_000), now, 'long')).toBe('1 hour ago');
    expect(formatRelative(now - 59_700, now, 'long')).toBe('1 minute ago');
    expect(formatRelative(now + (DAY - 20 * 60_000), now, 'long')).toBe('in 1 day');
  });

  it('a time short of that keeps the smaller unit', () => {
    expect(formatRelative(now - (DAY - 40 * 60_000), now, 'long')).toBe('23 hours ago');
    expect(formatRelative(now - 59 * 60_000, now, 'long')).toBe('59 minutes ago');
    expect(formatRelative(now - 6 * DAY, now, 'long')).toBe('6 days ago');
    expect(formatRelative(now - 7 * DAY, now, 'long')).toBe('1 week ago');
  });
});

describe('a span of days', () => {
  it('is written once, each end optional, with no time of day', () => {
    const range = formatDayRange(now - 30 * DAY, now);
    expect(range).toMatch(/–/);
    expect(range.match(/2026/g)).toHaveLength(1);
    expect(range).not.toMatch(/\d:\d\d/);
    expect(formatDayRange(now, null)).toMatch(/^From .*2026/);
    expect(formatDayRange(null, now)).toMatch(/^Until .*2026/);
    expect(formatDayRange(null, null)).toBe('');
    // Ends in the wrong order are still both said.
    expect(formatDayRange(now, now - 400 * DAY)).toMatch(/2026 – .*2025/);
  });
});
