/**
 * The only bridge between the sandboxed renderer and main. It exposes the contract's
 * methods and nothing else: events reach listeners as payloads, never as the IPC
 * event (which would hand the page `sender` and friends).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge';

contextBridge.exposeInMainWorld(
  'gaia',
  createBridge({
    invoke: (channel, request) => ipcRenderer.invoke(channel, request),
    subscribe: (channel, listener) => {
      const forward = (_event: unknown, payload: unknown) => listener(payload);
      ipcRenderer.on(channel, forward);
      return () => ipcRenderer.removeListener(channel, forward);
    },
  }),
);
