/**
 * Does the session bus answer at all? A bus that accepts a connection but never answers
 * would freeze a thread inside libdbus (and, since Node joins worker threads when it
 * quits, hold up the app's exit), so on Linux each keychain call first asks, without
 * native code and within the call's timeout.
 */
import net from 'node:net';

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
