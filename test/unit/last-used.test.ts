import { describe, expect, it } from 'vitest';
import type { Dispatcher } from 'undici';
import { createUseRecorder } from '../../main/core/connections/last-used';
import { AppError } from '../../main/core/errors';
import type { ClientContext } from '../../main/core/gaia/context';
import { defaultRetryPolicy } from '../../main/core/gaia/retry';
import { createTransport, defaultLimits, defaultTimeouts, type Exchange } from '../../main/core/gaia/transport';
import { createLog } from '../../main/core/platform/log';

const ctx: ClientContext = {
  origin: 'https://gaia.example.test',
  basePath: '/v2/mcm/gaia',
  hostLabel: 'gaia.example.test',
  apiKey: 'key-0123456789',
  securityContext: null,
  trustedFingerprint: null,
  proxy: null,
  probeTarget: { host: 'gaia.example.test', port: 443 } as ClientContext['probeTarget'],
  redact: (t) => t,
};
const exchange: Exchange = { method: 'GET', path: '/v2/mcm/gaia/llms', route: 'GET /llms', idempotent: true, deadlineMs: 5_000 };

describe('last used', () => {
  it('writes on the first success, then at most once per interval per profile', async () => {
    const touched: string[] = [];
    let clock = 1_000;
    const uses = createUseRecorder(async (id) => void touched.push(id), { intervalMs: 60_000, now: () => clock });
    uses.used('a');
    uses.used('a');
    uses.used('b');
    expect(touched).toEqual(['a', 'b']);
    clock += 59_999;
    uses.used('a');
    expect(touched).toEqual(['a', 'b']);
    clock += 1;
    uses.used('a');
    expect(touched).toEqual(['a', 'b', 'a']);
    uses.forget('b');
    uses.used('b');
    expect(touched).toEqual(['a', 'b', 'a', 'b']);
  });

  it('tries again on the next success when the write failed', async () => {
    let calls = 0;
    const uses = createUseRecorder(async () => {
      calls++;
      if (calls === 1) throw new Error('gone');
    });
    uses.used('a');
    await new Promise((r) => setTimeout(r, 0));
    uses.used('a');
    expect(calls).toBe(2);
  });

  it('counts exchanges Gaia answered with a 2xx, not refused ones nor closing', async () => {
    let status = 200;
    const dispatcher = {
      dispatch(_opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler) {
        const controller = { abort() {}, pause() {}, resume() {}, aborted: false, paused: false, reason: null } as unknown as Dispatcher.DispatchController;
        handler.onRequestStart?.(controller, {});
        handler.onResponseStart?.(controller, status, { 'content-type': 'application/json' }, '');
        handler.onResponseData?.(controller, Buffer.from(status === 200 ? '{"llms":[]}' : '{"message":"no"}'));
        handler.onResponseEnd?.(controller, {});
        return true;
      },
      close: async () => undefined,
    } as unknown as Dispatcher;
    let uses = 0;
    const t = createTransport({
      ctx,
      dispatcher,
      log: createLog({ dir: null }),
      timeouts: defaultTimeouts,
      limits: defaultLimits,
      retry: { ...defaultRetryPolicy, maxRetries: 0 },
      onAnswered: () => uses++,
    });
    await t.json(exchange);
    expect(uses).toBe(1);
    for (status of [401, 500]) await expect(t.json(exchange)).rejects.toBeInstanceOf(AppError);
    expect(uses).toBe(1);
    await t.close();
    expect(uses).toBe(1);
  });
});
