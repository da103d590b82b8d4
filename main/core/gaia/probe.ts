/**
 * When verification fails, Node destroys the socket without telling us what the server
 * presented. To offer "trust this certificate", a second, throwaway connection is opened
 * with verification off, only to read the chain — it never carries a request or the
 * key, and it takes the same route (direct or through the same proxy) as the request.
 */
import type { ClientRequest } from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import type { CertificateSummary } from '../../../preload/contract';
import { summarizePeerChain } from './certificates';
import type { ProxyRoute } from './proxy';

// Not imported: an ES import of node:http reads all its exports, and its WebSocket getter
// loads Node's own undici, ~70 ms of the thread that serves the page while the core loads.
const http = process.getBuiltinModule('node:http');

export interface ProbeTarget {
  host: string;
  port: number;
  servername?: string;
  proxy: ProxyRoute | null;
  /** Verification of the proxy's own certificate still applies. */
  proxyTls?: tls.SecureContextOptions & { secureContext?: tls.SecureContext };
  timeoutMs?: number;
}

/** The server's chain, leaf first; empty when it could not be read (never throws). */
export async function presentedChain(target: ProbeTarget): Promise<CertificateSummary[]> {
  const timeoutMs = target.timeoutMs ?? 5000;
  let socket: net.Socket | undefined;
  let connectReq: ClientRequest | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<CertificateSummary[]>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error('probe timed out')), timeoutMs);
      const handshake = (raw?: net.Socket) => {
        const servername = target.servername ?? (net.isIP(target.host) ? undefined : target.host);
        const s = tls.connect({
          ...(raw ? { socket: raw } : { host: target.host, port: target.port }),
          ...(servername ? { servername } : {}),
          rejectUnauthorized: false,
        });
        socket = s;
        s.once('secureConnect', () => resolve(summarizePeerChain(s.getPeerCertificate(true))));
        s.once('error', reject);
      };
      if (!target.proxy) return handshake();
      const { url } = target.proxy;
      const auth = url.username ? `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}` : null;
      const authority = `${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
      const req = (connectReq = (url.protocol === 'https:' ? https : http).request({
        host: url.hostname.replace(/^\[|\]$/g, ''),
        port: Number(url.port) || (url.protocol === 'https:' ? 443 : 80),
        method: 'CONNECT',
        path: authority,
        headers: { host: authority, ...(auth ? { 'proxy-authorization': auth } : {}) },
        agent: false,
        ...(url.protocol === 'https:' ? target.proxyTls : {}),
      }));
      req.once('connect', (res, raw) => {
        if (res.statusCode !== 200) {
          raw.destroy();
          reject(new Error(`proxy answered ${res.statusCode}`));
          return;
        }
        handshake(raw);
      });
      req.once('error', reject);
      req.end();
    });
  } catch {
    return [];
  } finally {
    clearTimeout(timer);
    socket?.destroy();
    connectReq?.destroy();
  }
}
