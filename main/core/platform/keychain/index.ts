/**
 * API keys live in the operating system's keychain — one entry per profile (service =
 * the app's name or the --keychain-service override, account = profile id) — or, when the
 * user chooses so because no keychain is usable, in this process's memory until quit.
 * There is no plaintext or home-made-encrypted fallback, ever.
 *
 * How the keychain is reached, and why not straight from the main thread:
 * @napi-rs/keyring's AsyncEntry opens its D-Bus connection synchronously in its
 * constructor (a bus that accepts but never answers froze the calling thread for ~12 s
 * in testing), and its async calls run on libuv's thread pool, which file I/O shares and
 * which a hung call cannot give back; its AbortSignal does not abort either. So every
 * keychain call runs in one worker thread that uses the library's synchronous API, and
 * each call here is raced against our own timeout. A call that times out gets the worker
 * terminated (the thread dies as soon as the native call returns) and the next call
 * starts a fresh worker; while two abandoned workers are still stuck, calls fail at once
 * instead of piling up threads.
 *
 * A thread stuck in native code also holds up process exit (Node joins worker threads
 * when it quits), so on Linux each call first checks, asynchronously and within the
 * timeout, that the session bus answers at all (the first step of the D-Bus handshake);
 * a bus that accepts connections but never answers is reported as a timeout without
 * ever reaching native code.
 *
 * On Linux the store is pinned to the Secret Service: the library's default silently
 * falls back to the kernel keyring, which does not survive a reboot. libdbus reads
 * DBUS_SESSION_BUS_ADDRESS once per process and keeps it, so a missing or wrong bus is
 * fixed only by starting the app again (the message says so).
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import type { ErrorKind, KeychainStatus, KeyStorageLocation } from '../../../../preload/contract';
import { AppError, appError } from '../../errors';
import type { Log } from '../log';
import { checkApiKey } from '../../validate/api-key';
import { checkProfileId } from '../../validate/profile-id';

export interface Keychain {
  /** Probes the keychain (a write, read back and delete of a probe entry), with the timeout. */
  status(): Promise<KeychainStatus>;
  /** From now until quit, keys are held in this process's memory only. */
  useSessionOnly(): Promise<KeychainStatus>;
  readonly sessionOnly: boolean;
  /** The stored key, or null when there is none. Registered with the log as a secret. */
  get(profileId: string): Promise<string | null>;
  /** Stores (or replaces) the key; answers where it went. */
  set(profileId: string, key: string): Promise<KeyStorageLocation>;
  /** True when a key was there and is gone now. */
  delete(profileId: string): Promise<boolean>;
  /** Stops the worker thread. */
  close(): Promise<void>;
}

/**
 * The raw store, one call at a time. The default runs @napi-rs/keyring in a worker
 * thread; tests can pass another (for the per-OS messages). A backend rejects with
 * KeyringTimeout when it gave up waiting, and with any Error carrying the store's
 * message otherwise. The signal aborts when the caller stops waiting.
 */
