/**
 * The keychain's own logic — timeouts, per-OS messages, session-only mode, secrets kept
 * out of messages and logs — over a stand-in store. The real store is exercised in
 * test/integration/keychain.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { busSocketPath, createKeychain, describeKeychainFailure, keyringSessionCommand, KeyringTimeout, type KeyringBackend, type Launch } from '../../main/core/platform/keychain/index';
import { createLog } from '../../main/core/platform/log';
import { cliLaunch } from '../../main/cli/headless-core';
import { AppError } from '../../main/core/errors';

const KEY = 'uN1tK3yAbCdEfGhIjKlMnOpQrStUvWx9';

/** An in-memory store that can be told to fail or to hang. */
function fakeStore() {
  const entries = new Map<string, string>();
  const state = { fail: null as Error | null, hang: false, calls: 0 };
  const gate = async (signal: AbortSignal) => {
    state.calls++;
    if (state.hang) {
      await new Promise((_, reject) => signal.addEventListener('abort', () => reject(new KeyringTimeout()), { once: true }));
    }
    if (state.fail) throw state.fail;
  };
  const backend: KeyringBackend = {
    get: async (s, a, signal) => (await gate(signal), entries.get(`${s}/${a}`) ?? null),
    set: async (s, a, secret, signal) => {
      await gate(signal);
      entries.set(`${s}/${a}`, secret);
    },
    delete: async (s, a, signal) => (await gate(signal), entries.delete(`${s}/${a}`)),
    probe: async (_s, _a, _secret, signal) => {
      await gate(signal);
    },
    clear: async (s, signal) => {
      await gate(signal);
      const mine = [...entries.keys()].filter((k) => k.startsWith(`${s}/`));
      for (const k of mine) entries.delete(k);
      return mine.length;
    },
    close: async () => undefined,
  };
  return { backend, entries, state };
}

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a failure');
}

const dirs: string[] = [];
function tempLog() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gaia-kcu-'));
  dirs.push(dir);
  return createLog({ dir });
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('keychain over a working store', () => {
  it('stores one entry per profile under the service name', async () => {
    const { backend, entries } = fakeStore();
    const keychain = createKeychain({ service: 'Gaia Desktop', log: tempLog(), backend, platform: 'linux' });
    expect(await keychain.set('p1', KEY)).toBe('keychain');
    await keychain.set('p2', `${KEY}2`);
    expect([...entries.keys()].sort()).toEqual(['Gaia Desktop/p1', 'Gaia Desktop/p2']);
    expect(await keychain.get('p1')).toBe(KEY);
    expect(await keychain.delete('p1')).toBe(true);
    expect(await keychain.get('p1')).toBeNull();
  });

  it('registers keys it stores or reads as log secrets', async () => {
    const { backend, entries } = fakeStore();
    entries.set('svc/p-read', 'r3adK3yZZZZZZZZZZZZZZZZZZZZZZZZZZ');
    const log = tempLog();
    const keychain = createKeychain({ service: 'svc', log, backend });
    await keychain.set('p-set', KEY);
    await keychain.get('p-read');
    log.info(`set ${KEY} read r3adK3yZZZZZZZZZZZZZZZZZZZZZZZZZZ`);
    const text = log.recent().join('\n');
    expect(text).not.toContain(KEY.slice(4, 12));
    expect(text).not.toContain('r3adK3yZ');
  });

  it('refuses empty keys and keys with line breaks, without echoing them', async () => {
    const { backend } = fakeStore();
    const keychain = createKeychain({ service: 'svc', log: tempLog(), backend });
    expect((await failure(keychain.set('p', '   '))).info.kind).toBe('bad-key');
    const err = await failure(keychain.set('p', `${KEY}\n`));
    expect(err.info.kind).toBe('bad-key');
    expect(JSON.stringify(err.info)).not.toContain(KEY);
  });
});

describe('keychain timeouts', () => {
  it('gives up after the timeout with keychain-timeout, for every call', async () => {
    const { backend, state } = fakeStore();
    state.hang = true;
    const keychain = createKeychain({ service: 'svc', log: tempLog(), backend, timeoutMs: 50, platform: 'linux' });
    const started = Date.now();
    expect((await failure(keychain.get('p'))).info.kind).toBe('keychain-timeout');
    expect((await failure(keychain.set('p', KEY))).info.kind).toBe('keychain-timeout');
    expect((await failure(keychain.delete('p'))).info.kind).toBe('keychain-timeout');
    const status = await keychain.status();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(status.available).toBe(false);
    expect(status.problem?.message).toMatch(/did not answer within 0.1 seconds/);
  });

  it('waits no longer than the timeout even when the store ignores the abort', async () => {
    const never: KeyringBackend = {
      get: () => new Promise(() => undefined),
      set: () => new Promise(() => undefined),
      delete: () => new Promise(() => undefined),
      probe: () => new Promise(() => undefined),
      clear: () => new Promise(() => undefined),
      close: async () => undefined,
    };
    const keychain = createKeychain({ service: 'svc', log: tempLog(), backend: never, timeoutMs: 60 });
    const started = Date.now();
    expect((await failure(keychain.get('p'))).info.kind).toBe('keychain-timeout');
    expect(Date.now() - started).toBeLessThan(500);
  });
});

