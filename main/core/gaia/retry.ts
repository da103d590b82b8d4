/**
 * When to try again, and how long to wait. Reads never change anything, so a GET that
 * met a busy gateway (502/503/504) or a reset connection is tried again; a 429 means
 * the request was not processed at all, so it is retried whatever the method. Waits
 * grow exponentially with jitter, honour Retry-After, and stop at a count and a total
 * time, so the user is never left waiting on a hopeless loop.
 */
import type { RetryInfo } from '../../../preload/contract';
import { AppError, appError } from '../errors';

// The contract's shape, so a retry reaches the page as it is reported here. Its reason is
// e.g. "rate limited", "server error 503", "connection reset".
export type { RetryInfo };

export interface Clock {
  now(): number;
  /** Resolves after `ms`, rejects with an AbortError when the signal fires first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface RetryPolicy {
  maxRetries: number;
  /** Waiting stops when the next wait would take the call past this, counted from its start. */
  maxTotalMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
  clock: Clock;
  /** 0..1, for jitter; injectable so tests are deterministic. */
  random: () => number;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(abortReason(signal));
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(abortReason(signal!));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

export const defaultRetryPolicy: RetryPolicy = {
  maxRetries: 5,
  maxTotalMs: 60_000,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  clock: realClock,
  random: Math.random,
};

/**
 * Retry-After is either delay-seconds or an HTTP-date (RFC 9110 §10.2.3). Returns ms to
 * wait, or undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | string[] | undefined, now: number): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw || !raw.trim()) return undefined;
  const text = raw.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

const RETRYABLE_STATUS = new Set([502, 503, 504]);

/** Why this failure may be retried, or null when it must not be. */
export function retryReason(err: unknown, idempotent: boolean): string | null {
  if (!(err instanceof AppError)) return null;
  const { kind, status } = err.info;
  if (kind === 'rate-limited') return 'rate limited';
  if (!idempotent) return null;
  if (status !== undefined && RETRYABLE_STATUS.has(status)) return `server error ${status}`;
  if (kind === 'connection-reset') return 'connection reset';
  return null;
}

export function backoffMs(retry: number, policy: RetryPolicy): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  // "Equal jitter": at least half the ceiling, so waits still grow, but clients that
  // failed together do not come back together.
  return Math.round(ceiling / 2 + (policy.random() * ceiling) / 2);
}

export interface RetryOptions {
  idempotent: boolean;
  signal?: AbortSignal;
  onRetry?: (info: RetryInfo) => void;
}

/**
 * Runs `attempt` until it succeeds, fails for good, or the policy's count or time runs
 * out; then the last failure is thrown as it was (a 429 keeps its retryAfterMs).
 */
export async function withRetry<T>(attempt: (n: number) => Promise<T>, policy: RetryPolicy, options: RetryOptions): Promise<T> {
  const started = policy.clock.now();
  for (let retry = 0; ; retry++) {
    try {
      return await attempt(retry);
    } catch (err) {
      const reason = retryReason(err, options.idempotent);
      if (!reason || retry >= policy.maxRetries) throw err;
      const info = (err as AppError).info;
      // The server's own Retry-After beats our guess.
      const waitMs = info.retryAfterMs ?? backoffMs(retry + 1, policy);
      if (policy.clock.now() - started + waitMs > policy.maxTotalMs) throw err;
      options.onRetry?.({ attempt: retry + 1, waitMs, reason });
      try {
        await policy.clock.sleep(waitMs, options.signal);
      } catch {
        throw appError('aborted', 'The request was cancelled.', 'Try again when you are ready.');
      }
    }
  }
}
