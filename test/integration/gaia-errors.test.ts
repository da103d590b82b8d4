/**
 * Every failure kind, produced for real against the simulator (or a closed port, or an
 * unresolvable name), in plain words — and the key in none of them, nor in the gaia.log.
 */
import net from 'node:net';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { AppErrorInfo } from '../../preload/contract';
import { createGaiaClient } from '../../main/core/gaia/client';
import { caught, containsSecret, everyRendering, recordingClock, simClient, useSimClient } from '../support/gaia';

const gaia = useSimClient();
const errors: unknown[] = [];

async function failure(p: Promise<unknown>) {
  const err = await caught(p);
  errors.push(err);
  // Every error survives the bridge as-is.
  AppErrorInfo.parse(err.info);
  return err;
}


describe("Gaia's answers", () => {
  it('401: a wrong key', async () => {
    const wrong = simClient(gaia.sim, gaia.log, { apiKey: 'totally-wrong-key-123' });
    const err = await failure(wrong.validate());
    await wrong.close();
    expect(err.info.kind).toBe('unauthorized');
    expect(err.info.status).toBe(401);
    expect(err.info.message).toMatch(/did not accept the API key/);
    expect(err.info.action).toMatch(/apiKey header/);
    expect(everyRendering(err)).not.toContain('totally-wrong-key-123');
  });

  it('403: a read-only key asked to change something', async () => {
    const reader = simClient(gaia.sim, gaia.log, { apiKey: gaia.sim.readKey });
    const err = await failure(reader.apiKeys.update(gaia.sim.readKey, 'write'));
    await reader.close();
    expect(err.info.kind).toBe('forbidden');
    expect(err.info.message).toMatch(/GAIA_MODIFY/);
    expect(containsSecret(everyRendering(err), gaia.sim.readKey)).toBe(false);
    expect(containsSecret(gaia.log.written(), gaia.sim.readKey)).toBe(false);
  });

  it('404: what was asked for, by name, with what Gaia said', async () => {
    const err = await failure(gaia.client.datasetDetails('No Such Dataset'));
    expect(err.info.kind).toBe('not-found');
    expect(err.info.message).toContain('“No Such Dataset”');
    expect(err.info.message).toContain("Gaia said: “Dataset 'No Such Dataset' not found.”");
  });

  it('404 on the first call means the base URL is wrong', async () => {
    const lost = createGaiaClient({ baseUrl: `${gaia.sim.origin}/v2/mcm/wrong`, apiKey: gaia.sim.demoKey, caPem: gaia.sim.caPem, verifyTls: true }, { log: gaia.log, env: {} });
    const err = await failure(lost.validate());
    await lost.close();
    expect(err.info.kind).toBe('not-found');
    expect(err.info.message).toMatch(/No Gaia service answered/);
    expect(err.info.action).toMatch(/base URL/);
  });

  it("422: FastAPI's detail becomes field problems", async () => {
    const err = await failure(gaia.client.ask({ datasetNames: [], queryString: 'anything' }));
    expect(err.info.kind).toBe('validation-failed');
    expect(err.info.fields).toEqual([{ field: 'datasetNames', message: 'ensure this value has at least 1 items' }]);
  });

  it('429: rate limited, with Retry-After, once retries run out', async () => {
    gaia.sim.faults.set({ rateLimit: { retryAfter: 7 } });
    try {
      const clock = recordingClock();
      const c = simClient(gaia.sim, gaia.log, {}, { retry: { clock, maxRetries: 2 } });
      const err = await failure(c.llms());
      await c.close();
      expect(err.info.kind).toBe('rate-limited');
      expect(err.info.retryAfterMs).toBe(7000);
      expect(err.info.action).toMatch(/Wait 7 s/);
      expect(clock.waits).toEqual([7000, 7000]);
    } finally {
      gaia.sim.faults.clear();
    }
  });

  it('5xx: a server error, with what Gaia said', async () => {
    gaia.sim.faults.set({ serverError: { status: 500 } });
    try {
      const err = await failure(gaia.client.llms());
      expect(err.info.kind).toBe('server-error');
      expect(err.info.status).toBe(500);
      expect(err.info.message).toMatch(/temporarily unavailable/);
    } finally {
      gaia.sim.faults.clear();
    }
  });

  it('an HTML page instead of JSON: never the raw HTML', async () => {
    gaia.sim.faults.set({ htmlPage: {} });
    try {
      const err = await failure(gaia.client.llms());
      expect(err.info.kind).toBe('html-response');
      expect(err.info.message).toMatch(/A proxy or sign-in page answered instead of Gaia/);
      expect(err.info.message).toContain('Sign in – Contoso Access');
      expect(everyRendering(err)).not.toMatch(/<html|<script|do-not-show/i);
    } finally {
      gaia.sim.faults.clear();
    }
  });

  it('a body that is not JSON: unexpected-response, details to the gaia.log only', async () => {
    gaia.sim.faults.set({ invalidJson: {} });
    try {
      const err = await failure(gaia.client.listDatasetsPage({}));
      expect(err.info.kind).toBe('unexpected-response');
      expect(err.info.message).not.toContain('trunc');
      expect(gaia.log.raw.some((l) => l.includes('not JSON') && l.includes('trunc'))).toBe(true);
    } finally {
      gaia.sim.faults.clear();
    }
  });

  it('JSON of an unexpected shape: unexpected-response', async () => {
    gaia.sim.faults.set({ bodyOverride: { body: { items: 'not a list' }, path: '/datasets' } });
    try {
      const err = await failure(gaia.client.listDatasetsPage({}));
      expect(err.info.kind).toBe('unexpected-response');
      expect(err.info.message).toMatch(/not in the form Gaia uses/);
    } finally {
      gaia.sim.faults.clear();
    }
  });

  it("error bodies are read for `message`, then `errorMessage`, then `errorCode`", async () => {
    gaia.sim.faults.set({ bodyOverride: { status: 500, body: { errorMessage: 'Vector index offline', errorCode: 'kIndexDown' }, path: '/llms' } });
    try {
      expect((await failure(gaia.client.llms())).info.message).toContain('“Vector index offline”');
      gaia.sim.faults.set({ bodyOverride: { status: 500, body: { errorCode: 'kIndexDown' }, path: '/llms' } });
      expect((await failure(gaia.client.llms())).info.message).toContain('“kIndexDown”');
    } finally {
      gaia.sim.faults.clear();
    }
  });

  it("a failure's long body is not read past 64 KB: the status still says what went wrong", async () => {
    const padding = 'x'.repeat(70 * 1024);
    gaia.sim.faults.set({ bodyOverride: { status: 500, body: { errorCode: 'kIndexDown', padding }, path: '/llms' } });
    try {
      const long = await failure(gaia.client.llms());
      gaia.sim.faults.set({ bodyOverride: { status: 500, body: { padding: 'x' }, path: '/llms' } });
      const short = await failure(gaia.client.llms());
      // The same answer as for a 500 whose body says nothing, not body-too-large.
      expect(long.info.kind).toBe(short.info.kind);
      expect(long.info.status).toBe(500);
      expect(long.info.message).not.toContain('kIndexDown');
    } finally {
      gaia.sim.faults.clear();
    }
  });

  it('an answer of a declared length past the cap: body-too-large, and the gaia.client still works after it', async () => {
    const c = simClient(gaia.sim, gaia.log, {}, { limits: { maxBodyBytes: 1024 } });
    try {
      const err = await failure(c.listDatasetsPage({}));
      expect(err.info.kind).toBe('body-too-large');
      expect(err.info.message).toMatch(/1 KB/);
      // The gaia.client is still usable afterwards (the refused connection was let go, not left half-read).
      expect((await failure(c.listDatasetsPage({}))).info.kind).toBe('body-too-large');
    } finally {
      await c.close();
    }
  });

  it('a server that echoes the key in its error message does not get it shown', async () => {
    gaia.sim.faults.set({ bodyOverride: { status: 500, body: { message: `invalid key ${gaia.sim.demoKey} for tenant` }, path: '/llms' } });
    try {
      const err = await failure(gaia.client.llms());
      expect(err.info.message).toContain('[redacted]');
    } finally {
      gaia.sim.faults.clear();
    }
  });

  it('a cancel reaches a call whose answer has begun but not ended: aborted, and the connection is let go', async () => {
    gaia.sim.faults.set({ runawayBody: {} });
    try {
      // A cap far off, so only the cancel can end the call.
      const c = simClient(gaia.sim, gaia.log, {}, { limits: { maxBodyBytes: 2 ** 31 } });
      const controller = new AbortController();
      const pending = failure(c.llms({ signal: controller.signal }));
      // Once the body has started (it runs on until the gaia.client hangs up), cancel.
      while (!gaia.sim.requestLog.some((r) => r.rawPath.endsWith('/llms'))) await new Promise((resolve) => setTimeout(resolve, 5));
      await new Promise((resolve) => setTimeout(resolve, 20));
      controller.abort();
      const err = await pending;
      await c.close();
      expect(err.info, JSON.stringify(err.info)).toMatchObject({ kind: 'aborted' });
    } finally {
      gaia.sim.faults.clear();
    }
  });

  it('a runaway body is stopped at the cap: body-too-large, not an out-of-memory crash', async () => {
    gaia.sim.faults.set({ runawayBody: {} });
    try {
      const c = simClient(gaia.sim, gaia.log, {}, { limits: { maxBodyBytes: 256 * 1024 } });
      const err = await failure(c.llms());
      await c.close();
      expect(err.info.kind).toBe('body-too-large');
      expect(err.info.message).toMatch(/256 KB/);
    } finally {
      gaia.sim.faults.clear();
    }
  });
});

