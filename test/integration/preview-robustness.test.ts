/**
 * The preview server never dies from a request: a request target that is not a URL, a
 * body cut off mid-upload, a file that fails while it streams, a body too large — each
 * gets its answer (or a closed connection) and the server keeps serving. And the page
 * works under http://localhost:<port> as well as http://127.0.0.1:<port>.
 *
 * The server runs in this process with a real core, as ipc-fuzz.test.ts does: an
 * exception thrown by any of these would be an uncaught error here, and fail the run.
 * The data-folder tests start the built preview (`out/main/preview.js`) as its own process.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../main/core/core';
import { CALL_PATH, EVENTS_PATH, MAX_READING, MAX_STREAMS, MAX_UNSENT, startPreviewServer, TOKEN_HEADER, type PreviewServer } from '../../main/preview/server';
import { testPorts } from '../support/ports';
import { startPreview } from '../support/preview-process';

let core: Core;
let server: PreviewServer;
let dataDir: string;
let rendererDir: string;
let port: number;
const crashes: unknown[] = [];
const onCrash = (err: unknown) => crashes.push(err);

/** Sends raw bytes and reads whatever comes back until the server closes or `waitMs` passes. */
function raw(bytes: string, options: { end?: boolean; waitMs?: number } = {}): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let out = '';
    const done = () => {
      socket.destroy();
      resolve(out);
    };
    socket.on('data', (d) => (out += d.toString('latin1')));
    socket.on('close', done);
    socket.on('error', done);
    socket.write(bytes);
    if (options.end) socket.end();
    setTimeout(done, options.waitMs ?? 1500).unref();
  });
}

function call(host: string, origin: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: 'POST', path: CALL_PATH, headers: { host, origin, [TOKEN_HEADER]: server.token, 'content-type': 'application/json' } },
      (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ channel: 'gaia:app.info', request: {} }));
  });
}

async function stillServing() {
  const page = await raw(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
  expect(page).toMatch(/^HTTP\/1\.1 200/);
  expect(page).toContain('<html');
  expect(crashes).toEqual([]);
}

beforeAll(async () => {
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'gaia-robust-data-'));
  rendererDir = mkdtempSync(path.join(os.tmpdir(), 'gaia-robust-renderer-'));
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><html><body>preview</body></html>');
  // Found as a file, but reading it fails (EIO): a static stream that errors midway.
  symlinkSync('/proc/self/mem', path.join(rendererDir, 'broken.js'));
  // A symlink loop: stat fails with ELOOP.
  symlinkSync(path.join(rendererDir, 'loop-b.js'), path.join(rendererDir, 'loop-a.js'));
  symlinkSync(path.join(rendererDir, 'loop-a.js'), path.join(rendererDir, 'loop-b.js'));
  core = await createCore({
    dataDir,
    keychainService: `gaia-desktop-test-robust-${process.pid}`,
    appName: 'Gaia Desktop',
    version: '0.0.0-test',
    env: {},
    ports: testPorts({ shell: 'preview' }),
  });
  server = await startPreviewServer({ core, rendererDir });
  port = Number(new URL(server.origin).port);
});

afterAll(async () => {
  process.off('uncaughtException', onCrash);
  process.off('unhandledRejection', onCrash);
  await server?.close();
  await core?.close();
  for (const d of [dataDir, rendererDir]) rmSync(d, { recursive: true, force: true });
});

