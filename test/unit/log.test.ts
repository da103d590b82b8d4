/**
 * The main-process log (main/core/platform/log.ts): what it writes to disk, read back from disk.
 * A registered key and every 8-character piece of it never reach the file; secret
 * header values are masked in strings and in inspected objects even when nobody
 * registered them; rotation caps size and file count; recent() is redacted.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createLog } from '../../main/core/platform/log';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gaia-log-test-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Everything the log directory holds, every file, as one string. */
function onDisk(dir: string): string {
  return readdirSync(dir)
    .map((name) => readFileSync(path.join(dir, name), 'utf8'))
    .join('\n');
}

function piecesOf(secret: string, size = 8): string[] {
  const out: string[] = [];
  for (let i = 0; i + size <= secret.length; i++) out.push(secret.slice(i, i + size));
  return out;
}

function expectAbsent(text: string, secret: string) {
  expect(text.includes(secret), 'the whole secret reached the file').toBe(false);
  for (const piece of piecesOf(secret)) expect(text.includes(piece), `the piece "${piece}" reached the file`).toBe(false);
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const alnum = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...ALNUM), minLength: min, maxLength: max });
/** Keys as Gaia and Helios issue them (UUIDs, long alphanumerics) and some with symbols. */
const apiKey = fc.oneof(
  fc.uuid(),
  alnum(20, 64),
  fc.string({ unit: fc.constantFrom(...`${ALNUM}+/=-_.~!*`), minLength: 16, maxLength: 48 }),
);

describe('log: registered secrets', () => {
  it('a registered key, and every 8-character piece of it, never reach the file — in any shape a caller passes it', () => {
    fc.assert(
      fc.property(apiKey, alnum(0, 12), alnum(0, 12), fc.nat(), (key, before, after, at) => {
        fc.pre(new Set(piecesOf(key)).size > 0);
        const dir = tempDir();
        const log = createLog({ dir });
        log.addSecret(key);
        const piece = piecesOf(key)[at % piecesOf(key).length];
        const cut = Math.max(8, Math.floor(key.length / 2));
        log.info(`plain ${before}${key}${after}`);
        log.info(`piece ${before}${piece}${after}`);
        log.info(`halves ${key.slice(0, cut)} / ${key.slice(cut - 8)}`);
        log.warn('url', `https://gaia.example/v2/mcm/gaia/datasets?key=${encodeURIComponent(key)}&page=2`);
        log.warn('json', JSON.stringify({ profile: { name: 'p', note: `${before}${key}` } }));
        log.error('object', { nested: { deeper: { value: key, list: [piece, `${key}${after}`] } } });
        log.error('error', Object.assign(new Error(`failed with ${key}`), { config: { body: key } }));
        log.info(`multi\nline ${key}\r\nsecond ${piece}`);
        const text = onDisk(dir);
        expectAbsent(text, key);
        expectAbsent(text, encodeURIComponent(key));
        expect(text).toContain('[redacted]');
      }),
      { numRuns: 60 },
    );
  });

  it('redact() and recent() hide a key registered after the line was written', () => {
    const dir = tempDir();
    const key = 'q8Zr4TmV0xLb2PcN7yHw';
    const log = createLog({ dir });
    log.info(`written before anyone knew: ${key}`);
    log.addSecret(key);
    expect(log.recent().join('\n')).not.toContain(key.slice(3, 11));
    expect(log.redact(`x${key}x`)).not.toContain(key.slice(0, 8));
  });

  it('ignores secrets too short to redact safely, and does not over-redact ordinary words', () => {
    const log = createLog({ dir: null });
    log.addSecret('abc');
    log.addSecret('   ');
    expect(log.redact('abc is fine, so is the word token and a short id 1234-abcd')).toBe('abc is fine, so is the word token and a short id 1234-abcd');
    // Ids stay readable: a hex digest and a UUID are not keys.
    const digest = 'a'.repeat(64);
    const uuid = '123e4567-e89b-12d3-a456-426614174000';
    expect(log.redact(`${digest} ${uuid}`)).toBe(`${digest} ${uuid}`);
  });
});

