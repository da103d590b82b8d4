/**
 * Registers the handler table on ipcMain. Like VS Code's ValidatedIpcMain, every call's
 * sender is checked before anything else: it must be our window's own top frame, on the
 * app:// origin. Events go only to that window.
 */
import { ipcMain, type BrowserWindow } from 'electron';
import { channels, type Channel } from '../../preload/contract';
import type { Core } from '../core/core';
import { isTrustedSender } from '../core/platform/sender-check';
import { APP_ORIGIN } from './protocol';

export function registerIpc(core: Core, getWindow: () => BrowserWindow | null): () => void {
  for (const channel of Object.keys(channels) as Channel[]) {
    ipcMain.handle(channel, async (event, request: unknown) => {
      const window = getWindow();
      if (!window || !isTrustedSender(event, window.webContents, APP_ORIGIN)) {
        core.services.log.warn(`refused ${channel} from an untrusted sender`);
        return {
          ok: false,
          error: { kind: 'forbidden-sender', message: 'This call did not come from the Gaia Desktop window.', action: 'Nothing to do.' },
        };
      }
      return core.dispatch(channel, request);
    });
  }
  const stop = core.onEvent((channel, payload) => {
    const window = getWindow();
    if (window && !window.isDestroyed()) window.webContents.send(channel, payload);
  });
  return () => {
    stop();
    for (const channel of Object.keys(channels)) ipcMain.removeHandler(channel);
  };
}
