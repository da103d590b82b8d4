/**
 * One raw HTTP request to the Gaia simulator, past every habit of our own client: the
 * body sent as it is (a string) or as JSON, labelled JSON unless told otherwise, with the
 * demo key in `apiKey` unless other headers are given instead. For the tests that hold
 * the simulator to what Gaia answers and refuses (gaia-sim-conformance, gaia-sim-refusals).
 */
import { Agent, request } from 'undici';
import { afterAll, beforeAll } from 'vitest';
import { startSimulator, type Simulator } from '../gaia-sim/server';

export interface RawOptions {
  /** Sent as it is (a string) or as JSON. */
  body?: unknown;
  /** The body's label: JSON unless given; null sends none. */
  contentType?: string | null;
  /** Instead of the demo key's `apiKey` header. */
  headers?: Record<string, string>;
  /** Rooted at the origin (the key service) instead of the Gaia base URL. */
  atOrigin?: boolean;
}

export async function rawRequest(sim: Simulator, dispatcher: Agent, method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, o: RawOptions = {}) {
  const body = o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
  const contentType = o.contentType === undefined ? 'application/json' : o.contentType;
  const res = await request(`${o.atOrigin ? sim.origin : sim.baseUrl}${path}`, {
    method,
    dispatcher,
    headers: { ...(o.headers ?? { apiKey: sim.demoKey }), ...(contentType ? { 'content-type': contentType } : {}) },
    body,
  });
  const text = await res.body.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: kept as text
  }
  return { status: res.statusCode, contentType: String(res.headers['content-type'] ?? ''), text, body: parsed };
}

/**
 * A simulator started for the file (demo corpus) with an Agent that trusts its CA, and
 * `raw` bound to both: the setup the conformance and refusal suites share.
 */
export function useRawSimulator() {
  const at = {
    sim: undefined as unknown as Simulator,
    dispatcher: undefined as unknown as Agent,
    raw: (method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, o?: RawOptions) => rawRequest(at.sim, at.dispatcher, method, path, o),
  };
  beforeAll(async () => {
    at.sim = await startSimulator();
    at.dispatcher = new Agent({ connect: { ca: at.sim.caPem } });
  });
  afterAll(async () => {
    await at.dispatcher?.close();
    await at.sim?.stop();
  });
  return at;
}
