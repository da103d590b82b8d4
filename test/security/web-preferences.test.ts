/**
 * The window's webPreferences are the secure ones — three ways, so that no change can
 * slip past all of them:
 *   1. the exported constant SECURE_WEB_PREFERENCES has the secure values;
 *   2. createMainWindow really hands those values (plus the preload) to BrowserWindow —
 *      Electron's classes are replaced by recorders, our code runs for real;
 *   3. the source: every BrowserWindow / BrowserView / WebContentsView in main/ gets
 *      `{ ...SECURE_WEB_PREFERENCES, preload }` and nothing that overrides it, no file sets
 *      a security preference anywhere else, and no command-line switch turns them off.
 * Also: navigation, new windows and webviews are refused and every permission is denied.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ROOT } from '../support/build-renderer';

/** What each security-relevant preference must be. */
const REQUIRED = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  navigateOnDragDrop: false,
} as const;
/** May be absent, but if present must have exactly this value. */
const IF_PRESENT: Record<string, unknown> = { enableBlinkFeatures: '', plugins: false, enableWebSQL: false, safeDialogs: true };
/** Must never be set at all. */
const NEVER = ['enableRemoteModule', 'additionalArguments', 'preload', 'nodeIntegrationInSandbox'];
const SECURITY_KEYS = [...Object.keys(REQUIRED), ...Object.keys(IF_PRESENT), ...NEVER.filter((k) => k !== 'preload'), 'disableBlinkFeatures'];

const fake = vi.hoisted(() => {
  const windows: Array<{ options: Record<string, unknown>; loaded: string[] }> = [];
  const handlers = { permissionRequest: null as unknown, permissionCheck: null as unknown, devicePermission: null as unknown };
  const opened: string[] = [];
  return { windows, handlers, opened };
});
vi.mock('electron', () => {
  class BrowserWindow {
    webContents = {};
    private record: { options: Record<string, unknown>; loaded: string[] };
    constructor(options: Record<string, unknown>) {
      this.record = { options, loaded: [] };
      fake.windows.push(this.record);
    }
    maximize() {}
    once() {}
    on() {}
    show() {}
    isDestroyed() {
      return false;
    }
    isMaximized() {
      return false;
    }
    getNormalBounds() {
      return { x: 0, y: 0, width: 1200, height: 800 };
    }
    async loadURL(url: string) {
      this.record.loaded.push(url);
    }
  }
  return {
    BrowserWindow,
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: unknown) => (fake.handlers.permissionRequest = h),
        setPermissionCheckHandler: (h: unknown) => (fake.handlers.permissionCheck = h),
        setDevicePermissionHandler: (h: unknown) => (fake.handlers.devicePermission = h),
      },
    },
    shell: { openExternal: async (url: string) => void fake.opened.push(url) },
    protocol: { handle: () => undefined, registerSchemesAsPrivileged: () => undefined },
  };
});
const { SECURE_WEB_PREFERENCES, createMainWindow, guardWebContents, denyAllPermissions } = await import('../../main/electron/window');
const { APP_ORIGIN } = await import('../../main/electron/protocol');

const silentLog = { info: () => undefined, warn: () => undefined, error: () => undefined, addSecret: () => undefined, redact: (t: string) => t, recent: () => [], file: null };

describe('1. the exported constant', () => {
  it('holds the secure value of every security preference', () => {
    const prefs = SECURE_WEB_PREFERENCES as Record<string, unknown>;
    for (const [key, value] of Object.entries(REQUIRED)) expect(prefs[key], key).toBe(value);
    for (const [key, value] of Object.entries(IF_PRESENT)) if (key in prefs) expect(prefs[key], key).toBe(value);
    for (const key of NEVER) expect(key in prefs, `${key} must not be in the constant`).toBe(false);
  });
});

describe('2. what BrowserWindow is really given', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gaia-webprefs-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('createMainWindow passes the secure preferences and only adds the preload', async () => {
    const preloadFile = path.join(ROOT, 'out/preload/index.cjs');
    await createMainWindow({ dataDir, preloadFile, log: silentLog, productName: 'Gaia Desktop' });
    expect(fake.windows).toHaveLength(1);
    const { options, loaded } = fake.windows[0];
    const prefs = options.webPreferences as Record<string, unknown>;
    expect(prefs).toEqual({ ...SECURE_WEB_PREFERENCES, preload: preloadFile });
    for (const [key, value] of Object.entries(REQUIRED)) expect(prefs[key], key).toBe(value);
    expect(path.isAbsolute(String(prefs.preload))).toBe(true);
    // The page comes from app://, never file:// or the network.
    expect(loaded).toEqual([`${APP_ORIGIN}/index.html`]);
  });
});

