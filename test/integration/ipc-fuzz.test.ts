/**
 * IPC fuzzing: arbitrary values — wrong types, huge strings, deep objects, objects whose
 * own keys are __proto__ / constructor / prototype (as JSON.parse makes them), valid
 * requests with one thing broken, and valid requests — sent to EVERY channel of the
 * contract, through the real dispatch of a real core (what ipc.ts calls) and through the
 * preview server's HTTP transport.
 *
 * For every call:
 *   - refused as 'invalid-request' exactly when the contract's request schema refuses the
 *     input, and the refusal never echoes a value that was sent;
 *   - otherwise handled: ok:true with a value that matches the response schema (and was
 *     stripped to it), or ok:false with a typed error that is not a crash ('internal')
 *     or an unchecked answer ('invalid-response');
 *   - the handler ran exactly when the input was valid, and saw exactly the validated
 *     data — plain objects, no prototype keys (each handler of the real table is wrapped
 *     by the test to check its own input);
 *   - nothing is polluted: Object.prototype and friends are unchanged after every call;
 *   - the process does not crash: no uncaught exception or unhandled rejection, and the
 *     server still answers at the end.
 * And across the run: events match their schemas, the shell's openExternal port only
 * ever received allowlisted https URLs, the clipboard was never written, and no API key
 * sent to any channel reached the log or any file in the data folder.
 *
 * The data folder holds no profile and every URL the generators make points at a
 * closed loopback port, so nothing reaches the network. Keychain calls go to a private
 * keyring (the one scripts/test.mjs prepared, or one started here).
 */
import http from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AppErrorInfo, channels, ErrorKind, events, type Channel, type Envelope, type EventChannel } from '../../preload/contract';
import { createCore, type Core } from '../../main/core/core';
import type { HandlerTable } from '../../main/core/dispatch';
import { CALL_PATH, startPreviewServer, TOKEN_HEADER, type PreviewServer } from '../../main/preview/server';
import { ambientOrPrivateKeyring, haveKeyringTools, useBus } from '../support/keyring-session';
import { testPorts } from '../support/ports';
import { hostile, hostileJsonText, MARKER, nearValid, nonStrictObjects, valid, type Overrides } from '../support/zod-arbitrary';

// ---------------------------------------------------------------------------
// The real handler table, each handler wrapped to check what it is given — where
// dispatch receives it, so the handlers the core answers from its cheap part at start
// (app.info, settings.get) are checked as much as the assembled ones.

const spy = vi.hoisted(() => ({
  calls: [] as Array<{ channel: string; request: unknown }>,
  problems: [] as string[],
  table: null as null | Record<string, (request: unknown, ctx: unknown) => Promise<unknown>>,
}));

vi.mock('../../main/core/dispatch', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../main/core/dispatch')>();
  const contract = await import('../../preload/contract');
  const plain = (value: unknown, at: string, out: string[]) => {
    if (value === null || typeof value !== 'object') return;
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== Array.prototype) out.push(`${at} has a foreign prototype`);
    for (const key of Reflect.ownKeys(value)) {
      if (typeof key !== 'string') out.push(`${at} has a symbol key`);
      else if (['__proto__', 'constructor', 'prototype'].includes(key)) out.push(`${at} has an own "${key}" key`);
      else plain((value as Record<string, unknown>)[key], `${at}.${key}`, out);
    }
  };
  return {
    ...real,
    createDispatch: (handlers: HandlerTable, ...rest: Parameters<typeof real.createDispatch> extends [unknown, ...infer R] ? R : never) => {
      const table = handlers as unknown as Record<string, (request: unknown, ctx: unknown) => Promise<unknown>>;
      const wrapped: Record<string, (request: unknown, ctx: unknown) => Promise<unknown>> = {};
      for (const [channel, handler] of Object.entries(table)) {
        wrapped[channel] = async (request, ctx) => {
          spy.calls.push({ channel, request });
          const spec = (contract.channels as Record<string, { request: { safeParse(v: unknown): { success: boolean } } } | undefined>)[channel];
          if (!spec) spy.problems.push(`a handler for "${channel}", which is not in the contract, ran`);
          else if (!spec.request.safeParse(request).success) spy.problems.push(`the ${channel} handler was given input its schema refuses`);
          const shape: string[] = [];
          plain(request, 'request', shape);
          for (const p of shape) spy.problems.push(`the ${channel} handler was given a request where ${p}`);
          return handler(request, ctx);
        };
      }
      spy.table = wrapped;
      return real.createDispatch(wrapped as unknown as HandlerTable, ...rest);
    },
  };
});

