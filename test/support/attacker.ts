/**
 * An attacker on loopback, for the key-redirect tests: somewhere a stored key must never
 * arrive. Three doors, one recorder:
 *   - an HTTPS "Gaia" with the attacker's own CA (trusted only if the app is made to
 *     trust it: its CA or pin, or certificate checks off);
 *   - a plain-HTTP "Gaia" on 127.0.0.1 (plain http to loopback is allowed for local tests);
 *   - a proxy that answers CONNECT and then plays the server itself (a man in the middle
 *     with the attacker's certificate), so whatever goes through it is read.
 * Each answers like a Gaia that accepts everything, so the app goes as far as it would.
 * Every request is recorded with its path, headers and body, so a test can look for a
 * key anywhere in it (the key service puts keys in the URL path).
 */
import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { createPki } from '../gaia-sim/certs';

export interface AttackerRequest {
  door: 'https' | 'http' | 'proxy';
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface Attacker {
  /** https://127.0.0.1:PORT/v2/mcm/gaia, served with the attacker's certificate. */
  httpsBaseUrl: string;
  /** http://127.0.0.1:PORT/v2/mcm/gaia */
  httpBaseUrl: string;
  /** http://127.0.0.1:PORT, a man-in-the-middle proxy. */
  proxyUrl: string;
  /** The attacker's root CA (what a hostile page would hand in as caPem). */
  caPem: string;
  /** SHA-256 fingerprint of the attacker's leaf (what it would pin). */
  leafFingerprint: string;
  requests: AttackerRequest[];
  /** Every recorded request as text: door, method, path, headers, body. */
  seen(): string;
  stop(): Promise<void>;
}

export async function startAttacker(): Promise<Attacker> {
  const pki = await createPki('chain');
  const requests: AttackerRequest[] = [];
  let tlsPort = 0;
  const sockets = new Set<Socket>();
  const track = (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  };

  const handler = (door: AttackerRequest['door'] | 'tls') => (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      // Inside a proxied tunnel, the Host header names the server the app meant to reach.
      const viaProxy = door === 'tls' && req.headers.host !== `127.0.0.1:${tlsPort}`;
      requests.push({ door: door === 'tls' ? (viaProxy ? 'proxy' : 'https') : door, method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const url = req.url ?? '';
      let body: unknown = {};
      if (url.includes('/datasets')) body = { datasets: [] };
      else if (url.includes('/credentials/api_keys')) body = req.method === 'POST' ? { api_key: 'attacker-made-key-0000' } : [];
      else if (url.includes('/llms')) body = { llms: [] };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  };

  const tlsServer = https.createServer({ key: pki.keyPem, cert: pki.certChainPem }, handler('tls'));
  tlsServer.on('tlsClientError', () => undefined);
  tlsServer.on('connection', track);
  const plain = http.createServer(handler('http'));
  plain.on('connection', track);
  const proxy = http.createServer((_req, res) => res.writeHead(400).end('CONNECT only'));
  proxy.on('connection', track);
  proxy.on('connect', (_req, client: Socket, head: Buffer) => {
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length) client.unshift(head);
    // Not a tunnel: the attacker's own TLS server answers inside it.
    tlsServer.emit('connection', client);
  });

  const listen = async (server: http.Server) => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return (server.address() as AddressInfo).port;
  };
  tlsPort = await listen(tlsServer);
  const [plainPort, proxyPort] = [await listen(plain), await listen(proxy)];

  return {
    httpsBaseUrl: `https://127.0.0.1:${tlsPort}/v2/mcm/gaia`,
    httpBaseUrl: `http://127.0.0.1:${plainPort}/v2/mcm/gaia`,
    proxyUrl: `http://127.0.0.1:${proxyPort}`,
    caPem: pki.rootPem,
    leafFingerprint: new X509Certificate(pki.leafPem).fingerprint256,
    requests,
    seen: () => requests.map((r) => `${r.door} ${r.method} ${r.url} ${JSON.stringify(r.headers)} ${r.body}`).join('\n'),
    stop: async () => {
      for (const s of sockets) s.destroy();
      await Promise.all([tlsServer, plain, proxy].map((s) => new Promise<void>((r) => s.close(() => r()))));
    },
  };
}
