/**
 * The renderer's handle on main: window.gaia from the Electron preload, or the same
 * bridge over the preview's loopback transport. Features import `gaia` from here and
 * nothing of Node or Electron.
 */
import { createBridge, unwrap } from '../preload/bridge';
import type { GaiaApi, RawGaiaApi } from '../preload/contract';

declare global {
  interface Window {
    gaia?: RawGaiaApi;
  }
}

let current: GaiaApi | null = null;

// In the preview, the transport's chunk is asked for as this module runs — early in the
// first chunk's evaluation — rather than once the whole app has evaluated and connects.
const previewTransport = window.gaia ? null : import('./preview-transport');

/** Null when neither Electron's preload nor a preview token is present. */
export async function connectApi(): Promise<GaiaApi | null> {
  if (window.gaia) return (current = unwrap(window.gaia));
  const { createPreviewTransport } = await (previewTransport ?? import('./preview-transport'));
  const transport = createPreviewTransport();
  return transport ? (current = unwrap(createBridge(transport))) : null;
}

export const gaia: GaiaApi = new Proxy({} as GaiaApi, {
  get(_target, area: string) {
    if (!current) throw new Error('Gaia API used before it was connected');
    return current[area as keyof GaiaApi];
  },
});