// ---------------------------------------------------------------------------
// Generators per channel

const CHANNELS = Object.keys(channels) as Channel[];
const DISPATCH_RUNS = 50;
const HTTP_RUNS = 30;
const KEY_MARK = `${MARKER}KEY`;
const CLOSED = 'http://127.0.0.1:1';

const junkUrl = fc.string({ maxLength: 20 }).map((s) => `not a url ${MARKER}${s}`);
const overrides: Overrides = {
  // Every address points at a closed loopback port, or is refused before any connection.
  baseUrl: fc.oneof(fc.constantFrom(CLOSED, `${CLOSED}/v2/mcm/gaia`, 'https://127.0.0.1:1', 'https://localhost:1/v2/mcm/gaia', 'ftp://127.0.0.1:1/'), junkUrl),
  proxyUrl: fc.oneof(fc.constant(null), fc.constant(CLOSED), junkUrl),
  url: fc.oneof(
    fc.constantFrom(
      'https://docs.cohesity.com/x',
      'https://www.cohesity.com/',
      'https://github.com/cohesity',
      'https://github.com/attacker/phish',
      'https://github.com/cohesityevil/x',
      'https://cohesity.com.evil.example/',
      'https://evilcohesity.com/',
      'http://docs.cohesity.com/',
      'https://user:pw@docs.cohesity.com/',
      'https://docs.cohesity.com@evil.example/',
      'https://evil.example/#.cohesity.com',
      'https://docs.cohesity.com./',
      'HTTPS://DOCS.COHESITY.COM/',
      'javascript:alert(1)//.cohesity.com',
      'file:///etc/passwd',
      'app://gaia/index.html',
    ),
    fc.webUrl(),
    fc.string({ maxLength: 30 }),
  ),
  // Keys carry a mark so the run can look for them in the log and on disk afterwards.
  // Shorter than 32 characters: only registration, not the long-token rule, can hide them.
  apiKey: fc.string({ unit: fc.constantFrom(...'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789'), minLength: 8, maxLength: 22 }).map((s) => `${KEY_MARK}${s}`),
};

const inputs = (channel: Channel) => {
  const schema = channels[channel].request;
  return fc.oneof(
    { weight: 4, arbitrary: hostile },
    { weight: 4, arbitrary: nearValid(schema, overrides) },
    { weight: 2, arbitrary: valid(schema, overrides) },
  );
};
const jsonInputs = (channel: Channel): fc.Arbitrary<string> => {
  const schema = channels[channel].request;
  const text = (v: unknown) => JSON.stringify(v) ?? 'null';
  return fc.oneof(
    { weight: 4, arbitrary: hostileJsonText },
    { weight: 4, arbitrary: nearValid(schema, overrides).map(text) },
    { weight: 2, arbitrary: valid(schema, overrides).map(text) },
  );
};

// ---------------------------------------------------------------------------
// The app under test

const recorded = { opened: [] as string[], clipboard: [] as string[], openAtLogin: [] as boolean[] };
const ports = testPorts({
  shell: 'preview',
  openExternal: async (url) => void recorded.opened.push(url),
  writeClipboard: async (text) => {
    recorded.clipboard.push(text);
    return false;
  },
  setOpenAtLogin: (enabled) => void recorded.openAtLogin.push(enabled),
});

let core: Core;
let server: PreviewServer;
let dataDir = '';
let rendererDir = '';
let stopKeyring: (() => Promise<void>) | null = null;
let restoreBus: (() => void) | null = null;
const token = `fuzz-${process.pid}-${Date.now()}`;
const eventProblems: string[] = [];
const crashes: unknown[] = [];
const onCrash = (err: unknown) => crashes.push(err);

const PROTOTYPES: Array<[string, object]> = [
  ['Object.prototype', Object.prototype],
  ['Array.prototype', Array.prototype],
  ['Function.prototype', Function.prototype],
  ['String.prototype', String.prototype],
];
const prototypeSnapshot = () => PROTOTYPES.map(([name, proto]) => `${name}: ${Reflect.ownKeys(proto).map(String).sort().join(',')}`);
let pristine: string[] = [];
function expectUnpolluted(context: string) {
  expect(prototypeSnapshot(), `prototypes changed after ${context}`).toEqual(pristine);
  const probe = {} as Record<string, unknown>;
  for (const key of ['polluted', 'isAdmin', MARKER]) expect(probe[key], `({}).${key} after ${context}`).toBeUndefined();
}

