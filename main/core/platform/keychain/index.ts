/**
 * API keys live in the operating system's keychain — one entry per profile (service =
 * the app's name or the --keychain-service override, account = profile id) — or, when the
 * user chooses so because no keychain is usable, in this process's memory until quit.
 * There is no plaintext or home-made-encrypted fallback, ever.
 *
 * Here: the keychain the core uses (checks, timeouts, session-only mode, messages).
 * backend.ts runs the store in a worker thread (worker.ts), dbus.ts checks the session
 * bus first on Linux, messages.ts words every failure per OS. libdbus reads
 * DBUS_SESSION_BUS_ADDRESS once per process and keeps it, so a missing or wrong bus is
 * fixed only by starting the app again (the message says so).
 */
import { randomBytes } from 'node:crypto';
import type { KeychainStatus, KeyStorageLocation } from '../../../../preload/contract';
import { AppError, appError } from '../../errors';
import type { Log } from '../log';
import { checkApiKey } from '../../validate/api-key';
import { checkProfileId } from '../../validate/profile-id';
import { createWorkerBackend, KeyringTimeout, type KeyringBackend } from './backend';
import { backendName, describeKeychainFailure, PACKAGED, withoutSessionOnlyOffer, type Launch } from './messages';

export { KeyringTimeout, createWorkerBackend, type KeyringBackend } from './backend';
export { busSocketPath, checkBusAnswers } from './dbus';
export { backendName, describeKeychainFailure, keyringSessionCommand, PACKAGED, type Launch } from './messages';

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
  /**
   * Deletes every entry of this keychain's service, whatever its account; answers how many
   * went. Only for a service that is one tool's alone (the demo's), never the app's own:
   * there it would take the keys of profiles this process does not know about.
   */
  clearService(): Promise<number>;
  /** Stops the worker thread. */
  close(): Promise<void>;
}

/**
 * The raw store, one call at a time. The default runs @napi-rs/keyring in a worker
 * thread; tests can pass another (for the per-OS messages). A backend rejects with
 * KeyringTimeout when it gave up waiting, and with any Error carrying the store's
 * message otherwise. The signal aborts when the caller stops waiting.
 */


export interface KeychainOptions {
  /** The keychain service name: the app's name, or the --keychain-service override. */
  service: string;
  /** How the app was started; an installed app by default. */
  launch?: Launch;
  log: Pick<Log, 'addSecret' | 'warn' | 'info'>;
  timeoutMs?: number;
  platform?: NodeJS.Platform;
  backend?: KeyringBackend;
  /** Where @napi-rs/keyring is, when module resolution from this file cannot find it. */
  keyringModulePath?: string;
  /** The worker's script: the built keychain-worker.mjs in a bundle; by default worker.ts from source. */
  workerFile?: string | URL;
}

const PROBE_ACCOUNT = 'gaia-desktop-probe';

export function createKeychain(options: KeychainOptions): Keychain {
  const { service, log, timeoutMs = 5000, platform = process.platform, launch = PACKAGED } = options;
  const backend = options.backend ?? createWorkerBackend(options.keyringModulePath, platform, options.workerFile);
  const memory = new Map<string, string>();
  let sessionOnly = false;
  let lastStatus: KeychainStatus | null = null;
  const name = backendName(platform);

  const toAppError = (err: unknown, secret: string | null): AppError => {
    if (err instanceof AppError) return err;
    const failure = describeKeychainFailure(platform, err, timeoutMs, launch);
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

  /** A status as of now: once keys are kept for this session only, its problem no longer offers that choice. */
  const asOfNow = (status: KeychainStatus): KeychainStatus => {
    const { problem } = status;
    if (!sessionOnly) return status;
    return { ...status, sessionOnly, problem: problem && { ...problem, action: withoutSessionOnlyOffer(problem.action, launch) } };
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
    return asOfNow(lastStatus);
  };
  return {
    get sessionOnly() {
      return sessionOnly;
    },
    status: probe,
    useSessionOnly: async () => {
      if (!sessionOnly) log.info('keychain: keys are kept in memory for this session only');
      sessionOnly = true;
      return lastStatus ? asOfNow(lastStatus) : probe();
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
    clearService: async () => {
      memory.clear();
      if (sessionOnly && lastStatus?.available !== true) return 0;
      return withTimeout('clear', null, (signal) => backend.clear(service, signal));
    },
    close: () => backend.close(),
  };
}