describe('the network', () => {
  it('DNS failure: a name under the reserved .invalid TLD', async () => {
    const c = createGaiaClient({ baseUrl: 'https://gaia.cluster.invalid/v2/mcm/gaia', apiKey: gaia.sim.demoKey, verifyTls: true }, { log: gaia.log, env: {} });
    const err = await failure(c.validate());
    await c.close();
    expect(err.info.kind).toBe('dns');
    expect(err.info.message).toContain('gaia.cluster.invalid');
    expect(err.info.action).toMatch(/base URL/);
  });

  it('connection refused: a closed local port', async () => {
    const s = net.createServer().listen(0, '127.0.0.1');
    await once(s, 'listening');
    const { port } = s.address() as net.AddressInfo;
    await new Promise<void>((r) => s.close(() => r()));
    const c = createGaiaClient({ baseUrl: `https://127.0.0.1:${port}/v2/mcm/gaia`, apiKey: gaia.sim.demoKey, verifyTls: true }, { log: gaia.log, env: {} });
    const err = await failure(c.validate());
    await c.close();
    expect(err.info.kind).toBe('connection-refused');
    expect(err.info.message).toContain(`127.0.0.1:${port}`);
    expect(err.info.action).toMatch(/base URL/);
  });

  it('timeout: Gaia never answers within the deadline', async () => {
    gaia.sim.faults.set({ hang: { count: 1 } });
    try {
      const c = simClient(gaia.sim, gaia.log, {}, { timeouts: { deadlineMs: 300 } });
      const started = Date.now();
      const err = await failure(c.llms());
      await c.close();
      expect(err.info.kind).toBe('timeout');
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      gaia.sim.faults.clear();
    }
  });

  it('connection reset before the answer (on a call that is not retried)', async () => {
    gaia.sim.faults.set({ reset: { path: '/ask' } });
    try {
      const err = await failure(gaia.client.ask({ datasetNames: ['Café Ops'], queryString: 'hello' }));
      expect(err.info.kind).toBe('connection-reset');
      expect(gaia.sim.requestLog.filter((r) => r.rawPath.endsWith('/ask')).length).toBeGreaterThan(0);
    } finally {
      gaia.sim.faults.clear();
    }
  });

  it('a base URL that cannot work is refused before any request', () => {
    expect(() => createGaiaClient({ baseUrl: 'http://gaia.example.com/v2/mcm/gaia', apiKey: 'k-123456', verifyTls: true }, { log: gaia.log, env: {} })).toThrow(/unencrypted/);
    expect(() => createGaiaClient({ baseUrl: gaia.sim.baseUrl, apiKey: 'two words', verifyTls: true }, { log: gaia.log, env: {} })).toThrow(/API key/);
  });
});

// Runs last (tests in a file run in order): every error produced above.
describe('the key', () => {
  it('appears in no error, however it is rendered, and in no gaia.log line', () => {
    expect(errors.length).toBeGreaterThan(15);
    for (const err of errors) expect(containsSecret(everyRendering(err), gaia.sim.demoKey)).toBe(false);
    expect(gaia.log.written().length).toBeGreaterThan(0);
    expect(containsSecret(gaia.log.written(), gaia.sim.demoKey)).toBe(false);
    // Not merely redacted on the way out: the gaia.client never hands the key to the gaia.log.
    expect(containsSecret(gaia.log.raw.join('\n'), gaia.sim.demoKey)).toBe(false);
  });
});
