/**
 * The renderer's handle on main: window.gaia from the Electron preload, or the same
 * bridge over the preview's loopback transport. Features import `gaia` from here and
 * nothing of Node or Electron.
 */
import { createBridge, unwrap } from '../preload/bridge';
import type { GaiaApi, RawGaiaApi } from '../preload/contract';
// In the first chunk, not a chunk of its own: a chunk loaded on demand was one more round
// trip, after the whole first chunk had evaluated, before the page could ask main anything.
import { createPreviewTransport } from './preview-transport';

declare global {
  interface Window {
    gaia?: RawGaiaApi;
  }
}

let current: GaiaApi | null = null;

/** Null when neither Electron's preload nor a preview token is present. */
export function connectApi(): GaiaApi | null {
  if (window.gaia) return (current = unwrap(window.gaia));
  const transport = createPreviewTransport();
  return transport ? (current = unwrap(createBridge(transport))) : null;
}

export const gaia: GaiaApi = new Proxy({} as GaiaApi, {
  get(_target, area: string) {
    if (!current) throw new Error('Gaia API used before it was connected');
    return current[area as keyof GaiaApi];
  },
});