beforeAll(async () => {
  pristine = prototypeSnapshot();
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  if (haveKeyringTools()) {
    const keyring = await ambientOrPrivateKeyring();
    stopKeyring = () => keyring.stop();
    restoreBus = useBus(keyring.address);
  }
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'gaia-fuzz-data-'));
  rendererDir = mkdtempSync(path.join(os.tmpdir(), 'gaia-fuzz-renderer-'));
  core = await createCore({
    dataDir,
    keychainService: `gaia-desktop-test-${process.pid}-${Math.random().toString(36).slice(2)}`,
    appName: 'Gaia Desktop',
    version: '0.0.0-fuzz',
    ports,
    env: {},
  });
  core.onEvent((channel, payload) => {
    if (!events[channel as EventChannel]?.safeParse(payload).success) eventProblems.push(`event ${String(channel)} does not match its schema`);
  });
  server = await startPreviewServer({ core, rendererDir, token });
}, 60_000);

afterAll(async () => {
  process.off('uncaughtException', onCrash);
  process.off('unhandledRejection', onCrash);
  await server?.close();
  await core?.close();
  restoreBus?.();
  await stopKeyring?.();
  for (const dir of [dataDir, rendererDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

afterEach(() => {
  expect(spy.problems).toEqual([]);
  expect(eventProblems).toEqual([]);
  expect(crashes).toEqual([]);
});

// ---------------------------------------------------------------------------
// The oracle

const NOT_A_HANDLED_ANSWER = new Set(['invalid-request', 'unknown-channel', 'forbidden-sender', 'internal', 'invalid-response']);

function describeInput(input: unknown): string {
  try {
    const text = typeof input === 'string' ? input : (JSON.stringify(input) ?? String(input));
    return text.length > 300 ? `${text.slice(0, 300)}… (${text.length} chars)` : text;
  } catch {
    return Object.prototype.toString.call(input);
  }
}

/** Checks one answer against the contract; `input` is exactly what the core received. */
function checkAnswer(channel: Channel, input: unknown, answer: unknown, handlerRuns: Array<{ channel: string; request: unknown }>) {
  const spec = channels[channel];
  const parsed = spec.request.safeParse(input);
  const context = `${channel} ← ${describeInput(input)}`;
  expect(answer, context).toBeTypeOf('object');
  const envelope = answer as Envelope<unknown>;
  expect(() => JSON.stringify(envelope), `${context}: the answer must survive IPC/JSON`).not.toThrow();

  if (!parsed.success) {
    expect(envelope.ok, `${context}: invalid input must be refused`).toBe(false);
    if (envelope.ok) return;
    expect(envelope.error.kind, context).toBe('invalid-request');
    expect(AppErrorInfo.strict().safeParse(envelope.error).success, `${context}: a well-formed error`).toBe(true);
    expect(JSON.stringify(envelope).includes(MARKER), `${context}: the refusal echoes a value that was sent`).toBe(false);
    expect(handlerRuns, `${context}: the handler ran on invalid input`).toEqual([]);
    return;
  }

  expect(handlerRuns.map((r) => r.channel), `${context}: the handler runs once for valid input`).toEqual([channel]);
  expect(handlerRuns[0].request, `${context}: the handler sees exactly the validated request`).toEqual(parsed.data);
  if (envelope.ok) {
    const checked = spec.response.safeParse(envelope.value);
    expect(checked.success, `${context}: the value matches the response schema`).toBe(true);
    if (checked.success) expect(envelope.value, `${context}: the value is stripped to the response schema`).toEqual(checked.data);
  } else {
    expect(ErrorKind.options, context).toContain(envelope.error.kind);
    expect(AppErrorInfo.strict().safeParse(envelope.error).success, `${context}: a well-formed error`).toBe(true);
    expect(NOT_A_HANDLED_ANSWER.has(envelope.error.kind), `${context}: valid input answered with "${envelope.error.kind}": ${envelope.error.message}`).toBe(false);
  }
}

/** fast-check's report, with the megabyte-long counterexamples cut down to something readable. */
function readableReport<T>(details: fc.RunDetails<T>): void {
  if (!details.failed) return;
  const cause = details.errorInstance instanceof Error ? `\nCaused by: ${details.errorInstance.message}` : '';
  const message = `${fc.defaultReportMessage(details) ?? 'property failed'}${cause}`.replace(/(.)\1{63,}/gs, (run, c: string) => `${c.repeat(8)}…(${run.length} × ${JSON.stringify(c)})`);
  throw new Error(message.length > 20_000 ? `${message.slice(0, 20_000)}… (report cut)` : message);
}
const settings = <T>(numRuns: number): fc.Parameters<T> => ({ numRuns, reporter: readableReport<T> });

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
function post(body: string | Buffer, headers: Record<string, string> = {}): Promise<{ status: number; text: string } | { error: string }> {
  const { port, host } = new URL(server.origin);
  return new Promise((resolve) => {
    const req = http.request(
      {
        agent,
        host: '127.0.0.1',
        port: Number(port),
        method: 'POST',
        path: CALL_PATH,
        headers: { host, origin: server.origin, [TOKEN_HEADER]: token, 'content-type': 'application/json', ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (e) => resolve({ error: e.message }));
      },
    );
    req.on('error', (e) => resolve({ error: (e as NodeJS.ErrnoException).code ?? e.message }));
    req.end(body);
  });
}

// ---------------------------------------------------------------------------

describe('the fuzzing harness', () => {
  it('every request schema is strict at every level (so an extra key is always refused)', () => {
    const loose = CHANNELS.flatMap((channel) => nonStrictObjects(channels[channel].request).map((at) => `${channel} ${at}`));
    expect(loose).toEqual([]);
  });

  it('wraps the real handler table, and its check of handler input can fail', async () => {
    expect(spy.table, 'createCore gave its table to the wrapped createDispatch').not.toBeNull();
    expect(Object.keys(spy.table!).sort()).toEqual([...CHANNELS].sort());
    const before = spy.calls.length;
    const answer = await core.dispatch('gaia:app.info', {});
    expect(answer).toMatchObject({ ok: true, value: { shell: 'preview' } });
    expect(spy.calls.slice(before).map((c) => c.channel)).toEqual(['gaia:app.info']);
    // Negative control: handed invalid input directly, the wrapper reports it.
    await spy.table!['gaia:app.info'](JSON.parse('{"__proto__":{"x":1},"extra":1}'), { emit: () => undefined });
    expect(spy.problems.length).toBeGreaterThanOrEqual(2);
    spy.problems.length = 0;
  });
});

describe('every channel, through dispatch (what ipc.ts calls)', () => {
  for (const channel of CHANNELS) {
    it(channel, async () => {
      await fc.assert(
        fc.asyncProperty(inputs(channel), async (input) => {
          const before = spy.calls.length;
          const answer = await core.dispatch(channel, input);
          checkAnswer(channel, input, answer, spy.calls.slice(before));
          expectUnpolluted(`a call to ${channel}`);
        }),
        settings(DISPATCH_RUNS),
      );
    });
  }
});

describe('every channel, through the preview server (HTTP)', () => {
  for (const channel of CHANNELS) {
    it(channel, async () => {
      await fc.assert(
        fc.asyncProperty(jsonInputs(channel), async (requestText) => {
          const before = spy.calls.length;
          const response = await post(`{"channel":${JSON.stringify(channel)},"request":${requestText}}`);
          expect('status' in response && response.status, `${channel} ← ${describeInput(requestText)}`).toBe(200);
          if (!('status' in response)) return;
          checkAnswer(channel, JSON.parse(requestText), JSON.parse(response.text), spy.calls.slice(before));
          expectUnpolluted(`an HTTP call to ${channel}`);
        }),
        settings(HTTP_RUNS),
      );
    });
  }
});

describe('the preview transport itself', () => {
  const alive = async () => {
    const r = await post(JSON.stringify({ channel: 'gaia:app.info', request: {} }));
    expect('status' in r && JSON.parse(r.text)).toMatchObject({ ok: true, value: { shell: 'preview' } });
  };

  it('refuses prototype tricks in the envelope without running anything', async () => {
    const bodies = [
      '{"__proto__":{"channel":"gaia:app.info","request":{}}}',
      '{"constructor":{"prototype":{"channel":"gaia:app.info"}}}',
      ...['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'gaia:app.info ', 'GAIA:APP.INFO', 'gaia:app.info\u0000', 'gaia:app', 'gaia:.info'].map(
        (c) => `{"channel":${JSON.stringify(c)},"request":{}}`,
      ),
      '{"channel":["gaia:app.info"],"request":{}}',
      '{"channel":{"toString":"gaia:app.info"},"request":{}}',
      'null',
      '[]',
      '42',
      '"gaia:app.info"',
      '{}',
    ];
    for (const body of bodies) {
      const before = spy.calls.length;
      const r = await post(body);
      expect('status' in r && r.status, body).toBe(200);
      if ('status' in r) expect(JSON.parse(r.text), body).toMatchObject({ ok: false, error: { kind: 'unknown-channel' } });
      expect(spy.calls.length, body).toBe(before);
      expectUnpolluted(body);
    }
    await alive();
  });

  it('refuses pollution payloads in requests and stays clean', async () => {
    for (const request of [
      '{"__proto__":{"theme":"dark","polluted":"x"}}',
      '{"constructor":{"prototype":{"polluted":"x"}}}',
      '{"theme":"dark","__proto__":{"keepHistory":false}}',
      '{"prototype":{"polluted":"x"}}',
    ]) {
      const r = await post(`{"channel":"gaia:settings.update","request":${request}}`);
      expect('status' in r && JSON.parse(r.text), request).toMatchObject({ ok: false, error: { kind: 'invalid-request' } });
      expectUnpolluted(request);
    }
    // Nothing of it reached the settings either.
    const settings = await core.dispatch('gaia:settings.get', {});
    expect(JSON.stringify(settings)).not.toContain('polluted');
    await alive();
  });

  it('survives bodies that are not JSON, too deep to parse, or too large', async () => {
    const bodies: Array<[string, string | Buffer, number[]]> = [
      ['empty', '', [400]],
      ['not JSON', 'not json', [400]],
      ['cut short', '{"channel":', [400]],
      ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0xfd, 0x7d]), [400]],
      ['nested past the parser’s stack', `${'['.repeat(300_000)}${']'.repeat(300_000)}`, [400, 200]],
      ['over 16 MiB', Buffer.alloc(16 * 1024 * 1024 + 1, 0x20), [413]],
    ];
    for (const [name, body, statuses] of bodies) {
      const r = await post(body);
      // The server may cut a too-large upload off mid-stream: a reset is a refusal too.
      if ('status' in r) expect(statuses, name).toContain(r.status);
      else expect(name).toBe('over 16 MiB');
      await alive();
    }
  });
});

describe('after all of it', () => {
  it('the core still answers, nothing is polluted, and nothing left through a side door', async () => {
    expect(await core.dispatch('gaia:app.info', {})).toMatchObject({ ok: true });
    expectUnpolluted('the whole run');
    expect(crashes).toEqual([]);

    // The shell's openExternal port only ever got allowlisted https URLs.
    const allowlisted = (raw: string) => {
      const url = new URL(raw);
      const host = url.hostname.toLowerCase();
      return url.protocol === 'https:' && !url.username && !url.password && (host === 'cohesity.com' || host.endsWith('.cohesity.com') || (host === 'github.com' && /^\/cohesity(\/|$)/i.test(url.pathname)));
    };
    // A known-good link as a positive control: random inputs may or may not have made one.
    expect(await core.dispatch('gaia:app.openExternal', { url: 'https://docs.cohesity.com/gaia' })).toEqual({ ok: true, value: { opened: true } });
    expect(recorded.opened.filter((u) => !allowlisted(u))).toEqual([]);
    expect(recorded.opened.length, 'the allowlisted links did get through').toBeGreaterThan(0);
    // Nothing here could have made a key to copy.
    expect(recorded.clipboard).toEqual([]);

    // No API key sent to any channel reached the log or any file in the data folder.
    const leaks: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const full = path.join(dir, name);
        if (statSync(full).isDirectory()) walk(full);
        else if (readFileSync(full, 'utf8').includes(KEY_MARK)) leaks.push(path.relative(dataDir, full));
      }
    };
    walk(dataDir);
    expect(leaks).toEqual([]);
    expect(readdirSync(path.join(dataDir, 'logs')).length, 'the log was written').toBeGreaterThan(0);
  });
});
