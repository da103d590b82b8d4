/**
 * The renderer's Content Security Policy is the secure one, and it reaches the page by
 * every road: the app:// protocol's responses (Electron), the preview server's responses
 * (every path, refusals included), and the meta tag of the built index.html.
 *
 * The protocol handler is the real one from main/electron/protocol.ts; only Electron's
 * `protocol` object is replaced, to capture the handler it is given — the responses
 * checked are the ones our handler builds.
 */
import http from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCore, type Core } from '../../main/core/core';
import { CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from '../../main/core/platform/csp';
import { startPreviewServer, TOKEN_HEADER, CALL_PATH, EVENTS_PATH, type PreviewServer } from '../../main/preview/server';
import { buildRenderer, ROOT } from '../support/build-renderer';
import { cspProblems, parseCsp } from '../support/csp-check';
import { testPorts } from '../support/ports';

const electron = vi.hoisted(() => ({
  handlers: new Map<string, (request: Request) => Promise<Response>>(),
  privileged: [] as unknown[],
}));
vi.mock('electron', () => ({
  protocol: {
    handle: (scheme: string, handler: (request: Request) => Promise<Response>) => electron.handlers.set(scheme, handler),
    registerSchemesAsPrivileged: (schemes: unknown[]) => electron.privileged.push(...schemes),
  },
}));
const { APP_SCHEME, registerAppScheme, serveRenderer } = await import('../../main/electron/protocol');

let built = '';
beforeAll(async () => {
  built = await buildRenderer();
}, 60_000);
afterAll(() => {
  if (built) rmSync(path.dirname(built), { recursive: true, force: true });
});

/** Every header our responses must carry, exactly as csp.ts defines them. */
function expectSecurityHeaders(get: (name: string) => string | null | undefined, where: string) {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(get(name.toLowerCase()), `${name} on ${where}`).toBe(value);
}

describe('the policy', () => {
  it('is the secure one', () => {
    expect(cspProblems(CONTENT_SECURITY_POLICY, { requireFrameAncestors: true })).toEqual([]);
    expect(SECURITY_HEADERS['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(SECURITY_HEADERS['X-Content-Type-Options']).toBe('nosniff');
  });

  // The checker must see every way a policy goes wrong, or the test above proves nothing.
  const weakened: Array<[string, (p: string) => string]> = [
    ["'unsafe-inline' in script-src", (p) => p.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")],
    ["'unsafe-eval' in script-src", (p) => p.replace("script-src 'self'", "script-src 'self' 'unsafe-eval'")],
    ['no script-src (falls back to default-src)', (p) => p.replace("script-src 'self'; ", '')],
    ['a remote script host', (p) => p.replace("script-src 'self'", "script-src 'self' https://cdn.example.com")],
    ['default-src *', (p) => p.replace("default-src 'self'", 'default-src *')],
    ['no object-src', (p) => p.replace("object-src 'none'; ", '')],
    ['no base-uri', (p) => p.replace("base-uri 'none'; ", '')],
    ['no frame-ancestors', (p) => p.replace(/; frame-ancestors [^;]+/, '')],
    ['connect-src to Gaia', (p) => p.replace("connect-src 'self'", "connect-src 'self' https://helios.cohesity.com")],
    ["'unsafe-inline' styles", (p) => p.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")],
    ['blob: workers', (p) => p.replace("worker-src 'self'", "worker-src 'self' blob:")],
    ['a duplicate, looser script-src', (p) => `${p}; script-src *`],
  ];
  for (const [name, weaken] of weakened) {
    it(`the checker refuses a policy with ${name}`, () => {
      const policy = weaken(CONTENT_SECURITY_POLICY);
      expect(policy).not.toBe(CONTENT_SECURITY_POLICY);
      expect(cspProblems(policy, { requireFrameAncestors: true }).length).toBeGreaterThan(0);
    });
  }
});

describe('the policy reaches the page', () => {
  it('in the meta tag of the built index.html (all but frame-ancestors, which only works as a header)', () => {
    const html = readFileSync(path.join(built, 'index.html'), 'utf8');
    const metas = [...html.matchAll(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"\s*\/?>/gi)].map((m) => m[1]);
    expect(metas).toHaveLength(1);
    const meta = metas[0];
    expect(meta).toBe(CONTENT_SECURITY_POLICY.replace(/; frame-ancestors [^;]+/, ''));
    expect(cspProblems(meta, { requireFrameAncestors: false })).toEqual([]);
    // Before any script: a policy that arrives after a script does not cover it.
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.search(/<script/i));
    // And the page itself needs nothing the policy forbids: no inline script, no remote script.
    for (const tag of html.match(/<script\b[^>]*>/gi) ?? []) expect(tag).toMatch(/\ssrc="\.\/assets\/[^"]+\.js"/);
    expect(html).not.toMatch(/<script\b[^>]*>(?!\s*<\/script>)/i);
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
  });

  it('on every app:// response: pages, assets, fallbacks and refusals', async () => {
    registerAppScheme();
    serveRenderer(built);
    const handler = electron.handlers.get(APP_SCHEME);
    expect(handler, 'serveRenderer registered a handler for app://').toBeTypeOf('function');
    const asset = readdirSync(path.join(built, 'assets')).find((f) => f.endsWith('.js'));
    const urls = [
      'app://gaia/',
      'app://gaia/index.html',
      `app://gaia/assets/${asset}`,
      'app://gaia/some/deep/link',
      'app://gaia/%2e%2e/%2e%2e/etc/passwd',
      'app://other-host/index.html',
    ];
    for (const url of urls) {
      const response = await handler!(new Request(url));
      expectSecurityHeaders((n) => response.headers.get(n), url);
    }
    expect((await handler!(new Request('app://other-host/index.html'))).status).toBe(404);
  });

  it('app:// is registered without privileges that would weaken the policy', () => {
    const app = electron.privileged.find((s) => (s as { scheme?: string }).scheme === APP_SCHEME) as { privileges?: Record<string, unknown> } | undefined;
    expect(app, 'app:// is registered as privileged').toBeDefined();
    for (const weakening of ['bypassCSP', 'allowServiceWorkers', 'corsEnabled', 'stream']) expect(app!.privileges?.[weakening], weakening).toBeFalsy();
    expect(app!.privileges).toMatchObject({ standard: true, secure: true });
  });

  describe('on every preview-server response', () => {
    let core: Core;
    let server: PreviewServer;
    let dataDir = '';
    const token = 'csp-test-token-0123456789';

    beforeAll(async () => {
      dataDir = mkdtempSync(path.join(os.tmpdir(), 'gaia-csp-core-'));
      const ports = testPorts({ shell: 'preview' });
      core = await createCore({ dataDir, keychainService: `gaia-desktop-test-${process.pid}-csp`, appName: 'Gaia Desktop', version: '0.0.0-test', ports });
      server = await startPreviewServer({ core, rendererDir: built, token });
    });
    afterAll(async () => {
      await server?.close();
      await core?.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    function request(method: string, pathName: string, headers: Record<string, string>, body?: string): Promise<{ status: number; headers: http.IncomingHttpHeaders }> {
      const { port } = new URL(server.origin);
      return new Promise((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port: Number(port), method, path: pathName, headers }, (res) => {
          resolve({ status: res.statusCode ?? 0, headers: res.headers });
          res.destroy();
        });
        req.on('error', reject);
        req.end(body);
      });
    }

    it('pages, assets, calls, event streams and every refusal carry the headers', async () => {
      const host = new URL(server.origin).host;
      const good = { host, origin: server.origin, [TOKEN_HEADER]: token, 'content-type': 'application/json' };
      const asset = readdirSync(path.join(built, 'assets')).find((f) => f.endsWith('.js'));
      const cases: Array<[string, string, Record<string, string>, string | undefined, number]> = [
        ['GET', '/', { host }, undefined, 200],
        ['HEAD', '/index.html', { host }, undefined, 200],
        ['GET', `/assets/${asset}`, { host }, undefined, 200],
        ['GET', '/deep/link', { host }, undefined, 200],
        ['GET', '/%2e%2e/%2e%2e/etc/passwd', { host }, undefined, 200],
        ['POST', CALL_PATH, good, JSON.stringify({ channel: 'gaia:app.info', request: {} }), 200],
        ['POST', CALL_PATH, good, 'not json', 400],
        ['POST', CALL_PATH, { ...good, origin: 'https://evil.example' }, '{}', 403],
        ['POST', CALL_PATH, { ...good, [TOKEN_HEADER]: 'wrong' }, '{}', 403],
        ['GET', CALL_PATH, good, undefined, 405],
        ['POST', '/', { host }, '{}', 405],
        ['GET', '/', { host: 'evil.example:80' }, undefined, 421],
        ['GET', EVENTS_PATH, { host, [TOKEN_HEADER]: token }, undefined, 200],
        ['GET', EVENTS_PATH, { host, [TOKEN_HEADER]: token, 'sec-fetch-site': 'cross-site' }, undefined, 403],
      ];
      for (const [method, pathName, headers, body, status] of cases) {
        const res = await request(method, pathName, headers, body);
        const where = `${method} ${pathName} (${status})`;
        expect(res.status, where).toBe(status);
        expectSecurityHeaders((n) => res.headers[n] as string | undefined, where);
      }
    });
  });
});

describe('the one definition', () => {
  it('is the only Content-Security-Policy in the code: every response path uses SECURITY_HEADERS', () => {
    // A second, hand-written policy somewhere would escape the checks above.
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, name.name);
        if (name.isDirectory()) walk(full);
        else if (/\.(ts|tsx|html)$/.test(name.name) && full !== path.join(ROOT, 'main/core/platform/csp.ts')) {
          const text = readFileSync(full, 'utf8');
          if (/content-security-policy/i.test(text) && !/SECURITY_HEADERS|CONTENT_SECURITY_POLICY/.test(text)) offenders.push(path.relative(ROOT, full));
          if (/["'](default|script|connect)-src\b/.test(text)) offenders.push(`${path.relative(ROOT, full)} (a policy string)`);
        }
      }
    };
    for (const dir of ['main', 'preload', 'renderer']) walk(path.join(ROOT, dir));
    expect(offenders).toEqual([]);
    // And both servers send it: each file that answers the renderer spreads SECURITY_HEADERS.
    for (const file of ['main/electron/protocol.ts', 'main/preview/server.ts']) expect(readFileSync(path.join(ROOT, file), 'utf8')).toContain('...SECURITY_HEADERS');
    expect(parseCsp(CONTENT_SECURITY_POLICY).directives.size).toBeGreaterThan(5);
  });
});
