/**
 * The browser preview's transport: the same contract and the same dispatch as IPC, over
 * a loopback HTTP server. It stands in for Electron's sender checks with its own:
 *   - it listens on 127.0.0.1 only;
 *   - every request's Host must be this server's own (no DNS rebinding);
 *   - calls need the per-run random token in a header, which also forces a CORS
 *     preflight that this server never grants, so no other site in the browser can call;
 *   - calls must come from this origin (Origin header), and event streams from this site
 *     (Sec-Fetch-Site), when the browser says so.
 * Events stream to the page as newline-delimited JSON, a long string after its line as
 * its own bytes (event-frame.ts).
 *
 * No request can stop the server: a target that is not a URL, a body cut off mid-upload
 * or a file that cannot be read each end that one request (400, 413, 500 or a
 * closed connection) and the server keeps serving.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Core } from '../core/core';
import { headlessPorts, type ShellPorts } from '../core/ports';
import { SECURITY_HEADERS } from '../core/platform/csp';
import { resolveStatic } from '../core/platform/static-files';
import { encodeEvent } from './event-frame';
import { watchFirstLoad, type FirstLoad } from './first-load';

// Not `import http from 'node:http'`: an ES import of it builds the module's ES facade, which
// reads every export, and its WebSocket, CloseEvent and MessageEvent getters load Node's own
// copy of undici (fetch, WebSocket): 70-90 ms of this thread before the preview could listen.
const { createServer } = process.getBuiltinModule('node:http');

export const CALL_PATH = '/__gaia/call';
export const EVENTS_PATH = '/__gaia/events';
export const TOKEN_HEADER = 'x-gaia-token';
const MAX_BODY = 16 * 1024 * 1024;
/**
 * Event streams open at once. The app keeps one per tab; a page that opens more (a script
 * holding the token) would make the core copy every event into each.
 */
export const MAX_STREAMS = 16;
/**
 * Bytes an event stream may hold unsent. A page that stops reading would otherwise make the
 * core keep every event of every answer in memory; past this its stream is closed, and a
 * page that reads again reconnects (and reads what it missed from the stored conversation).
 */
export const MAX_UNSENT = 16 * 1024 * 1024;
/**
 * Bytes of call bodies read at once, across every call. One body may be MAX_BODY, and each
 * is held several times over while it is joined, decoded and parsed: many slow large
 * uploads at once could otherwise take the core's memory. Past this a call is answered 503.
 */
export const MAX_READING = 4 * MAX_BODY;

export interface PreviewServerOptions {
  /** A core whose cheap part is up is enough: calls that need the rest wait inside dispatch. */
  core: Pick<Core, 'dispatch' | 'onEvent'>;
  rendererDir: string;
  port?: number;
  /** Tests may pin the token; by default it is random per run. */
  token?: string;
  /** Told when the first index.html and every file it links have been sent (first-load.ts). */
  firstLoad?: FirstLoad;
  /**
   * Told when an event stream is refused because MAX_STREAMS are open: once, until one
   * closes. The refused tab says so itself; this is for the terminal, which only the user
   * reads (a program holding the token may be what took them).
   */
  onStreamsFull?: () => void;
}

export interface PreviewServer {
  /** The address to open, with the token in the fragment (never sent to any server). */
  url: string;
  origin: string;
  token: string;
  close(): Promise<void>;
}

const staticHeaders = (found: { file: string; contentType: string }) => ({
  'Content-Type': found.contentType,
  'Cache-Control': found.file.endsWith('.html') ? 'no-store' : 'public, max-age=31536000, immutable',
  ...SECURITY_HEADERS,
});

