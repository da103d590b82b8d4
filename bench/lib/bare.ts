/**
 * The floor: a bare undici client with keep-alive and the simulator's CA, doing only
 * what any client must — send, read the body, parse it — and nothing of the app's.
 */
import { Agent } from 'undici';

export interface BareClient {
  /** Every page of GET /datasets (pages of 99, as the app asks), parsed; or the first `maxPages`. */
  listAll(maxPages?: number): Promise<unknown[]>;
  /** POST /ask/stream; `onChunk` sees every body chunk as it arrives. */
  askStream(body: unknown, onChunk: (chunk: Buffer) => void): Promise<number>;
  close(): Promise<void>;
}

export function bareClient(sim: { baseUrl: string; caPem: string; demoKey: string }): BareClient {
  const base = new URL(sim.baseUrl);
  const agent = new Agent({ connect: { ca: sim.caPem }, keepAliveTimeout: 30_000, connections: 6 });
  const headers = { apiKey: sim.demoKey, accept: 'application/json', 'user-agent': 'bench-bare' };
  return {
    async listAll(maxPages = Infinity) {
      const all: unknown[] = [];
      let token: string | null = null;
      let pages = 0;
      do {
        const q: string = `pageSize=99${token ? `&paginationToken=${encodeURIComponent(token)}` : ''}`;
        const res = await agent.request({ origin: base.origin, path: `${base.pathname}/datasets?${q}`, method: 'GET', headers });
        if (res.statusCode !== 200) throw new Error(`bare GET /datasets: HTTP ${res.statusCode}`);
        const page = JSON.parse(await res.body.text()) as { datasets: unknown[]; paginationToken?: string };
        all.push(...page.datasets);
        token = page.paginationToken ?? null;
      } while (token && ++pages < maxPages);
      return all;
    },
    async askStream(body, onChunk) {
      const res = await agent.request({
        origin: base.origin,
        path: `${base.pathname}/ask/stream`,
        method: 'POST',
        headers: { ...headers, accept: 'text/event-stream', 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (res.statusCode !== 200) throw new Error(`bare POST /ask/stream: HTTP ${res.statusCode}`);
      let bytes = 0;
      for await (const chunk of res.body) {
        bytes += (chunk as Buffer).length;
        onChunk(chunk as Buffer);
      }
      return bytes;
    },
    close: () => agent.close(),
  };
}
