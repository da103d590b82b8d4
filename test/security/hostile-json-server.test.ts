/**
 * A hostile Gaia against the JSON exchange (transport.ts WholeAttempt): one that answers
 * its headers and then drips the body, one that sends informational answers and never a
 * final one, one whose failure body never ends, and one whose body is past the cap
 * without saying so (chunked, JSON all the same, or counted in characters under the cap
 * but not in bytes). Each must end in the deadline or body-too-large: never hang, never
 * get a capped body parsed.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGaiaClient, type GaiaClient } from '../../main/core/gaia/client';
import type { AppError } from '../../main/core/errors';
import { capturingLog, recordingClock } from '../support/gaia';

const CAP = 1024;
type Mode = 'drip-2xx' | 'drip-500' | 'informational' | 'chunked-past-cap' | 'bytes-past-cap';
let mode: Mode = 'drip-2xx';
let server: net.Server;
let baseUrl = '';
const sockets = new Set<net.Socket>();
const timers = new Set<NodeJS.Timeout>();

const chunk = (s: string) => `${Buffer.byteLength(s).toString(16)}\r\n${s}\r\n`;

function answer(socket: net.Socket) {
  const every = (ms: number, write: () => string) => {
    const t = setInterval(() => {
      if (!socket.destroyed) socket.write(write());
    }, ms);
    timers.add(t);
    socket.on('close', () => clearInterval(t));
  };
  switch (mode) {
    case 'drip-2xx':
      socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n' + chunk('['));
      return every(20, () => chunk(' '));
    case 'drip-500':
      socket.write('HTTP/1.1 500 Internal Server Error\r\ncontent-type: text/plain\r\ntransfer-encoding: chunked\r\n\r\n');
      return every(20, () => chunk('x'));
    case 'informational':
      return every(20, () => 'HTTP/1.1 103 Early Hints\r\nlink: </a>; rel=preload\r\n\r\n');
    case 'chunked-past-cap': {
      socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n');
      // Valid JSON, a string past the cap: parsed, it would be a (wrong-shaped) answer.
      socket.write(chunk('"') + chunk('a'.repeat(CAP)) + chunk('"') + '0\r\n\r\n');
      return;
    }
    case 'bytes-past-cap': {
      // 400 characters, 1,200 bytes, no length declared: under the cap in characters, past it in bytes.
      socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n');
      socket.write(chunk(`"${'€'.repeat(400)}"`) + '0\r\n\r\n');
      return;
    }
  }
}

beforeAll(async () => {
  server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let head = '';
    const onData = (d: Buffer) => {
      head += d.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      answer(socket);
    };
    socket.on('data', onData);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/v2/mcm/gaia`;
});
afterAll(async () => {
  for (const t of timers) clearInterval(t);
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => server.close(() => r()));
});

function client(): GaiaClient {
  return createGaiaClient(
    { baseUrl, apiKey: 'key-0123456789abcdef', securityContext: null, caPem: null, trustedFingerprint: null, proxyUrl: null, verifyTls: true },
    {
      log: capturingLog(),
      env: {},
      timeouts: { deadlineMs: 400 },
      limits: { maxBodyBytes: CAP, maxStreamBytes: CAP },
      retry: { maxRetries: 0, clock: recordingClock(), random: () => 0.5 },
    },
  );
}

async function outcome(m: Mode): Promise<string> {
  mode = m;
  const c = client();
  try {
    const err = await c.llms().then(
      () => null,
      (e: unknown) => e as AppError,
    );
    return err?.info?.kind ?? 'answered';
  } finally {
    await c.close().catch(() => undefined);
  }
}

describe('a hostile Gaia against a JSON exchange', () => {
  it('a 2xx whose body drips forever ends at the deadline', async () => {
    expect(await outcome('drip-2xx')).toBe('timeout');
  });
  it('a failure whose body drips forever ends at the deadline', async () => {
    expect(await outcome('drip-500')).toBe('timeout');
  });
  it('informational answers and never a final one end at the deadline', async () => {
    expect(await outcome('informational')).toBe('timeout');
  });
  it('a chunked 2xx past the cap is stopped, not parsed', async () => {
    expect(await outcome('chunked-past-cap')).toBe('body-too-large');
  });
  it('the cap counts bytes, not characters', async () => {
    expect(await outcome('bytes-past-cap')).toBe('body-too-large');
  });
});