export async function startPreviewServer({ core, rendererDir, port = 0, token = randomBytes(32).toString('base64url'), firstLoad, onStreamsFull }: PreviewServerOptions): Promise<PreviewServer> {
  const sent = firstLoad ? watchFirstLoad(firstLoad) : null;
  const expected = Buffer.from(token);
  const streams = new Set<http.ServerResponse>();
  /** Bytes of call bodies being read now (MAX_READING). */
  let reading = 0;
  let hosts = new Set<string>();
  /** A refusal was told since the streams were last below the limit. */
  let toldFull = false;
  const dropStream = (res: http.ServerResponse) => {
    streams.delete(res);
    if (streams.size < MAX_STREAMS) toldFull = false;
  };

  const tokenOk = (req: http.IncomingMessage) => {
    const given = Buffer.from(String(req.headers[TOKEN_HEADER] ?? ''));
    return given.length === expected.length && timingSafeEqual(given, expected);
  };

  const refuse = (res: http.ServerResponse, status: number, message: string) => {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
    res.end(message);
  };

  const unsubscribe = core.onEvent((channel, payload) => {
    if (streams.size === 0) return;
    const bytes = encodeEvent(channel, payload);
    for (const res of streams) {
      if (res.writableLength + bytes.length > MAX_UNSENT) {
        dropStream(res);
        res.destroy();
      } else res.write(bytes);
    }
  });

  /** Ends a request that went wrong without taking the server with it. */
  const fail = (res: http.ServerResponse, status: number, message: string) => {
    if (!res.headersSent && !res.destroyed) {
      refuse(res, status, message);
      return;
    }
    res.destroy();
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const host = String(req.headers.host ?? '');
    if (!hosts.has(host)) return refuse(res, 421, 'Wrong host.');
    // The page's own origin is the one it was opened under: 127.0.0.1 or localhost.
    const pageOrigin = `http://${host}`;
    let url: URL;
    try {
      url = new URL(req.url ?? '/', pageOrigin);
    } catch {
      return refuse(res, 400, 'Bad request target.');
    }

    if (url.pathname === CALL_PATH) {
      if (req.method !== 'POST') return refuse(res, 405, 'Method not allowed.');
      if (req.headers.origin !== pageOrigin) return refuse(res, 403, 'Foreign origin.');
      if (!tokenOk(req)) return refuse(res, 403, 'Missing or wrong token.');
      let size = 0;
      const chunks: Buffer[] = [];
      let body: { channel?: unknown; request?: unknown };
      try {
        try {
          for await (const chunk of req as AsyncIterable<Buffer>) {
            size += chunk.length;
            reading += chunk.length;
            if (size > MAX_BODY || reading > MAX_READING) {
              // Say so, then stop reading: the rest of the upload is not wanted.
              res.setHeader('Connection', 'close');
              if (size > MAX_BODY) refuse(res, 413, 'Request too large.');
              else refuse(res, 503, 'The preview is reading too many large requests at once. Try again.');
              req.destroy();
              return;
            }
            chunks.push(chunk);
          }
        } catch {
          // The upload was cut off (the client went away mid-body): nothing to answer.
          return fail(res, 400, 'The request body was cut off.');
        }
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          return refuse(res, 400, 'Not JSON.');
        }
      } finally {
        // Counted until parsed: the joined copy and its text are held until then.
        reading -= size;
        chunks.length = 0;
      }
      const result = await core.dispatch(body?.channel, body?.request);
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...SECURITY_HEADERS });
      return res.end(JSON.stringify(result));
    }

    if (url.pathname === EVENTS_PATH) {
      if (req.method !== 'GET') return refuse(res, 405, 'Method not allowed.');
      const site = req.headers['sec-fetch-site'];
      if (site !== undefined && site !== 'same-origin') return refuse(res, 403, 'Foreign site.');
      if (!tokenOk(req)) return refuse(res, 403, 'Missing or wrong token.');
      if (streams.size >= MAX_STREAMS) {
        if (!toldFull) {
          toldFull = true;
          onStreamsFull?.();
        }
        return refuse(res, 429, 'Too many event streams: close other tabs of this preview.');
      }
      req.socket.setNoDelay(true);
      res.writeHead(200, { 'Content-Type': 'application/x-ndjson; charset=utf-8', 'Cache-Control': 'no-store', ...SECURITY_HEADERS });
      res.write('\n');
      streams.add(res);
      req.on('close', () => dropStream(res));
      return;
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Method not allowed.');
    const found = resolveStatic(rendererDir, url.pathname) ?? resolveStatic(rendererDir, '/');
    if (!found) return refuse(res, 404, 'The renderer is not built. Run `npm run build`.');
    if (req.method === 'HEAD') {
      res.writeHead(200, staticHeaders(found));
      return res.end();
    }
    // Read at once, not streamed: a stream takes several turns of the event loop (and reads in
    // libuv's thread pool), so a file begun just before one of the core's modules evaluates at
    // start was finished only after it (~160 ms later for a 220 KB chunk). The files are the
    // built renderer's, the largest a few hundred KB.
    let body: Buffer;
    try {
      body = readFileSync(found.file);
    } catch {
      // A file that cannot be read (removed or replaced by a rebuild meanwhile) ends this answer only.
      return fail(res, 500, 'The file could not be read.');
    }
    res.writeHead(200, { ...staticHeaders(found), 'Content-Length': body.length });
    res.end(body);
    sent?.(url.pathname, found.file.endsWith('.html'), body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => fail(res, 500, 'The preview could not answer this request.'));
  });
  // A malformed request line or header: answered 400 and closed, never thrown.
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${actual}`;
  hosts = new Set([`127.0.0.1:${actual}`, `localhost:${actual}`]);

  return {
    url: `${origin}/#token=${token}`,
    origin,
    token,
    async close() {
      unsubscribe();
      for (const res of streams) res.end();
      streams.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * What the core gets from the preview in place of Electron's APIs: the page does the
 * clipboard, and links are printed for the user to open (there is no browser to drive).
 */
export function previewPorts(printRaw: (line: string) => void): ShellPorts {
  // What reaches the terminal is one line of plain text: parts of it come from the page (a
  // connection's name), and a terminal runs the escape sequences it is sent.
  const print = (line: string) => printRaw(line.replace(/[\p{Cc}\p{Zl}\p{Zp}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+/gu, ' '));
  return headlessPorts('preview', {
    openExternal: async (url) => print(`open in your browser: ${url}`),
    // The preview's policy for loosening a connection's trust: it has no surface the page
    // cannot draw, so the key typed again (which main requires first) is the confirmation,
    // and the change is printed here, in the terminal the page cannot write to.
    confirmTrustChange: async ({ profileName, origin, changes }) => {
      print(`Trust change confirmed by the key typed again: “${profileName}” (${origin}) will ${changes.join(', and ')}.`);
      return true;
    },
    reportStartupProblems: (problems) => {
      for (const p of problems) print(`Problem: ${p.message}`);
    },
  });
}
