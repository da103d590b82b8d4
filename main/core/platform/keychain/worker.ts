/**
 * The keychain's worker thread (started by backend.ts): @napi-rs/keyring's synchronous
 * API, one call at a time, so a native call that hangs blocks this thread and nothing
 * else. A file of its own, typed and linted like the rest; the build emits it as
 * out/main/keychain-worker.mjs, and from source Node runs this .ts as it is. It imports
 * nothing but Node: the library's path comes in through workerData.
 */
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerReply, WorkerRequest, WorkerSetup } from './backend';

type Keyring = typeof import('@napi-rs/keyring');

const setup = workerData as WorkerSetup;
const port = parentPort!;
let keyring: Keyring | null = null;
let loadError: unknown = null;
try {
  keyring = createRequire(import.meta.url)(setup.modulePath) as Keyring;
} catch (err) {
  loadError = err;
}

function run(m: WorkerRequest): unknown {
  if (!keyring) throw loadError;
  if (m.op === 'clear') {
    let removed = 0;
    for (const { account } of keyring.findCredentials(m.service)) {
      if (new keyring.Entry(m.service, account, setup.entryOptions).deleteCredential()) removed += 1;
    }
    return removed;
  }
  const entry = new keyring.Entry(m.service, m.account, setup.entryOptions);
  switch (m.op) {
    case 'get':
      return entry.getPassword() ?? null;
    case 'set':
      entry.setPassword(m.secret!);
      return null;
    case 'delete':
      return entry.deleteCredential();
    case 'probe': {
      entry.setPassword(m.secret!);
      const back = entry.getPassword();
      entry.deleteCredential();
      if (back !== m.secret) throw new Error('the keychain did not give back what was stored in it');
      return null;
    }
  }
}

port.on('message', (m: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    reply = { id: m.id, ok: true, value: run(m) };
  } catch (err) {
    const e = err as { message?: unknown; code?: unknown } | null;
    reply = { id: m.id, ok: false, message: String(e?.message || err), code: e?.code ? String(e.code) : null };
  }
  port.postMessage(reply);
});