describe('log: secret headers, without registration', () => {
  // Shorter than 32 characters, so only the header rule — not the long-token rule — can catch them.
  const value = fc.string({ unit: fc.constantFrom(...`${ALNUM}-_.`), minLength: 8, maxLength: 24 }).filter((v) => /[0-9]/.test(v) && /[A-Za-z]/.test(v));

  const shapes: Array<[string, (v: string) => [string, unknown?]]> = [
    ['apiKey header line', (v) => [`apiKey: ${v}`]],
    ['apikey query parameter', (v) => [`GET /v2/mcm/gaia/datasets?apiKey=${v}&x=1`]],
    ['api_key field', (v) => [`api_key=${v}`]],
    ['JSON apiKey', (v) => [JSON.stringify({ apiKey: v, name: 'n' })]],
    ['JSON api_key with spaces in the value', (v) => [JSON.stringify({ api_key: `${v} ${v}` })]],
    ['Authorization: Bearer', (v) => [`Authorization: Bearer ${v}`]],
    ['authorization: Basic', (v) => [`authorization: Basic ${v}`]],
    ['Proxy-Authorization', (v) => [`Proxy-Authorization: Basic ${v}`]],
    ['X-GAIA-SECURITY-CTX header line', (v) => [`X-GAIA-SECURITY-CTX: ${v}`]],
    ['x-gaia-security-ctx JSON', (v) => [JSON.stringify({ 'x-gaia-security-ctx': v })]],
    ['Cookie with several values', (v) => [`Cookie: theme=dark; session=${v}; other=1`]],
    ['URL credentials', (v) => [`proxy http://alice:${v}@proxy.corp:3128 failed`]],
    ['inspected headers object', (v) => ['request', { method: 'GET', headers: { apiKey: v, Accept: 'application/json' } }]],
    ['inspected Authorization object', (v) => ['request', { headers: { Authorization: `Bearer ${v}` } }]],
    ['inspected security context', (v) => ['request', { headers: { 'X-GAIA-SECURITY-CTX': v } }]],
    ['inspected profile-like object', (v) => ['profile', { id: 'p1', securityContext: v }]],
    ['inspected Headers instance', (v) => ['headers', new Headers({ apiKey: v, authorization: `Bearer ${v}` })]],
    ['inspected Map', (v) => ['map', new Map([['apiKey', v]])]],
    ['inspected URLSearchParams', (v) => ['query', new URLSearchParams({ apiKey: v })]],
    ['raw header array', (v) => ['raw', { rawHeaders: ['Accept', 'json', 'apiKey', v, 'X-GAIA-SECURITY-CTX', v] }]],
    ['error with request options', (v) => ['failed', Object.assign(new Error('request failed'), { options: { headers: { apikey: v } } })]],
  ];

  for (const [name, make] of shapes) {
    it(`masks the value: ${name}`, () => {
      fc.assert(
        fc.property(value, (v) => {
          const dir = tempDir();
          const log = createLog({ dir });
          const [message, detail] = make(v);
          log.warn(message, detail);
          const text = onDisk(dir);
          expect(text, text).not.toContain(v);
          expect(text).toContain('[redacted]');
        }),
        { numRuns: 15 },
      );
    });
  }

  it('masks long tokens and JWTs nobody registered', () => {
    const log = createLog({ dir: null });
    const long = 'Zx9'.repeat(14);
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
    const b64 = 'QmFzZTY0K2VuY29kZWQvc2VjcmV0K3ZhbHVlPT0+/ab==';
    const out = log.redact(`t=${long} j=${jwt} b=${b64}`);
    expect(out).not.toContain(long.slice(0, 16));
    expect(out).not.toContain('eyJzdWIiOiIxMjM0NTY3ODkwIn0');
    expect(out).not.toContain('QmFzZTY0K2VuY29k');
  });
});