describe('the preview server answers every request and keeps serving', () => {
  it('a request target that is not a URL (GET http://[) gets 400', async () => {
    const answer = await raw(`GET http://[ HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    await stillServing();
  });

  it('a call whose body is cut off mid-upload ends that request only', async () => {
    const head = [
      `POST ${CALL_PATH} HTTP/1.1`,
      `Host: 127.0.0.1:${port}`,
      `Origin: http://127.0.0.1:${port}`,
      `${TOKEN_HEADER}: ${server.token}`,
      'Content-Type: application/json',
      'Content-Length: 100000',
      '',
      '{"channel":"gaia:app.info","req',
    ].join('\r\n');
    await raw(head, { waitMs: 300 });
    // The client went away; give the server a moment to notice.
    await new Promise((r) => setTimeout(r, 200));
    await stillServing();
  });

  it('a static file that fails while it streams gets an error answer', async () => {
    const answer = await raw(`GET /broken.js HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
    // Headers may already be out when the read fails; then the connection is closed early.
    expect(answer === '' || /^HTTP\/1\.1 (200|500)/.test(answer)).toBe(true);
    await stillServing();
  });

  it('a path that cannot be looked up (a symlink loop) is served as the app, not thrown', async () => {
    const answer = await raw(`GET /loop-a.js HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    await stillServing();
  });

  it('a body over the limit gets 413', async () => {
    const big = 'x'.repeat(17 * 1024 * 1024);
    const answer = await raw(
      `POST ${CALL_PATH} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: http://127.0.0.1:${port}\r\n${TOKEN_HEADER}: ${server.token}\r\nContent-Length: ${big.length}\r\n\r\n${big}`,
      { waitMs: 3000 },
    );
    expect(answer === '' || /^HTTP\/1\.1 413/.test(answer)).toBe(true);
    await stillServing();
  });

  it(`large uploads at once are read up to ${MAX_READING / 2 ** 20} MiB in all; past that a call gets 503, and the count frees as they end`, async () => {
    const piece = 15 * 1024 * 1024;
    const head = `POST ${CALL_PATH} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: http://127.0.0.1:${port}\r\n${TOKEN_HEADER}: ${server.token}\r\nContent-Type: application/json\r\nContent-Length: ${piece + 1024}\r\n\r\n`;
    // Slow uploads: most of a body sent, the rest held back, so the server holds what it read.
    const held: net.Socket[] = [];
    const answers: string[] = [];
    const open = () =>
      new Promise<void>((resolve) => {
        const socket = net.connect(port, '127.0.0.1');
        held.push(socket);
        let out = '';
        socket.on('data', (d) => (out += d.toString('latin1')));
        socket.on('close', () => answers.push(out));
        socket.on('error', () => undefined);
        socket.write(head + 'x'.repeat(piece), () => setTimeout(resolve, 150));
      });
    const fits = Math.floor(MAX_READING / piece);
    for (let i = 0; i < fits + 1; i++) await open();
    await new Promise((r) => setTimeout(r, 300));
    expect(answers.filter((a) => /^HTTP\/1\.1 503/.test(a))).toHaveLength(1);
    for (const socket of held) socket.destroy();
    await new Promise((r) => setTimeout(r, 300));
    // Nothing left counted: a call still gets its answer.
    expect((await call(`127.0.0.1:${port}`, `http://127.0.0.1:${port}`)).status).toBe(200);
    await stillServing();
  }, 30_000);

  it('malformed HTTP gets 400', async () => {
    expect(await raw('NOT HTTP AT ALL\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    await stillServing();
  });
});

describe('localhost works like 127.0.0.1', () => {
  it('calls from a page opened as http://localhost:<port> are answered', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
      const r = await call(host, `http://${host}`);
      expect(r.status, host).toBe(200);
      expect(JSON.parse(r.body), host).toMatchObject({ ok: true, value: { shell: 'preview' } });
    }
  });

  it('but a page on one name cannot call as the other, nor as a foreign site', async () => {
    expect((await call(`localhost:${port}`, `http://127.0.0.1:${port}`)).status).toBe(403);
    expect((await call(`localhost:${port}`, 'http://evil.example')).status).toBe(403);
    expect((await call(`evil.example:${port}`, `http://evil.example:${port}`)).status).toBe(421);
  });
});

describe('a data folder that cannot be used: the preview says what and where, and runs', () => {
  it('settings.json is a folder', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gaia-robust-settings-'));
    mkdirSync(path.join(dir, 'settings.json'));
    const preview = await startPreview({ dataDir: dir });
    try {
      // Said once the core has read the folder, which it does after the server listens.
      await expect.poll(() => preview.output()).toContain(`${path.join(dir, 'settings.json')} cannot be used because it is a folder`);
      const info = await fetch(`${preview.origin}${CALL_PATH}`, {
        method: 'POST',
        headers: { origin: preview.origin, [TOKEN_HEADER]: preview.token },
        body: JSON.stringify({ channel: 'gaia:app.info', request: {} }),
      }).then((r) => r.json());
      expect(info.value.problems[0].message).toMatch(/is a folder/);
    } finally {
      await preview.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a data folder that cannot be created', async () => {
    const blocker = mkdtempSync(path.join(os.tmpdir(), 'gaia-robust-file-'));
    const file = path.join(blocker, 'not-a-folder');
    writeFileSync(file, 'x');
    const dir = path.join(file, 'Gaia Desktop');
    const preview = await startPreview({ dataDir: dir });
    try {
      await expect.poll(() => preview.output()).toContain(`cannot use its data folder ${dir}`);
      expect(preview.output()).toMatch(/default settings kept in memory/);
    } finally {
      await preview.stop();
      rmSync(blocker, { recursive: true, force: true });
    }
  });
});

describe('the preview listens before its core has loaded', () => {
  it('answers calls made the moment it prints its address, each as the core would', async () => {
    const preview = await startPreview();
    try {
      const call = (channel: string, request: unknown) =>
        fetch(`${preview.origin}${CALL_PATH}`, {
          method: 'POST',
          headers: { origin: preview.origin, [TOKEN_HEADER]: preview.token },
          body: JSON.stringify({ channel, request }),
        }).then(async (r) => ({ status: r.status, body: await r.json() }));
      const [page, info, profiles, keychain, invalid] = await Promise.all([
        fetch(`${preview.origin}/`).then(async (r) => ({ status: r.status, csp: r.headers.get('content-security-policy'), text: await r.text() })),
        call('gaia:app.info', {}),
        call('gaia:profiles.list', {}),
        call('gaia:keychain.useSessionOnly', {}),
        call('gaia:profiles.list', { extra: 1 }),
      ]);
      expect(page.status).toBe(200);
      expect(page.csp).toMatch(/default-src 'self'/);
      expect(page.text).toContain('<div id="root">');
      expect(info).toMatchObject({ status: 200, body: { ok: true, value: { shell: 'preview', dataDir: preview.dataDir } } });
      expect(profiles).toMatchObject({ status: 200, body: { ok: true, value: { profiles: [] } } });
      expect(keychain).toMatchObject({ status: 200, body: { ok: true } });
      expect(invalid).toMatchObject({ status: 200, body: { ok: false, error: { kind: 'invalid-request' } } });
      // The token is still required before the core is up, as after.
      const refused = await fetch(`${preview.origin}${CALL_PATH}`, { method: 'POST', headers: { origin: preview.origin }, body: '{}' });
      expect(refused.status).toBe(403);
    } finally {
      await preview.stop();
      rmSync(preview.dataDir, { recursive: true, force: true });
    }
  });
});

describe('event streams cannot make the core hold unbounded memory', () => {
  // The server under test, fed by a stand-in event source so the test decides how much is sent.
  let emit: (channel: string, payload: unknown) => void = () => undefined;
  let events: PreviewServer;
  let eventsPort: number;
  const source = {
    dispatch: async () => ({ ok: true as const, value: {} }),
    onEvent(listener: (channel: string, payload: unknown) => void) {
      emit = listener;
      return () => undefined;
    },
  };
  let fullTold = 0;
  beforeAll(async () => {
    events = await startPreviewServer({ core: source as unknown as Core, rendererDir, onStreamsFull: () => fullTold++ });
    eventsPort = Number(new URL(events.origin).port);
  });
  afterAll(() => events?.close());

  const open = () =>
    new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port: eventsPort, path: EVENTS_PATH, headers: { host: `127.0.0.1:${eventsPort}`, [TOKEN_HEADER]: events.token } }, resolve);
      req.on('error', reject);
    });

  it('closes a stream whose page stopped reading once it holds too much unsent', async () => {
    const stalled = await open();
    expect(stalled.statusCode).toBe(200);
    stalled.pause();
    const closed = new Promise<void>((resolve) => stalled.socket.once('close', () => resolve()));
    const delta = { requestId: 'r', text: 'x'.repeat(1024 * 1024) };
    // Four times the cap: the kernel's socket buffers take a few MB, the rest waits in the core.
    for (let i = 0; i < (4 * MAX_UNSENT) / (1024 * 1024); i++) emit('gaia:ask.delta', delta);
    await closed;
    // A page that reads gets the next events on a new stream.
    const fresh = await open();
    const first = new Promise<string>((resolve) => fresh.on('data', (d: Buffer) => d.toString().trim() && resolve(d.toString())));
    emit('gaia:datasets.progress', { requestId: 'r2' });
    expect(await first).toContain('r2');
    fresh.destroy();
  }, 30_000);

  it(`refuses more than ${MAX_STREAMS} streams at once, and takes one again when one closes`, async () => {
    await new Promise((r) => setTimeout(r, 100));
    const streams = await Promise.all(Array.from({ length: MAX_STREAMS }, open));
    expect(streams.map((s) => s.statusCode)).toEqual(Array(MAX_STREAMS).fill(200));
    const over = await open();
    expect(over.statusCode).toBe(429);
    over.resume();
    // The terminal is told once, not once per retry of the refused tab.
    const again429 = await open();
    expect(again429.statusCode).toBe(429);
    again429.resume();
    expect(fullTold).toBe(1);
    const gone = new Promise<void>((resolve) => streams[0].socket.once('close', () => resolve()));
    streams[0].destroy();
    await gone;
    await new Promise((r) => setTimeout(r, 100));
    const again = await open();
    expect(again.statusCode).toBe(200);
    // Full again after one had closed: a new episode, told again.
    const over2 = await open();
    expect(over2.statusCode).toBe(429);
    over2.resume();
    expect(fullTold).toBe(2);
    for (const s of [...streams, again]) s.destroy();
  });
});
