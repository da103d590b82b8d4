/**
 * Builds `window.gaia` from the contract, given a transport. The Electron preload
 * gives it ipcRenderer; the browser preview gives it a loopback HTTP transport. Both get
 * the same object: one explicit method per channel, one `on…` subscription per event,
 * nothing else — no generic invoke, no channel names chosen by the caller.
 */
import type { Channel, Envelope, EventChannel, GaiaApi, RawGaiaApi } from './contract';
import { GaiaError } from './gaia-error';
// The names only, not contract.ts: its schemas are main's to check, and building them would
// hold the renderer's (and the preload's) start for nothing here.
import { CHANNEL_NAMES, EVENT_NAMES, eventMethodName, splitChannel } from './names';

export interface Transport {
  invoke(channel: Channel, request: unknown): Promise<Envelope<unknown>>;
  /** Listeners get the payload only, never the transport's event object. */
  subscribe(channel: EventChannel, listener: (payload: unknown) => void): () => void;
}

type Table = Record<string, Record<string, unknown>>;

export function createBridge(transport: Transport): RawGaiaApi {
  const api: Table = {};
  const area = (name: string) => (api[name] ??= {});
  for (const channel of CHANNEL_NAMES) {
    const [a, verb] = splitChannel(channel);
    area(a)[verb] = (request: unknown) => transport.invoke(channel, request);
  }
  for (const channel of EVENT_NAMES) {
    const [a, verb] = splitChannel(channel);
    area(a)[eventMethodName(verb)] = (listener: (payload: unknown) => void) => {
      if (typeof listener !== 'function') throw new TypeError('listener must be a function');
      return transport.subscribe(channel, (payload) => listener(payload));
    };
  }
  return freezeDeep(api) as unknown as RawGaiaApi;
}

/** The renderer's view: the same methods, throwing GaiaError instead of answering an envelope. */
export function unwrap(raw: RawGaiaApi): GaiaApi {
  const api: Table = {};
  for (const [a, methods] of Object.entries(raw as unknown as Table)) {
    api[a] = {};
    for (const [verb, fn] of Object.entries(methods)) {
      const call = fn as (arg: unknown) => unknown;
      api[a][verb] = /^on[A-Z]/.test(verb)
        ? call
        : async (request: unknown) => {
            const result = (await call(request)) as Envelope<unknown>;
            if (result.ok) return result.value;
            throw new GaiaError(result.error);
          };
    }
  }
  return api as unknown as GaiaApi;
}

function freezeDeep<T extends object>(value: T): T {
  for (const inner of Object.values(value)) if (inner && typeof inner === 'object') freezeDeep(inner);
  return Object.freeze(value);
}
