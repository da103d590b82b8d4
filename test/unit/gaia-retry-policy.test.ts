import { describe, expect, it } from 'vitest';
import { appError } from '../../main/core/errors';
import { backoffMs, defaultRetryPolicy, parseRetryAfter, retryReason, withRetry, type RetryPolicy } from '../../main/core/gaia/retry';
import { recordingClock } from '../support/gaia';

const policy = (extra: Partial<RetryPolicy> = {}): RetryPolicy => ({ ...defaultRetryPolicy, clock: recordingClock(), random: () => 0.5, ...extra });
const http = (status: number, kind: Parameters<typeof appError>[0] = 'server-error', retryAfterMs?: number) =>
  appError(kind, 'm', 'a', { status, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });

describe('Retry-After', () => {
  const now = Date.parse('2025-06-01T12:00:00Z');
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('4', now)).toBe(4000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter(['2', '9'], now)).toBe(2000);
  });
  it('reads an HTTP-date, and a date in the past as "now"', () => {
    expect(parseRetryAfter('Sun, 01 Jun 2025 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sun, 01 Jun 2025 11:00:00 GMT', now)).toBe(0);
  });
  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
  });
});

describe('what is retried', () => {
  it('429 always; 502/503/504 and resets only when idempotent; never 500, 4xx or TLS', () => {
    expect(retryReason(http(429, 'rate-limited'), false)).toBe('rate limited');
    for (const s of [502, 503, 504]) {
      expect(retryReason(http(s), true)).toBe(`server error ${s}`);
      expect(retryReason(http(s), false)).toBeNull();
    }
    expect(retryReason(appError('connection-reset', 'm', 'a'), true)).toBe('connection reset');
    expect(retryReason(appError('connection-reset', 'm', 'a'), false)).toBeNull();
    expect(retryReason(http(500), true)).toBeNull();
    expect(retryReason(http(404, 'not-found'), true)).toBeNull();
    expect(retryReason(appError('tls-unknown-ca', 'm', 'a'), true)).toBeNull();
    expect(retryReason(new Error('plain'), true)).toBeNull();
  });
});

describe('backoff', () => {
  it('grows exponentially up to the cap, with jitter between half and all of it', () => {
    const p = policy({ baseDelayMs: 500, maxDelayMs: 8000 });
    const low = policy({ random: () => 0 });
    const high = policy({ random: () => 0.999999 });
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffMs(n, p))).toEqual([375, 750, 1500, 3000, 6000, 6000]);
    expect(backoffMs(3, low)).toBe(1000);
    expect(backoffMs(3, high)).toBe(2000);
  });
});

describe('withRetry', () => {
  it('returns the first success and reports each retry', async () => {
    let calls = 0;
    const infos: unknown[] = [];
    const result = await withRetry(
      async () => {
        calls++;
        if (calls < 3) throw http(503);
        return 'ok';
      },
      policy(),
      { idempotent: true, onRetry: (i) => infos.push(i) },
    );
    expect(result).toBe('ok');
    expect(infos).toEqual([
      { attempt: 1, waitMs: 375, reason: 'server error 503' },
      { attempt: 2, waitMs: 750, reason: 'server error 503' },
    ]);
  });

  it('uses the server’s Retry-After instead of its own backoff', async () => {
    const clock = recordingClock();
    let calls = 0;
    await withRetry(async () => (calls++ === 0 ? Promise.reject(http(429, 'rate-limited', 12_000)) : 'ok'), policy({ clock }), { idempotent: false });
    expect(clock.waits).toEqual([12_000]);
  });

  it('stops at the total time budget and throws the last failure as it was', async () => {
    const clock = recordingClock();
    const last = http(429, 'rate-limited', 25_000);
    await expect(withRetry(async () => Promise.reject(last), policy({ clock, maxTotalMs: 60_000 }), { idempotent: true })).rejects.toBe(last);
    expect(clock.waits).toEqual([25_000, 25_000]);
  });

  it('turns a cancel during a wait into an aborted AppError', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(withRetry(async () => Promise.reject(http(503)), policy(), { idempotent: true, signal: controller.signal })).rejects.toMatchObject({ info: { kind: 'aborted' } });
  });
});
