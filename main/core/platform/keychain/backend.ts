/**
 * The raw store: @napi-rs/keyring's synchronous API in one worker thread, and why not
 * straight from the main thread. AsyncEntry opens its D-Bus connection synchronously in
 * its constructor (a bus that accepts but never answers froze the calling thread for
 * ~12 s in testing), and its async calls run on libuv's thread pool, which file I/O
 * shares and which a hung call cannot give back; its AbortSignal does not abort either.
 * So every call runs in the worker, and each call is raced against the caller's timeout.
 * A call that times out gets the worker terminated (the thread dies as soon as the
 * native call returns) and the next call starts a fresh worker; while two abandoned
 * workers are still stuck, calls fail at once instead of piling up threads.
 *
 * On Linux the store is pinned to the Secret Service: the library's default silently
 * falls back to the kernel keyring, which does not survive a reboot.
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { checkBusAnswers } from './dbus';

export interface KeyringBackend {
  get(service: string, account: string, signal: AbortSignal): Promise<string | null>;
  set(service: string, account: string, secret: string, signal: AbortSignal): Promise<void>;
  delete(service: string, account: string, signal: AbortSignal): Promise<boolean>;
  /** Writes the secret, reads it back and deletes it; rejects if any step fails. */
  probe(service: string, account: string, secret: string, signal: AbortSignal): Promise<void>;
  /** Deletes every entry of the service; answers how many went. */
  clear(service: string, signal: AbortSignal): Promise<number>;
  close(): Promise<void>;
}

export class KeyringTimeout extends Error {
  constructor(message = 'the keychain did not answer in time') {
    super(message);
    this.name = 'KeyringTimeout';
  }
}

type Op = 'get' | 'set' | 'delete' | 'probe' | 'clear';

/** What the worker (worker.ts) is started with, and the messages both ways. */
export interface WorkerSetup {
  modulePath: string;
  entryOptions: { linux: { store: 'secret-service' } };
}
export interface WorkerRequest {
  id: number;
  op: Op;
  service: string;
  account: string;
  secret: string | null;
}
export type WorkerReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string; code: string | null };

/** The worker from source (tests, tsx); a bundled shell passes the built keychain-worker.mjs instead. */
const SOURCE_WORKER = new URL('./worker.ts', import.meta.url);

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

export function createWorkerBackend(modulePath?: string, platform: NodeJS.Platform = process.platform, workerFile: string | URL = SOURCE_WORKER): KeyringBackend {
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
    const setup: WorkerSetup = { modulePath: resolvedPath, entryOptions: { linux: { store: 'secret-service' } } };
    const w = new Worker(workerFile, { workerData: setup });
    // An idle worker must not keep the app from quitting.
    w.unref();
    w.on('message', (m: WorkerReply) => {
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
      w.postMessage({ id, op, service, account, secret } satisfies WorkerRequest);
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
    clear: async (service, signal) => {
      const v = await call('clear', service, '', null, signal);
      return typeof v === 'number' ? v : 0;
    },
    close: async () => {
      const w = worker;
      worker = null;
      failAll(new Error('the keychain was closed'));
      if (w) await Promise.race([w.terminate(), new Promise((r) => setTimeout(r, 200).unref())]).catch(() => undefined);
    },
  };
}
