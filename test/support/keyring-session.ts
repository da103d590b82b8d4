/**
 * Private D-Bus sessions for the keychain tests, so no test ever touches a real keyring.
 *
 * The test runner runs vitest inside a private session with an unlocked GNOME Keyring:
 *
 *   dbus-run-session -- sh -c 'export XDG_DATA_HOME=$(mktemp -d); \
 *     echo -n test | gnome-keyring-daemon --unlock --components=secrets >/dev/null; \
 *     GAIA_TEST_KEYRING=1 npx vitest run'
 *
 * GAIA_TEST_KEYRING=1 says "the session bus in my environment is a throwaway one", and
 * the happy-path tests then use it. Without it (the same line without the marker, or a
 * developer running `npx vitest run` from their desktop, or no D-Bus at all),
 * `ambientOrPrivateKeyring()` starts its own dbus-daemon and gnome-keyring-daemon
 * instead, because the bus in the environment may be the user's real one. Either way
 * the tests pass and never touch a real keyring. Tests that need a keyring in a
 * particular state (locked, absent) always get a private bus of their own, and run the
 * keychain in a child process (libdbus keeps the first bus address a process uses).
 *
 * A test points the keychain at a bus by setting process.env.DBUS_SESSION_BUS_ADDRESS
 * (setenv reaches the native code in the keychain's worker thread); `useBus` does that and
 * gives back a function that restores the previous value.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const KEYRING_PASSWORD = 'test';

export function haveKeyringTools(): boolean {
  return ['/usr/bin/dbus-daemon', '/usr/bin/gnome-keyring-daemon', '/usr/bin/gdbus'].every((p) => existsSync(p));
}

export interface PrivateBus {
  address: string;
  /** Environment for child processes that should use this bus. */
  env: NodeJS.ProcessEnv;
  /** Locks the default (login) collection. */
  lock(): Promise<void>;
  stop(): Promise<void>;
}

function busConfig(dir: string, withServices: boolean): string {
  // A session bus like the system's, but its own socket dir and, when asked, no service
  // files: then nothing can be auto-started (no Secret Service at all).
  return `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=${dir}</listen>
  <auth>EXTERNAL</auth>
  ${withServices ? '<standard_session_servicedirs />' : ''}
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`;
}

function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; got: ${buffer}`)), timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const m = pattern.exec(buffer);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] ?? m[0]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before printing ${pattern}; got: ${buffer}`));
    });
  });
}

async function waitForName(env: NodeJS.ProcessEnv, name: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { stdout } = await run(
        'gdbus',
        ['call', '--session', '--dest', 'org.freedesktop.DBus', '--object-path', '/org/freedesktop/DBus', '--method', 'org.freedesktop.DBus.NameHasOwner', name],
        { env, timeout: 2000 },
      );
      if (stdout.includes('true')) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`${name} did not appear on the private bus`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Starts a private dbus-daemon; with keyring 'unlocked' or 'locked' also a
 * gnome-keyring-daemon whose login keyring is created with KEYRING_PASSWORD.
 */
export async function startPrivateBus(keyring: 'unlocked' | 'locked' | 'none'): Promise<PrivateBus> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gaia-bus-'));
  const config = path.join(dir, 'bus.conf');
  writeFileSync(config, busConfig(dir, false));
  const children: ChildProcess[] = [];
  const bus = spawn('dbus-daemon', ['--config-file', config, '--nofork', '--print-address=1'], { stdio: ['ignore', 'pipe', 'ignore'] });
  children.push(bus);
  const address = (await waitForLine(bus, /^(unix:[^\n]+)\n/m, 5000)).trim();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DBUS_SESSION_BUS_ADDRESS: address,
    XDG_DATA_HOME: path.join(dir, 'data'),
    XDG_RUNTIME_DIR: dir,
  };
  const stop = async () => {
    for (const child of children.reverse()) {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 1000))]);
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const lock = async () => {
    await run(
      'gdbus',
      ['call', '--session', '--dest', 'org.freedesktop.secrets', '--object-path', '/org/freedesktop/secrets', '--method', 'org.freedesktop.Secret.Service.Lock', "['/org/freedesktop/secrets/collection/login']"],
      { env, timeout: 5000 },
    );
  };
  try {
    if (keyring !== 'none') {
      const daemon = spawn('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets', '--control-directory', path.join(dir, 'keyring')], {
        env,
        stdio: ['pipe', 'ignore', 'ignore'],
      });
      children.push(daemon);
      daemon.stdin!.end(KEYRING_PASSWORD);
      await waitForName(env, 'org.freedesktop.secrets', 10_000);
      if (keyring === 'locked') await lock();
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { address, env, lock, stop };
}

/** The session the test runner prepared (GAIA_TEST_KEYRING=1), or a private one. */
export async function ambientOrPrivateKeyring(): Promise<{ address: string; stop(): Promise<void> }> {
  if (process.env.GAIA_TEST_KEYRING === '1' && process.env.DBUS_SESSION_BUS_ADDRESS) {
    return { address: process.env.DBUS_SESSION_BUS_ADDRESS, stop: async () => undefined };
  }
  return startPrivateBus('unlocked');
}

/** Points this process (and so the keychain worker) at a bus; returns the undo. */
export function useBus(address: string | undefined): () => void {
  const before = process.env.DBUS_SESSION_BUS_ADDRESS;
  if (address === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
  else process.env.DBUS_SESSION_BUS_ADDRESS = address;
  return () => {
    if (before === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
    else process.env.DBUS_SESSION_BUS_ADDRESS = before;
  };
}

/** A unix socket that accepts connections and never says a word: a hung bus. */
export async function startSilentSocket(): Promise<{ address: string; close(): Promise<void> }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gaia-hung-'));
  const file = path.join(dir, 'bus');
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(file, resolve));
  return {
    address: `unix:path=${file}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A unique keychain service name per run, so no test touches a real entry. */
export function testService(): string {
  return `gaia-desktop-test-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
}
