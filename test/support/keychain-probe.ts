/**
 * Runs the keychain once in a process of its own and prints what happened as JSON.
 *
 * Failure-mode tests need a fresh process each: libdbus reads DBUS_SESSION_BUS_ADDRESS
 * on first use and keeps it (and a failure) for the life of the process.
 *
 *   node --import tsx test/support/keychain-probe.ts <service> <timeoutMs> [session]
 */
import { createKeychain } from '../../main/core/platform/keychain';
import { createLog } from '../../main/core/platform/log';
import { AppError } from '../../main/core/errors';
import { PROBE_KEY } from './keychain-probe-key';

const [service = 'gaia-desktop-probe-test', timeoutArg = '3000', mode = 'keychain'] = process.argv.slice(2);
const timeoutMs = Number(timeoutArg);

async function settle<T>(p: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: AppError['info']; ms: number }> {
  const started = Date.now();
  try {
    return { ok: true, value: await p };
  } catch (err) {
    if (err instanceof AppError) return { ok: false, error: err.info, ms: Date.now() - started };
    return { ok: false, error: { kind: 'internal', message: String(err), action: '' }, ms: Date.now() - started };
  }
}

const keychain = createKeychain({ service, log: createLog({ dir: null }), timeoutMs, platform: 'linux' });
let ticks = 0;
const ticker = setInterval(() => ticks++, 20);
const started = Date.now();
const result: Record<string, unknown> = {};
result.status = await keychain.status();
if (mode === 'session') result.sessionStatus = await keychain.useSessionOnly();
result.set = await settle(keychain.set('probe-profile', PROBE_KEY));
result.get = await settle(keychain.get('probe-profile'));
result.delete = await settle(keychain.delete('probe-profile'));
result.getAfterDelete = await settle(keychain.get('probe-profile'));
result.ms = Date.now() - started;
clearInterval(ticker);
result.ticks = ticks;
process.stdout.write(`${JSON.stringify(result)}\n`);
// A worker stuck in a hung D-Bus call must not keep this process alive.
process.exit(0);