describe('keychain failures in plain words, per OS', () => {
  const cases: Array<[NodeJS.Platform, string, RegExp, RegExp]> = [
    ['linux', 'Platform failure: DBus error: Using X11 for dbus-daemon autolaunch was disabled at compile time, set your DBUS_SESSION_BUS_ADDRESS instead', /D-Bus/, /dbus-run-session/],
    ['linux', 'Platform failure: DBus error: The name org.freedesktop.secrets was not provided by any .service files', /No keychain service/, /install gnome-keyring/i],
    ['linux', "Couldn't access platform storage: Secret Service: unlock prompt was dismissed", /locked/, /[Uu]nlock/],
    ['linux', "Couldn't access platform storage: Secret Service: no result found", /no default keyring/, /create a keyring/],
    ['linux', 'Platform failure: DBus error: Did not receive a reply.', /did not answer/, /unlock it/],
    ['darwin', 'Platform secure storage failure: User interaction is not allowed. (-25308)', /locked/, /Keychain Access/],
    ['darwin', 'Platform secure storage failure: The specified keychain could not be found. (-25294)', /no usable default keychain/, /Make Keychain/],
    ['darwin', 'User canceled the operation. (-128)', /declined/, /Allow/],
    ['win32', 'Platform secure storage failure: A specified logon session does not exist. It may already have been terminated. (os error 1312)', /this kind of session/, /Sign in to Windows/],
  ];

  it.each(cases)('%s: %s', async (platform, raw, message, action) => {
    const { backend, state } = fakeStore();
    state.fail = new Error(raw);
    const keychain = createKeychain({ service: 'svc', log: tempLog(), backend, platform });
    const status = await keychain.status();
    expect(status.available).toBe(false);
    expect(status.problem?.message).toMatch(message);
    expect(status.problem?.action).toMatch(action);
    // Every problem offers the way out.
    expect(status.problem?.action).toMatch(/this session only/);
    const err = await failure(keychain.set('p', KEY));
    expect(['keychain-unavailable', 'keychain-timeout', 'keychain-failed']).toContain(err.info.kind);
  });

  it('names the backend for each OS', async () => {
    for (const [platform, name] of [['linux', /Secret Service/], ['darwin', /macOS Keychain/], ['win32', /Windows Credential Manager/]] as const) {
      const { backend } = fakeStore();
      const status = await createKeychain({ service: 's', log: tempLog(), backend, platform }).status();
      expect(status).toMatchObject({ available: true, backend: expect.stringMatching(name), problem: null });
    }
  });

  it('never repeats the key, even when the store put it in its error', async () => {
    const { backend, state } = fakeStore();
    state.fail = new Error(`weird failure storing ${KEY}`);
    const keychain = createKeychain({ service: 'svc', log: tempLog(), backend, platform: 'linux' });
    const err = await failure(keychain.set('p', KEY));
    expect(err.info.kind).toBe('keychain-failed');
    expect(JSON.stringify(err.info)).not.toContain(KEY);
  });

  it('explains a keychain module that cannot load', () => {
    const f = describeKeychainFailure('linux', new Error('Cannot find module @napi-rs/keyring-linux-x64-gnu'), 5000);
    expect(f).toMatchObject({ kind: 'keychain-unavailable', message: expect.stringMatching(/could not be loaded/) });
  });
});