describe('log: lines', () => {
  it('one call is one line: newlines and control characters cannot forge entries', () => {
    const dir = tempDir();
    const log = createLog({ dir });
    log.info('first\n2024-01-01T00:00:00.000Z ERROR forged\rreturn\u2028sep\u001b[31mred');
    const lines = readFileSync(path.join(dir, 'main.log'), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    for (const c of ['\r', '\u2028', '\u001b']) expect(lines[0].includes(c)).toBe(false);
    expect(lines[0]).toContain('forged');
  });

  it('never throws, whatever the detail', () => {
    const dir = tempDir();
    const log = createLog({ dir });
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    const hostile = { [Symbol.for('nodejs.util.inspect.custom')]: () => { throw new Error('no'); } };
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(() => {
      log.info('circular', circular);
      log.info('hostile', hostile);
      log.info('revoked', proxy);
      log.info('symbol', Symbol('s'));
      log.info(undefined as unknown as string, 12n);
    }).not.toThrow();
    expect(readFileSync(path.join(dir, 'main.log'), 'utf8').trimEnd().split('\n')).toHaveLength(5);
  });
});

describe('log: rotation', () => {
  it('caps every file at maxBytes and keeps at most `files` files, newest in main.log', () => {
    const dir = tempDir();
    const maxBytes = 4096;
    const log = createLog({ dir, maxBytes, files: 3 });
    for (let i = 0; i < 2000; i++) log.info(`line ${i} ${'x'.repeat(i % 200)}`);
    // One line far longer than a file: cut, not allowed to break the cap.
    log.error('huge', 'é'.repeat(50_000));
    log.info('last line');
    const names = readdirSync(dir).sort();
    expect(names).toEqual(['main.log', 'main.log.1', 'main.log.2']);
    for (const name of names) expect(statSync(path.join(dir, name)).size).toBeLessThanOrEqual(maxBytes);
    const current = readFileSync(path.join(dir, 'main.log'), 'utf8');
    expect(current.trimEnd().split('\n').at(-1)).toMatch(/INFO last line$/);
    expect(onDisk(dir)).toMatch(/characters cut\]/);
  });

  it('with files: 1 the one file still stays under the cap', () => {
    const dir = tempDir();
    const log = createLog({ dir, maxBytes: 1024, files: 1 });
    for (let i = 0; i < 500; i++) log.info(`line ${i}`);
    expect(readdirSync(dir)).toEqual(['main.log']);
    expect(statSync(path.join(dir, 'main.log')).size).toBeLessThanOrEqual(1024);
  });

  it('writes to the main.log there is now, after another process on the folder rotated or removed it', () => {
    const dir = tempDir();
    const app = createLog({ dir, maxBytes: 2048, files: 3 });
    const cli = createLog({ dir, maxBytes: 2048, files: 3 });
    app.info('app before');
    for (let i = 0; i < 100; i++) cli.info(`cli ${i}`);
    app.info('app after the rotation');
    expect(readFileSync(path.join(dir, 'main.log'), 'utf8').trimEnd().split('\n').at(-1)).toMatch(/app after the rotation$/);
    for (const name of readdirSync(dir)) expect(statSync(path.join(dir, name)).size).toBeLessThanOrEqual(2048);
    rmSync(path.join(dir, 'main.log'));
    app.info('app after the removal');
    expect(readFileSync(path.join(dir, 'main.log'), 'utf8')).toMatch(/^\S+ INFO app after the removal\n$/);
  });

  it('recent() spans a rotation, keeps order, and is redacted', () => {
    const dir = tempDir();
    const log = createLog({ dir, maxBytes: 2048, files: 3 });
    for (let i = 0; i < 200; i++) log.info(`n=${i}`);
    const recent = log.recent(50);
    expect(recent).toHaveLength(50);
    expect(recent.map((l) => Number(/n=(\d+)$/.exec(l)?.[1]))).toEqual(Array.from({ length: 50 }, (_, i) => 150 + i));
    // A line that reached the file unredacted (an older version, a hand edit) is redacted on the way out.
    writeFileSync(path.join(dir, 'main.log'), 'old line apiKey: Plain1Secret99\nold line Authorization: Bearer abc123XYZ789\n');
    const again = log.recent(10).join('\n');
    expect(again).not.toContain('Plain1Secret99');
    expect(again).not.toContain('abc123XYZ789');
  });
});
