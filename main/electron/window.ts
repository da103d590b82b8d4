/**
 * The one window, locked down per Electron's security checklist: isolated, sandboxed,
 * no Node, web security on, content from app://, navigation and new windows refused
 * (allowlisted https links go to the OS browser), every permission request denied.
 */
import path from 'node:path';
import { BrowserWindow, screen, session, shell, type WebContents } from 'electron';
import { checkedExternalUrl } from '../core/platform/external-links';
import type { Log } from '../core/platform/log';
import { onSomeDisplay, windowStateFile } from '../core/platform/window-state';
import { APP_ORIGIN } from './protocol';

export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  enableBlinkFeatures: '',
  // Middle-click opens nothing anyway (new windows are denied); this removes the event too.
  disableBlinkFeatures: 'Auxclick',
  webviewTag: false,
  navigateOnDragDrop: false,
  spellcheck: true,
} as const;

/** Applied to every webContents the app ever creates, not only the main window's. */
export function guardWebContents(contents: WebContents, log: Log): void {
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    log.warn('refused a navigation away from the app');
    const checked = checkedExternalUrl(url);
    if (checked) void shell.openExternal(checked);
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const checked = checkedExternalUrl(url);
    if (checked) void shell.openExternal(checked);
    else log.warn('refused to open a new window');
    return { action: 'deny' };
  });
}

export function denyAllPermissions(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.setDevicePermissionHandler(() => false);
}

export async function createMainWindow(options: { dataDir: string; preloadFile: string; log: Log; productName: string }): Promise<BrowserWindow> {
  const store = windowStateFile(options.dataDir);
  const saved = onSomeDisplay((await store.load()).value, screen.getAllDisplays().map((d) => d.workArea));
  const webPreferences = { ...SECURE_WEB_PREFERENCES, preload: options.preloadFile };
  // Kept where the _electron tests can read what the window was really given.
  (globalThis as { gaiaWebPreferences?: unknown }).gaiaWebPreferences = webPreferences;
  const window = new BrowserWindow({
    ...saved,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: options.productName,
    backgroundColor: '#1b1d22',
    webPreferences,
  });
  if (saved.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());

  const remember = () => {
    if (window.isDestroyed()) return;
    const bounds = window.getNormalBounds();
    void store.save({ ...bounds, maximized: window.isMaximized() }).catch(() => undefined);
  };
  window.on('close', remember);

  await window.loadURL(`${APP_ORIGIN}/index.html`);
  return window;
}

export const preloadPath = (mainDir: string) => path.join(mainDir, '../preload/index.cjs');