describe('navigation, windows, webviews and permissions', () => {
  type Listener = (event: { preventDefault(): void }, ...args: unknown[]) => void;
  function fakeContents() {
    const listeners = new Map<string, Listener[]>();
    let openHandler: ((d: { url: string }) => { action: string }) | null = null;
    return {
      contents: {
        on: (name: string, l: Listener) => listeners.set(name, [...(listeners.get(name) ?? []), l]),
        setWindowOpenHandler: (h: typeof openHandler) => (openHandler = h),
      },
      fire(name: string, ...args: unknown[]) {
        let prevented = false;
        for (const l of listeners.get(name) ?? []) l({ preventDefault: () => (prevented = true) }, ...args);
        return { prevented, handled: (listeners.get(name) ?? []).length > 0 };
      },
      open: (url: string) => openHandler?.({ url }),
    };
  }
  const urls = ['https://evil.example/', 'https://docs.cohesity.com/x', 'https://github.com/someone/phish', 'https://github.com/cohesityx/y', 'file:///etc/passwd', 'javascript:alert(1)', 'app://gaia/index.html', 'http://127.0.0.1:5183/'];

  it('every navigation and redirect is prevented; only allowlisted https links go to the OS browser', () => {
    const f = fakeContents();
    guardWebContents(f.contents as never, silentLog);
    fake.opened.length = 0;
    for (const url of urls) {
      expect(f.fire('will-navigate', url), `will-navigate ${url}`).toEqual({ prevented: true, handled: true });
      expect(f.fire('will-redirect', url), `will-redirect ${url}`).toEqual({ prevented: true, handled: true });
    }
    expect(f.fire('will-attach-webview', {}, {})).toEqual({ prevented: true, handled: true });
    expect(fake.opened).toEqual(['https://docs.cohesity.com/x']);
  });

  it('the OS browser gets the normalised URL that was checked, not the raw text', () => {
    const f = fakeContents();
    guardWebContents(f.contents as never, silentLog);
    fake.opened.length = 0;
    f.fire('will-navigate', 'HTTPS://DOCS.COHESITY.COM/a b?q=<x>');
    f.open('https://GitHub.com/cohesity/x y');
    expect(fake.opened).toEqual(['https://docs.cohesity.com/a%20b?q=%3Cx%3E', 'https://github.com/cohesity/x%20y']);
  });

  it('window.open is always denied', () => {
    const f = fakeContents();
    guardWebContents(f.contents as never, silentLog);
    for (const url of urls) expect(f.open(url), url).toEqual({ action: 'deny' });
  });

  it('every permission request and check is denied', () => {
    denyAllPermissions();
    let granted: boolean | null = null;
    (fake.handlers.permissionRequest as (c: unknown, p: string, cb: (ok: boolean) => void) => void)({}, 'media', (ok) => (granted = ok));
    expect(granted).toBe(false);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      expect((fake.handlers.permissionCheck as (...a: unknown[]) => boolean)({}, permission, 'app://gaia', {})).toBe(false);
    }
    expect((fake.handlers.devicePermission as (...a: unknown[]) => boolean)({ deviceType: 'usb' })).toBe(false);
  });
});

