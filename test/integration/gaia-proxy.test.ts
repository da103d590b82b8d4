/**
 * Proxies: the profile's own proxy, HTTPS_PROXY / NO_PROXY from the environment, the
 * profile's CA applying inside the tunnel, and proxy failures in their own words. The
 * proxy is a tiny CONNECT proxy written here.
 */
import http from 'node:http';
import net from 'node:net';
import { once } from 'node:events';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGaiaClient, type ConnectionSettings } from '../../main/core/gaia/client';
import { startSimulator, type Simulator } from '../gaia-sim';
import { caught, capturingLog, containsSecret, everyRendering, type CapturingLog } from '../support/gaia';

interface TinyProxy {
  url: string;
  connects: Array<{ target: string; headers: http.IncomingHttpHeaders }>;
  mode: 'allow' | 'deny' | 'auth';
  stop(): Promise<void>;
}

async function startProxy(): Promise<TinyProxy> {
  const sockets = new Set<net.Socket>();
  const proxy: TinyProxy = { url: '', connects: [], mode: 'allow', stop: async () => {} };
  const server = http.createServer((_req, res) => res.writeHead(400).end('CONNECT only'));
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('connect', (req, client: net.Socket, head: Buffer) => {
    proxy.connects.push({ target: req.url ?? '', headers: req.headers });
    if (proxy.mode === 'deny') return void client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    if (proxy.mode === 'auth' && req.headers['proxy-authorization'] !== `Basic ${Buffer.from('alice:s3cr3t-proxy-pass').toString('base64')}`) {
      return void client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\n\r\n');
    }
    const [host, port] = (req.url ?? '').split(/:(?=\d+$)/);
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  proxy.url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  proxy.stop = async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  };
  return proxy;
}

async function closedPort(): Promise<number> {
  const s = net.createServer().listen(0, '127.0.0.1');
  await once(s, 'listening');
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

let sim: Simulator;
let proxy: TinyProxy;
let log: CapturingLog;

beforeAll(async () => {
  [sim, proxy] = await Promise.all([startSimulator(), startProxy()]);
  log = capturingLog();
});
afterAll(async () => {
  await sim?.stop();
  await proxy?.stop();
  log?.dispose();
});
beforeEach(() => {
  proxy.connects.length = 0;
  proxy.mode = 'allow';
});

const base = (): ConnectionSettings => ({ baseUrl: sim.baseUrl, apiKey: sim.demoKey, caPem: sim.caPem, verifyTls: true });

async function validate(extra: Partial<ConnectionSettings>, env: NodeJS.ProcessEnv = {}) {
  const client = createGaiaClient({ ...base(), ...extra }, { log, env });
  try {
    await client.validate();
  } finally {
    await client.close();
  }
}

const simHost = () => new URL(sim.baseUrl).host;

describe('through a proxy', () => {
  it("tunnels through the profile's proxy with the profile's CA; the key stays inside the tunnel", async () => {
    const before = sim.requestLog.length;
    await validate({ proxyUrl: proxy.url });
    expect(proxy.connects.map((c) => c.target)).toEqual([simHost()]);
    expect(JSON.stringify(proxy.connects[0].headers)).not.toContain(sim.demoKey);
    expect(proxy.connects[0].headers['apikey']).toBeUndefined();
    expect(sim.requestLog.at(-1)?.headers['apikey']).toBe(sim.demoKey);
    expect(sim.requestLog.length).toBe(before + 1);
  });

  it("still verifies Gaia's certificate inside the tunnel, and reads the presented chain through the proxy", async () => {
    const err = await caught(validate({ proxyUrl: proxy.url, caPem: null }));
    expect(err.info.kind).toBe('tls-unknown-ca');
    expect(err.info.certificates).toHaveLength(2);
    // The request's tunnel, then the probe's: both through the proxy.
    expect(proxy.connects.length).toBe(2);
  });

  it('honours HTTPS_PROXY from the environment', async () => {
    await validate({}, { HTTPS_PROXY: proxy.url });
    expect(proxy.connects).toHaveLength(1);
  });

  it('honours lower-case https_proxy, and HTTP_PROXY when no HTTPS_PROXY is set', async () => {
    await validate({}, { https_proxy: proxy.url });
    await validate({}, { HTTP_PROXY: proxy.url });
    expect(proxy.connects).toHaveLength(2);
  });

  it('goes direct for hosts in NO_PROXY', async () => {
    await validate({}, { HTTPS_PROXY: proxy.url, NO_PROXY: 'example.com, 127.0.0.1' });
    await validate({}, { HTTPS_PROXY: proxy.url, no_proxy: '*' });
    expect(proxy.connects).toHaveLength(0);
  });

  it("lets the profile's proxy override the environment's", async () => {
    const dead = `http://127.0.0.1:${await closedPort()}`;
    await validate({ proxyUrl: proxy.url }, { HTTPS_PROXY: dead });
    expect(proxy.connects).toHaveLength(1);
  });

  it('sends proxy credentials from the proxy URL, and never shows the password', async () => {
    proxy.mode = 'auth';
    const refused = await caught(validate({ proxyUrl: proxy.url }));
    expect(refused.info.kind).toBe('proxy');
    expect(refused.info.message).toMatch(/user name and password/);

    const withCreds = proxy.url.replace('http://', 'http://alice:s3cr3t-proxy-pass@');
    await validate({ proxyUrl: withCreds });
    expect(proxy.connects.at(-1)?.headers['proxy-authorization']).toBeTruthy();
    expect(containsSecret(log.written(), 's3cr3t-proxy-pass')).toBe(false);
    expect(everyRendering(refused)).not.toContain('s3cr3t');
  });
});

describe('proxy failures', () => {
  it('a proxy that refuses the tunnel', async () => {
    proxy.mode = 'deny';
    const err = await caught(validate({ proxyUrl: proxy.url }));
    expect(err.info.kind).toBe('proxy');
    expect(err.info.message).toContain('does not allow connections');
    expect(err.info.message).toContain(simHost());
  });

  it('a proxy that cannot be reached', async () => {
    const err = await caught(validate({ proxyUrl: `http://127.0.0.1:${await closedPort()}` }));
    expect(err.info.kind).toBe('proxy');
    expect(err.info.message).toMatch(/could not be reached/);
    expect(err.info.action).toMatch(/proxy/i);
  });

  it('a proxy address that is not a URL', async () => {
    expect(() => createGaiaClient({ ...base(), proxyUrl: 'http://[not a url' }, { log, env: {} })).toThrow(expect.objectContaining({ info: expect.objectContaining({ kind: 'proxy' }) }));
  });
});