describe('messages fit how the app was started', () => {
  const NO_BUS = new Error('Platform failure: DBus error: Failed to connect to socket /run/user/1000/bus: No such file or directory');
  const launches: Array<[string, Launch, RegExp]> = [
    ['an installed app (deb)', { how: 'packaged', command: 'gaia-desktop' }, /Quit Gaia Desktop and start it again.*exec gaia-desktop'/],
    ['an AppImage', { how: 'packaged', command: "'/home/me/Apps/Gaia Desktop.AppImage'" }, /exec '\\''\/home\/me\/Apps\/Gaia Desktop\.AppImage'\\'''/],
    ['npm start in a checkout', { how: 'source', command: 'npm start' }, /run `npm start` again.*exec npm start'/],
    ['the preview', { how: 'preview', command: 'npm run preview' }, /Ctrl\+C.*run `npm run preview` again.*exec npm run preview'/],
    ['the demo', { how: 'preview', command: 'npm run demo' }, /run `npm run demo` again.*exec npm run demo'/],
    ['the preview with options', { how: 'preview', command: 'npm run preview -- --port 5200 --data-dir /tmp/g' }, /run `npm run preview -- --port 5200 --data-dir \/tmp\/g` again.*exec npm run preview -- --port 5200 --data-dir \/tmp\/g'/],
    ['the installed command line', cliLaunch(['gaia-desktop'], ['datasets'], false), /^Run `gaia-desktop datasets` again.*run the command inside.*exec gaia-desktop datasets'/],
    ['the command line in a checkout', cliLaunch(['npm', 'run', '-s', 'cli', '--'], ['--profile', 'Lab', 'datasets'], true), /^Run `npm run -s cli -- --profile Lab datasets` again.*exec npm run -s cli -- --profile Lab datasets'/],
  ];

  it.each(launches)('no D-Bus, %s: names a command that exists, and reads the password itself', (_name, launch, expected) => {
    const f = describeKeychainFailure('linux', NO_BUS, 5000, launch);
    expect(f.kind).toBe('keychain-unavailable');
    expect(f.action).toMatch(expected);
    expect(f.action).toContain(keyringSessionCommand(launch.command!));
    expect(f.action).not.toMatch(/Ctrl-D|exec gaia-desktop' \(type/);
    // From a checkout, gaia-desktop is not a command that exists.
    if (launch.how === 'source' || launch.how === 'preview' || launch.checkout) expect(f.action).not.toMatch(/exec gaia-desktop/);
    if (launch.how === 'cli') {
      expect(f.action).not.toMatch(/Quit Gaia Desktop|Ctrl\+C|choose to keep keys/);
      expect(f.action).toMatch(/not keys a running Gaia Desktop keeps for its session only/);
    } else expect(f.action).toMatch(launch.how === 'preview' ? /forgotten when the preview stops/ : /forgotten when Gaia Desktop quits/);
  });

  it('the command line never offers session-only keys, on any OS or failure', () => {
    const launch = cliLaunch(['gaia-desktop'], ['datasets'], false);
    const failures: Array<[NodeJS.Platform, unknown]> = [
      ['linux', NO_BUS],
      ['linux', new Error('org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.secrets was not provided by any .service files')],
      ['linux', new Error('Cannot create an item in a locked collection')],
      ['linux', new KeyringTimeout()],
      ['darwin', new Error('User interaction is not allowed. (-25308)')],
      ['win32', new Error('A specified logon session does not exist. (os error 1312)')],
      ['win32', new Error('something else')],
    ];
    for (const [platform, err] of failures) {
      const f = describeKeychainFailure(platform, err, 5000, launch);
      expect(f.action, `${platform}: ${String(err)}`).not.toMatch(/choose to keep keys|session only \(/);
      expect(f.action, `${platform}: ${String(err)}`).toMatch(/command line can use only keys in the keychain/);
    }
  });

  it('the command line quotes the words it was given, and the keyring command keeps them intact', () => {
    const launch = cliLaunch(['npm', 'run', '-s', 'cli', '--'], ['--data-dir', "/tmp/Bob's data", 'ask', 'why $HOME?'], true);
    expect(launch.command).toBe(`npm run -s cli -- --data-dir '/tmp/Bob'\\''s data' ask 'why $HOME?'`);
    // What bash -c receives is the script as written, with the command's quotes unchanged.
    const printed = spawnSync('bash', ['-c', keyringSessionCommand(launch.command!).replace(/^dbus-run-session -- bash -c /, 'printf %s ')], { encoding: 'utf8' });
    expect(printed.stdout).toMatch(/^read -rsp "Keyring password: " pw; .*; exec /);
    expect(printed.stdout.endsWith(`; exec ${launch.command}`)).toBe(true);
  });

  it('an installed app without a command (macOS, Windows) offers no command line', () => {
    const f = describeKeychainFailure('linux', NO_BUS, 5000, { how: 'packaged', command: null });
    expect(f.action).not.toMatch(/dbus-run-session/);
  });

  it('a keyring module that cannot load: reinstall the app, or npm install in a checkout', () => {
    const broken = new Error('Cannot find module @napi-rs/keyring-linux-x64-gnu');
    expect(describeKeychainFailure('linux', broken, 5000, { how: 'packaged', command: 'gaia-desktop' }).action).toMatch(/^Reinstall Gaia Desktop/);
    expect(describeKeychainFailure('linux', broken, 5000, cliLaunch(['gaia-desktop'], ['datasets'], false)).action).toMatch(/^Reinstall Gaia Desktop/);
    for (const launch of [{ how: 'source', command: 'npm start' }, { how: 'preview', command: 'npm run preview' }, cliLaunch(['npm', 'run', '-s', 'cli', '--'], ['datasets'], true)] as const) {
      const action = describeKeychainFailure('linux', broken, 5000, launch).action;
      expect(action).toMatch(/`npm install` again in the checkout/);
      expect(action).not.toMatch(/Reinstall/);
    }
  });

  it('Windows outside a logon session: the desktop app, or the command that was run', () => {
    const noSession = new Error('A specified logon session does not exist. (os error 1312)');
    expect(describeKeychainFailure('win32', noSession, 5000).action).toMatch(/start Gaia Desktop from the desktop/);
    expect(describeKeychainFailure('win32', noSession, 5000, { how: 'preview', command: 'npm run demo' }).action).toMatch(/run `npm run demo` from a terminal/);
    expect(describeKeychainFailure('win32', noSession, 5000, cliLaunch(['gaia-desktop.exe'], ['datasets'], false)).action).toMatch(/run `gaia-desktop\.exe datasets` from a terminal/);
  });

  it('reaches the status the window shows', async () => {
    const { backend, state } = fakeStore();
    state.fail = NO_BUS;
    const status = await createKeychain({ service: 's', log: tempLog(), backend, platform: 'linux', launch: { how: 'preview', command: 'npm run demo' } }).status();
    expect(status.problem?.action).toContain(keyringSessionCommand('npm run demo'));
  });
});

describe('session-only mode', () => {
  it('keeps keys in memory only, never in the store', async () => {
    const { backend, entries, state } = fakeStore();
    state.fail = new Error('Platform failure: DBus error: Failed to connect to socket /run/user/1000/bus: No such file or directory');
    const keychain = createKeychain({ service: 'svc', log: tempLog(), backend, platform: 'linux' });
    expect((await failure(keychain.set('p', KEY))).info.kind).toBe('keychain-unavailable');
    const status = await keychain.useSessionOnly();
    expect(status).toMatchObject({ available: false, sessionOnly: true });
    expect(keychain.sessionOnly).toBe(true);
    expect(await keychain.set('p', KEY)).toBe('session');
    expect(await keychain.get('p')).toBe(KEY);
    expect(entries.size).toBe(0);
    // Deleting does not wait on the broken store.
    state.hang = true;
    expect(await keychain.delete('p')).toBe(true);
    expect(await keychain.get('p')).toBeNull();
  });

  it('still says why and how to fix it, but no longer offers what was chosen', async () => {
    const { backend, state } = fakeStore();
    state.fail = new Error('Platform failure: DBus error: Failed to connect to socket /run/user/1000/bus: No such file or directory');
    const launch: Launch = { how: 'preview', command: 'npm run demo' };
    const keychain = createKeychain({ service: 'svc', log: tempLog(), backend, platform: 'linux', launch });
    expect((await keychain.status()).problem?.action).toMatch(/Or choose to keep keys for this session only/);
    for (const status of [await keychain.useSessionOnly(), await keychain.status()]) {
      expect(status.problem?.message).toMatch(/message bus \(D-Bus\)/);
      expect(status.problem?.action).toContain(keyringSessionCommand('npm run demo'));
      expect(status.problem?.action).not.toMatch(/choose to keep keys/);
    }
  });

  it('is forgotten by the next keychain (the next start of the app)', async () => {
    const { backend } = fakeStore();
    const first = createKeychain({ service: 'svc', log: tempLog(), backend });
    await first.useSessionOnly();
    await first.set('p', KEY);
    const second = createKeychain({ service: 'svc', log: tempLog(), backend });
    expect(await second.get('p')).toBeNull();
  });
});

describe('busSocketPath', () => {
  it('reads the unix socket from a D-Bus address', () => {
    expect(busSocketPath('unix:path=/run/user/1000/bus')).toBe('/run/user/1000/bus');
    expect(busSocketPath('unix:abstract=/tmp/dbus-abc,guid=123')).toBe('\0/tmp/dbus-abc');
    expect(busSocketPath('tcp:host=localhost,port=1;unix:path=/x%20y')).toBe('/x y');
    expect(busSocketPath('tcp:host=localhost,port=1')).toBeNull();
    expect(busSocketPath(undefined)).toBeNull();
  });
});