describe('3. the source', () => {
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? files(full) : /\.(ts|tsx|js|mjs|cjs)$/.test(name) ? [full] : [];
    });
  const sources = [...files(path.join(ROOT, 'main')), ...files(path.join(ROOT, 'preload'))].map((file) => ({
    file: path.relative(ROOT, file),
    source: ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS),
  }));

  const nameOf = (n: ts.PropertyName | undefined) => (n && (ts.isIdentifier(n) || ts.isStringLiteral(n)) ? n.text : null);
  const where = (sf: ts.SourceFile, node: ts.Node, file: string) => `${file}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}`;
  function walk(node: ts.Node, visit: (n: ts.Node) => void) {
    visit(node);
    ts.forEachChild(node, (child) => walk(child, visit));
  }
  /** The object literal an expression stands for: itself, or a const in the same file it names. */
  function literalOf(sf: ts.SourceFile, expr: ts.Expression): ts.ObjectLiteralExpression | null {
    let e = expr;
    while (ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isParenthesizedExpression(e)) e = e.expression;
    if (ts.isObjectLiteralExpression(e)) return e;
    if (!ts.isIdentifier(e)) return null;
    let found: ts.ObjectLiteralExpression | null = null;
    walk(sf, (n) => {
      if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === (e as ts.Identifier).text && n.initializer) {
        if (ts.getCombinedNodeFlags(n) & ts.NodeFlags.Const) found = literalOf(sf, n.initializer);
      }
    });
    return found;
  }

  it('every window or view gets { ...SECURE_WEB_PREFERENCES, preload } and nothing that overrides it', () => {
    const problems: string[] = [];
    let windows = 0;
    for (const { file, source } of sources) {
      walk(source, (n) => {
        if (!ts.isNewExpression(n) || !ts.isIdentifier(n.expression) || !['BrowserWindow', 'BrowserView', 'WebContentsView'].includes(n.expression.text)) return;
        windows++;
        const at = where(source, n, file);
        const options = n.arguments?.[0] && literalOf(source, n.arguments[0]);
        if (!options) return problems.push(`${at}: options must be an object literal, so they can be checked`);
        const prop = options.properties.find((p) => nameOf(p.name) === 'webPreferences');
        if (!prop) return problems.push(`${at}: no webPreferences (Electron's defaults are not enough)`);
        if (options.properties.some((p) => ts.isSpreadAssignment(p) && options.properties.indexOf(p) > options.properties.indexOf(prop)))
          problems.push(`${at}: a spread after webPreferences could replace it`);
        const value = ts.isShorthandPropertyAssignment(prop) ? prop.name : ts.isPropertyAssignment(prop) ? prop.initializer : null;
        const prefs = value && literalOf(source, value);
        if (!prefs) return problems.push(`${at}: webPreferences must be a literal (or a const naming one) so it can be checked`);
        const [first, ...rest] = prefs.properties;
        if (!first || !ts.isSpreadAssignment(first) || !ts.isIdentifier(first.expression) || first.expression.text !== 'SECURE_WEB_PREFERENCES')
          problems.push(`${at}: webPreferences must start with ...SECURE_WEB_PREFERENCES`);
        for (const p of rest) if (nameOf(p.name) !== 'preload') problems.push(`${at}: webPreferences adds "${p.getText(source)}" — only preload may be added`);
      });
    }
    expect(problems).toEqual([]);
    expect(windows, 'the scan found the main window').toBeGreaterThanOrEqual(1);
  });

  it('no code sets a security preference anywhere but in SECURE_WEB_PREFERENCES', () => {
    const problems: string[] = [];
    let declared = 0;
    for (const { file, source } of sources) {
      walk(source, (n) => {
        if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === 'SECURE_WEB_PREFERENCES') {
          declared++;
          const literal = n.initializer && literalOf(source, n.initializer);
          if (!literal) return problems.push(`${where(source, n, file)}: SECURE_WEB_PREFERENCES must be an object literal`);
          for (const p of literal.properties) if (!ts.isPropertyAssignment(p)) problems.push(`${where(source, p, file)}: SECURE_WEB_PREFERENCES may hold only plain key: value pairs`);
          return;
        }
        if ((ts.isPropertyAssignment(n) || ts.isShorthandPropertyAssignment(n)) && SECURITY_KEYS.includes(nameOf(n.name) ?? '')) {
          let p: ts.Node | undefined = n.parent;
          while (p && !(ts.isVariableDeclaration(p) && ts.isIdentifier(p.name) && p.name.text === 'SECURE_WEB_PREFERENCES')) p = p.parent;
          if (!p) problems.push(`${where(source, n, file)}: sets ${nameOf(n.name)} outside SECURE_WEB_PREFERENCES`);
        }
        // webContents.setWebPreferences-like or direct assignment: x.sandbox = false
        if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(n.left) && SECURITY_KEYS.includes(n.left.name.text))
          problems.push(`${where(source, n, file)}: assigns ${n.left.name.text}`);
      });
    }
    expect(declared, 'SECURE_WEB_PREFERENCES is declared exactly once').toBe(1);
    expect(problems).toEqual([]);
  });

  it('no command-line switch or app call turns the protections off', () => {
    const dangerous = /^(no-sandbox|disable-web-security|ignore-certificate-errors|allow-running-insecure-content|disable-site-isolation-trials|remote-debugging-port|remote-debugging-pipe|inspect|inspect-brk|js-flags|disable-features|enable-features|host-rules|proxy-bypass-list)$/;
    const problems: string[] = [];
    for (const { file, source } of sources) {
      walk(source, (n) => {
        if (!ts.isCallExpression(n) || !ts.isPropertyAccessExpression(n.expression)) return;
        const method = n.expression.name.text;
        const arg = n.arguments[0];
        if (method === 'appendSwitch' || method === 'appendArgument') {
          const value = arg && (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)) ? arg.text.replace(/^--/, '') : null;
          if (value === null || dangerous.test(value)) problems.push(`${where(source, n, file)}: ${n.getText(source)}`);
        }
        if (method === 'setCertificateVerifyProc')
          problems.push(`${where(source, n, file)}: replaces Chromium's certificate checks (${n.getText(source).slice(0, 80)})`);
      });
      // 'certificate-error' handlers that accept bad certificates for the window's own requests.
      if (/['"]certificate-error['"]/.test(source.text)) problems.push(`${file}: handles certificate-error (the window must never accept a bad certificate)`);
    }
    expect(problems).toEqual([]);
  });
});
