/**
 * The JSON exchange's attempt (transport.ts WholeAttempt) against a stand-in for undici's
 * dispatcher: what it leaves behind when undici refuses a request outright, and that the
 * deadline and the caller's cancel hold for a request undici has not written (yet).
 */
import { getEventListeners } from 'node:events';
import type { Dispatcher } from 'undici';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../main/core/errors';
import type { ClientContext } from '../../main/core/gaia/context';
import { defaultRetryPolicy } from '../../main/core/gaia/retry';
import { CANCEL_WATCH_MS, createTransport, defaultLimits, defaultTimeouts, type Exchange } from '../../main/core/gaia/transport';
import { createLog } from '../../main/core/platform/log';

const ctx: ClientContext = {
  origin: 'https://gaia.example.test',
  basePath: '/v2/mcm/gaia',
  hostLabel: 'gaia.example.test',
  apiKey: 'key-0123456789',
  securityContext: null,
  trustedFingerprint: null,
  proxy: null,
  probeTarget: { host: 'gaia.example.test', port: 443, servername: 'gaia.example.test' } as ClientContext['probeTarget'],
  redact: (t) => t,
};

const exchange: Exchange = { method: 'GET', path: '/v2/mcm/gaia/datasets', route: 'GET /datasets', idempotent: false, deadlineMs: 5_000 };

function transportOver(dispatch: (opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler) => boolean) {
  const dispatcher = { dispatch, close: async () => undefined } as unknown as Dispatcher;
  return createTransport({ ctx, dispatcher, log: createLog({ dir: null }), timeouts: defaultTimeouts, limits: defaultLimits, retry: { ...defaultRetryPolicy, maxRetries: 0 } });
}

const failure = (p: Promise<unknown>) => p.then(() => null, (err: unknown) => err as AppError);

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('a JSON exchange over undici', () => {
  it('leaves no deadline timer and no cancel listener behind when undici throws from dispatch', async () => {
    const t = transportOver(() => {
      throw Object.assign(new TypeError('invalid header'), { code: 'UND_ERR_INVALID_ARG' });
    });
    const user = new AbortController();
    const err = await failure(t.json(exchange, { signal: user.signal }));
    expect(err).toBeInstanceOf(AppError);
    await vi.advanceTimersByTimeAsync(0);
    expect(vi.getTimerCount()).toBe(0);
    expect(getEventListeners(user.signal, 'abort')).toHaveLength(0);
  });

  it('keeps its deadline for a request undici never begins', async () => {
    const handlers: Dispatcher.DispatchHandler[] = [];
    const t = transportOver((_opts, handler) => (handlers.push(handler), true));
    const pending = failure(t.json(exchange));
    await vi.advanceTimersByTimeAsync(exchange.deadlineMs + 1);
    const err = await pending;
    expect(err?.info.kind).toBe('timeout');
    // When undici does get to it, it is stopped at once.
    const abort = vi.fn();
    handlers[0].onRequestStart?.({ abort, pause() {}, resume() {}, aborted: false, paused: false, reason: null } as unknown as Dispatcher.DispatchController, {});
    expect(abort).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('follows the caller’s cancel from CANCEL_WATCH_MS into an unanswered request, and stops following it once answered', async () => {
    const t = transportOver(() => true);
    const user = new AbortController();
    const pending = failure(t.json(exchange, { signal: user.signal }));
    await vi.advanceTimersByTimeAsync(0);
    // A quick answer never pays for a listener on the signal.
    expect(getEventListeners(user.signal, 'abort')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(CANCEL_WATCH_MS);
    expect(getEventListeners(user.signal, 'abort')).toHaveLength(1);
    user.abort();
    expect((await pending)?.info.kind).toBe('aborted');
    expect(getEventListeners(user.signal, 'abort')).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('sees a cancel made before the watch begins, when it begins', async () => {
    const t = transportOver(() => true);
    const user = new AbortController();
    const pending = failure(t.json(exchange, { signal: user.signal }));
    await vi.advanceTimersByTimeAsync(1);
    user.abort();
    await vi.advanceTimersByTimeAsync(CANCEL_WATCH_MS);
    expect((await pending)?.info.kind).toBe('aborted');
    expect(getEventListeners(user.signal, 'abort')).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('still keeps the whole deadline with a caller’s signal', async () => {
    const t = transportOver(() => true);
    const user = new AbortController();
    const pending = failure(t.json(exchange, { signal: user.signal }));
    await vi.advanceTimersByTimeAsync(exchange.deadlineMs - 1);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect((await pending)?.info.kind).toBe('timeout');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('parses a 2xx body that arrives in pieces, and disarms once answered', async () => {
    const t = transportOver((_opts, handler) => {
      const controller = { abort() {}, pause() {}, resume() {}, aborted: false, paused: false, reason: null } as unknown as Dispatcher.DispatchController;
      handler.onRequestStart?.(controller, {});
      handler.onResponseStart?.(controller, 200, { 'content-type': 'application/json' }, '');
      const body = Buffer.from(JSON.stringify({ datasets: [{ name: 'Café ’23' }], paginationToken: null }));
      handler.onResponseData?.(controller, body.subarray(0, 17));
      handler.onResponseData?.(controller, body.subarray(17));
      handler.onResponseEnd?.(controller, {});
      return true;
    });
    await expect(t.json(exchange)).resolves.toEqual({ datasets: [{ name: 'Café ’23' }], paginationToken: null });
    expect(vi.getTimerCount()).toBe(0);
  });
});