export interface KeyringBackend {
  get(service: string, account: string, signal: AbortSignal): Promise<string | null>;
  set(service: string, account: string, secret: string, signal: AbortSignal): Promise<void>;
  delete(service: string, account: string, signal: AbortSignal): Promise<boolean>;
  /** Writes the secret, reads it back and deletes it; rejects if any step fails. */
  probe(service: string, account: string, secret: string, signal: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

export class KeyringTimeout extends Error {
  constructor(message = 'the keychain did not answer in time') {
    super(message);
    this.name = 'KeyringTimeout';
  }
}

export interface KeychainOptions {
  /** The keychain service name: the app's name, or the --keychain-service override. */
  service: string;
  log: Pick<Log, 'addSecret' | 'warn' | 'info'>;
  timeoutMs?: number;
  platform?: NodeJS.Platform;
  backend?: KeyringBackend;
  /** Where @napi-rs/keyring is, when module resolution from this file cannot find it. */
  keyringModulePath?: string;
}

const PROBE_ACCOUNT = 'gaia-desktop-probe';

// ---------------------------------------------------------------------------
// What a failure means, in the user's words, per OS

interface Failure {
  kind: Extract<ErrorKind, 'keychain-unavailable' | 'keychain-timeout' | 'keychain-failed' | 'bad-key'>;
  message: string;
  action: string;
}

const SESSION_ONLY_HINT = 'Or choose to keep keys for this session only (they are forgotten when Gaia Desktop quits).';

export function backendName(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'macOS Keychain';
  if (platform === 'win32') return 'Windows Credential Manager';
  return 'Secret Service (GNOME Keyring, KeePassXC or KWallet)';
}

function timeoutFailure(platform: NodeJS.Platform, seconds: number | null): Failure {
  const base = `The keychain (${backendName(platform)}) did not answer${seconds === null ? '' : ` within ${seconds} seconds`}.`;
  if (platform === 'darwin') {
    return { kind: 'keychain-timeout', message: base, action: `If macOS asked for your password, answer it and try again. Otherwise open Keychain Access, check that the “login” keychain is unlocked, and try again. ${SESSION_ONLY_HINT}` };
  }
  if (platform === 'win32') {
    return { kind: 'keychain-timeout', message: base, action: `Try again. If it keeps happening, restart Windows. ${SESSION_ONLY_HINT}` };
  }
  return {
    kind: 'keychain-timeout',
    message: base,
    action: `If your keyring asked for a password, unlock it and try again. Otherwise the keyring service may be stuck: log out and back in (or restart gnome-keyring-daemon / KeePassXC) and try again. ${SESSION_ONLY_HINT}`,
  };
}

function shortReason(raw: string): string {
  const oneLine = raw.replace(/\s+/g, ' ').trim();
  return oneLine.length > 300 ? `${oneLine.slice(0, 300)}…` : oneLine;
}

function linuxFailure(raw: string): Failure {
  // D-Bus gave up waiting itself (its own timeout, shorter than ours).
  if (/Did not receive a reply|NoReply|timed? ?out/i.test(raw)) return timeoutFailure('linux', null);
  if (/DBUS_SESSION_BUS_ADDRESS|autolaunch|Failed to connect to socket|Connection refused|Could not connect|Unknown address type|not a valid (unix )?address|Address does not contain/i.test(raw)) {
    return {
      kind: 'keychain-unavailable',
      message: 'Gaia Desktop cannot reach your session’s message bus (D-Bus), which is how it talks to the keychain (Secret Service). This happens when it is started outside a desktop session, for example over SSH or in a container.',
      action:
        'Quit Gaia Desktop and start it again from your desktop session. On a machine without a desktop, start it inside a D-Bus session with an unlocked keyring: ' +
        "dbus-run-session -- sh -c 'gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec gaia-desktop' " +
        `(type the keyring password, then press Ctrl-D). ${SESSION_ONLY_HINT}`,
    };
  }
  if (/ServiceUnknown|org\.freedesktop\.secrets|not provided by any \.service files|NameHasNoOwner|no such name/i.test(raw)) {
    return {
      kind: 'keychain-unavailable',
      message: 'No keychain service (Secret Service) is running in your desktop session, so there is nowhere safe to keep your API key.',
      action: `Install gnome-keyring (or KeePassXC with its Secret Service integration turned on), make sure it is running and unlocked, then try again. ${SESSION_ONLY_HINT}`,
    };
  }
  if (/lock|prompt was dismissed|dismissed|NoStorageAccess.*denied|not allowed/i.test(raw)) {
    return {
      kind: 'keychain-unavailable',
      message: 'Your keyring is locked, and Gaia Desktop could not unlock it.',
      action: `Unlock it — in GNOME open “Passwords and Keys” (Seahorse) and unlock the Login keyring; in KeePassXC unlock the database — then try again. ${SESSION_ONLY_HINT}`,
    };
  }
  if (/no result found|no default collection|collection/i.test(raw)) {
    return {
      kind: 'keychain-unavailable',
      message: 'Your keychain has no default keyring to store keys in.',
      action: `Open “Passwords and Keys” (Seahorse), create a keyring and make it the default (or enable Secret Service integration for a KeePassXC database), unlock it, then try again. ${SESSION_ONLY_HINT}`,
    };
  }
  return {
    kind: 'keychain-failed',
    message: `The keychain (Secret Service) refused the request: ${shortReason(raw)}`,
    action: `Check that your keyring is running and unlocked, then try again. ${SESSION_ONLY_HINT}`,
  };
}

function macFailure(raw: string): Failure {
  if (/timed? ?out/i.test(raw)) return timeoutFailure('darwin', null);
  if (/-25308|interaction is not allowed|InteractionNotAllowed/i.test(raw)) {
    return {
      kind: 'keychain-unavailable',
      message: 'The macOS keychain is locked and macOS cannot ask for your password right now (for example in a remote session).',
      action: `Open Keychain Access, unlock the “login” keychain, then try again. ${SESSION_ONLY_HINT}`,
    };
  }
  if (/-128|user cancell?ed|canceled|cancelled/i.test(raw)) {
    return {
      kind: 'keychain-unavailable',
      message: 'Access to the keychain was declined.',
      action: `Try again and choose “Allow” or “Always Allow” when macOS asks. ${SESSION_ONLY_HINT}`,
    };
  }
  if (/-25294|-25295|-25307|could not be found|No default keychain|NoDefaultKeychain|NoKeychain/i.test(raw)) {
    return {
      kind: 'keychain-unavailable',
      message: 'macOS has no usable default keychain for your account.',
      action: `Open Keychain Access and make “login” the default keychain (File → Make Keychain “login” Default), or restore it with Keychain First Aid, then try again. ${SESSION_ONLY_HINT}`,
    };
  }
  if (/-25293|passphrase|not correct|auth/i.test(raw)) {
    return {
      kind: 'keychain-unavailable',
      message: 'The keychain password was not accepted.',
      action: `Open Keychain Access, unlock the “login” keychain with your password, then try again. ${SESSION_ONLY_HINT}`,
    };
  }
  return {
    kind: 'keychain-failed',
    message: `The macOS Keychain refused the request: ${shortReason(raw)}`,
    action: `Open Keychain Access, check that the “login” keychain is unlocked, then try again. ${SESSION_ONLY_HINT}`,
  };
}

function windowsFailure(raw: string): Failure {
  if (/timed? ?out/i.test(raw)) return timeoutFailure('win32', null);
  if (/logon session|1312|NoSuchLogonSession/i.test(raw)) {
    return {
      kind: 'keychain-unavailable',
      message: 'Windows Credential Manager is not available in this kind of session (for example over SSH, as a service, or under “Run as” another user).',
      action: `Sign in to Windows with your own account and start Gaia Desktop from the desktop. ${SESSION_ONLY_HINT}`,
    };
  }
  if (/too (big|long)|BadStubData|1783|attribute|size/i.test(raw)) {
    return { kind: 'bad-key', message: 'This key is too long for Windows Credential Manager.', action: 'Check that you pasted only the API key, then try again.' };
  }
  if (/access is denied|denied|0x80070005/i.test(raw)) {
    return {
      kind: 'keychain-unavailable',
      message: 'Windows refused access to Credential Manager.',
      action: `Sign in with your own account (not a restricted or guest account) and try again. ${SESSION_ONLY_HINT}`,
    };
  }
  return {
    kind: 'keychain-failed',
    message: `Windows Credential Manager refused the request: ${shortReason(raw)}`,
    action: `Try again. If it keeps happening, restart Windows. ${SESSION_ONLY_HINT}`,
  };
}

const LOAD_FAILURE = /Cannot find module|Failed to load native binding|native binding|not supported on|ERR_DLOPEN_FAILED|invalid ELF|cannot open shared object/i;

/** Turns what the store said into words for the user. Exported for tests. */
export function describeKeychainFailure(platform: NodeJS.Platform, err: unknown, timeoutMs: number): Failure {
  const seconds = Math.round(timeoutMs / 100) / 10;
  if (err instanceof KeyringTimeout) return timeoutFailure(platform, seconds);
  const raw = err instanceof Error ? `${err.message} ${(err as { code?: unknown }).code ?? ''}` : String(err);
  if (LOAD_FAILURE.test(raw)) {
    return {
      kind: 'keychain-unavailable',
      message: 'Gaia Desktop’s keychain support could not be loaded on this computer.',
      action: `Reinstall Gaia Desktop. ${SESSION_ONLY_HINT}`,
    };
  }
  if (platform === 'darwin') return macFailure(raw);
  if (platform === 'win32') return windowsFailure(raw);
  return linuxFailure(raw);
}

// ---------------------------------------------------------------------------
// The default backend: @napi-rs/keyring's synchronous API in a worker thread

// CommonJS, run with `eval: true`; the module path comes in through workerData.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
let keyring = null;
let loadError = null;
try { keyring = require(workerData.modulePath); } catch (err) { loadError = err; }
parentPort.on('message', (m) => {
  try {
    if (loadError) throw loadError;
    const entry = new keyring.Entry(m.service, m.account, workerData.entryOptions);
    let value = null;
    if (m.op === 'get') value = entry.getPassword() ?? null;
    else if (m.op === 'set') entry.setPassword(m.secret);
    else if (m.op === 'delete') value = entry.deleteCredential();
    else if (m.op === 'probe') {
      entry.setPassword(m.secret);
      const back = entry.getPassword();
      entry.deleteCredential();
      if (back !== m.secret) throw new Error('the keychain did not give back what was stored in it');
    }
    parentPort.postMessage({ id: m.id, ok: true, value });
  } catch (err) {
    parentPort.postMessage({ id: m.id, ok: false, message: String((err && err.message) || err), code: err && err.code ? String(err.code) : null });
  }
});
`;

type Op = 'get' | 'set' | 'delete' | 'probe';

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
}

class StoreError extends Error {
  constructor(message: string, readonly code: string | null) {
    super(message);
    this.name = 'StoreError';
  }
}

const MAX_STUCK_WORKERS = 2;

/** The unix socket of the first unix: transport in a D-Bus address, or null (tcp:, launchd:, unset...). */
export function busSocketPath(address: string | undefined): string | null {
  if (!address) return null;
  for (const transport of address.split(';')) {
    const m = /^unix:(.*)$/.exec(transport.trim());
    if (!m) continue;
    const params = new Map<string, string>();
    for (const pair of m[1].split(',')) {
      const eq = pair.indexOf('=');
      if (eq > 0) {
        try {
          params.set(pair.slice(0, eq), decodeURIComponent(pair.slice(eq + 1)));
        } catch {
          params.set(pair.slice(0, eq), pair.slice(eq + 1));
        }
      }
    }
    if (params.has('path')) return params.get('path')!;
    if (params.has('abstract')) return `\0${params.get('abstract')}`;
  }
  return null;
}

/**
 * Starts a D-Bus handshake (SASL AUTH EXTERNAL) on the session bus and waits for any
 * answer. 'silent' means the socket took the connection and said nothing: the case
 * that would freeze a thread inside libdbus. A bus that cannot be reached at all is
 * left to the native call, which fails at once with a clear message.
 */
export function checkBusAnswers(address: string | undefined, signal: AbortSignal): Promise<'answers' | 'unreachable' | 'silent' | 'skipped'> {
  const socketPath = busSocketPath(address);
  if (socketPath === null) return Promise.resolve('skipped');
  return new Promise((resolve) => {
    const socket = net.connect({ path: socketPath });
    const done = (result: 'answers' | 'unreachable' | 'silent') => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(result);
    };
    const onAbort = () => done('silent');
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) return done('silent');
    socket.on('error', () => done('unreachable'));
    socket.on('connect', () => {
      const uid = typeof process.getuid === 'function' ? String(process.getuid()) : '0';
      socket.write(`\0AUTH EXTERNAL ${Buffer.from(uid).toString('hex')}\r\n`);
    });
    socket.on('data', () => done('answers'));
    socket.on('end', () => done('answers'));
  });
}

export function createWorkerBackend(modulePath?: string, platform: NodeJS.Platform = process.platform): KeyringBackend {
  const usesDbus = platform !== 'darwin' && platform !== 'win32';
  let resolvedPath: string | null = modulePath ?? null;
  let worker: Worker | null = null;
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let stuck = 0;

  const failAll = (err: Error) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };

  const abandon = (w: Worker, reason: Error) => {
    if (worker !== w) return;
    worker = null;
    failAll(reason);
    stuck += 1;
    let counted = true;
    w.once('exit', () => {
      if (counted) stuck -= 1;
      counted = false;
    });
    void w.terminate().catch(() => undefined);
  };

  const spawn = (): Worker => {
    if (resolvedPath === null) resolvedPath = createRequire(import.meta.url).resolve('@napi-rs/keyring');
    const w = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { modulePath: resolvedPath, entryOptions: { linux: { store: 'secret-service' } } },
    });
    // An idle worker must not keep the app from quitting.
    w.unref();
    w.on('message', (m: { id: number; ok: boolean; value?: unknown; message?: string; code?: string | null }) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (m.ok) p.resolve(m.value ?? null);
      else p.reject(new StoreError(m.message ?? 'unknown keychain error', m.code ?? null));
    });
    w.on('error', (err) => {
      if (worker === w) worker = null;
      failAll(err instanceof Error ? err : new Error(String(err)));
    });
    w.on('exit', () => {
      if (worker === w) {
        worker = null;
        failAll(new Error('the keychain worker stopped unexpectedly'));
      }
    });
    return w;
  };

  const call = async (op: Op, service: string, account: string, secret: string | null, signal: AbortSignal): Promise<unknown> => {
    if (usesDbus && (await checkBusAnswers(process.env.DBUS_SESSION_BUS_ADDRESS, signal)) === 'silent') {
      throw new KeyringTimeout('the D-Bus session bus accepted the connection but did not answer');
    }
    return callWorker(op, service, account, secret, signal);
  };

  const callWorker = (op: Op, service: string, account: string, secret: string | null, signal: AbortSignal): Promise<unknown> => {
    if (signal.aborted) return Promise.reject(new KeyringTimeout());
    if (!worker) {
      if (stuck >= MAX_STUCK_WORKERS) return Promise.reject(new KeyringTimeout('the keychain is still not answering earlier requests'));
      try {
        worker = spawn();
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
    }
    const w = worker;
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const onAbort = () => abandon(w, new KeyringTimeout());
      signal.addEventListener('abort', onAbort, { once: true });
      pending.set(id, {
        resolve: (v) => {
          signal.removeEventListener('abort', onAbort);
          resolve(v);
        },
        reject: (e) => {
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      });
      w.postMessage({ id, op, service, account, secret });
    });
  };

  return {
    get: async (service, account, signal) => {
      const v = await call('get', service, account, null, signal);
      return typeof v === 'string' ? v : null;
    },
    set: async (service, account, secret, signal) => {
      await call('set', service, account, secret, signal);
    },
    delete: async (service, account, signal) => (await call('delete', service, account, null, signal)) === true,
    probe: async (service, account, secret, signal) => {
      await call('probe', service, account, secret, signal);
    },
    close: async () => {
      const w = worker;
      worker = null;
      failAll(new Error('the keychain was closed'));
      if (w) await Promise.race([w.terminate(), new Promise((r) => setTimeout(r, 200).unref())]).catch(() => undefined);
    },
  };
}

// ---------------------------------------------------------------------------
// The keychain

export function createKeychain(options: KeychainOptions): Keychain {
  const { service, log, timeoutMs = 5000, platform = process.platform } = options;
  const backend = options.backend ?? createWorkerBackend(options.keyringModulePath);
  const memory = new Map<string, string>();
  let sessionOnly = false;
  let lastStatus: KeychainStatus | null = null;
  const name = backendName(platform);

  const toAppError = (err: unknown, secret: string | null): AppError => {
    if (err instanceof AppError) return err;
    const failure = describeKeychainFailure(platform, err, timeoutMs);
    // The store's words go into the message for unknown failures: make sure no key rides along.
    const scrub = (s: string) => (secret && secret.length > 0 ? s.split(secret).join('[key]') : s);
    return appError(failure.kind, scrub(failure.message), scrub(failure.action), {}, err);
  };

  const withTimeout = async <T>(what: string, secret: string | null, run: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new KeyringTimeout());
      }, timeoutMs);
    });
    const started = Date.now();
    try {
      return await Promise.race([run(controller.signal), timeout]);
    } catch (err) {
      const appErr = toAppError(err, secret);
      log.warn(`keychain ${what} failed after ${Date.now() - started} ms (${appErr.info.kind})`, err instanceof Error ? err.message : String(err));
      throw appErr;
    } finally {
      clearTimeout(timer);
    }
  };

  const probe = async (): Promise<KeychainStatus> => {
    const secret = randomBytes(12).toString('hex');
    try {
      await withTimeout('probe', null, (signal) => backend.probe(service, PROBE_ACCOUNT, secret, signal));
      lastStatus = { available: true, backend: name, sessionOnly, problem: null };
    } catch (err) {
      const info = err instanceof AppError ? err.info : toAppError(err, null).info;
      lastStatus = { available: false, backend: name, sessionOnly, problem: { message: info.message, action: info.action } };
    }
    return lastStatus;
  };

  return {
    get sessionOnly() {
      return sessionOnly;
    },
    status: probe,
    useSessionOnly: async () => {
      if (!sessionOnly) log.info('keychain: keys are kept in memory for this session only');
      sessionOnly = true;
      if (!lastStatus) return probe();
      lastStatus = { ...lastStatus, sessionOnly };
      return lastStatus;
    },
    get: async (profileId) => {
      checkProfileId(profileId);
      const key = sessionOnly ? (memory.get(profileId) ?? null) : await withTimeout('read', null, (signal) => backend.get(service, profileId, signal));
      if (key !== null) log.addSecret(key);
      return key;
    },
    set: async (profileId, key) => {
      checkProfileId(profileId);
      checkApiKey(key);
      log.addSecret(key);
      if (sessionOnly) {
        memory.set(profileId, key);
        return 'session';
      }
      await withTimeout('write', key, (signal) => backend.set(service, profileId, key, signal));
      return 'keychain';
    },
    delete: async (profileId) => {
      checkProfileId(profileId);
      const inMemory = memory.delete(profileId);
      // In session-only mode the keychain is asked too, but only when it last answered,
      // so deleting a profile never waits on a keychain known to be broken.
      if (sessionOnly && lastStatus?.available !== true) return inMemory;
      try {
        return (await withTimeout('delete', null, (signal) => backend.delete(service, profileId, signal))) || inMemory;
      } catch (err) {
        if (sessionOnly) return inMemory;
        throw err;
      }
    },
    close: () => backend.close(),
  };
}
