/**
 * The Electron shell: lifecycle, one window, IPC, menu. Wiring only — everything that
 * decides anything lives in main/core, which never imports electron.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, clipboard, shell } from 'electron';
import { createCore } from '../core/core';
import { registerIpc } from './ipc';
import { installMenu } from './menu';
import { registerAppScheme, serveRenderer } from './protocol';
import { startUpdater } from './updater';
import { createMainWindow, denyAllPermissions, guardWebContents, preloadPath } from './window';

const here = path.dirname(fileURLToPath(import.meta.url));
const keychainArg = process.argv.find((arg) => arg.startsWith('--keychain-service='));
const dataDirArg = process.argv.find((arg) => arg.startsWith('--data-dir='));
if (dataDirArg) app.setPath('userData', path.resolve(dataDirArg.slice('--data-dir='.length)));

registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let window: BrowserWindow | null = null;

  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  app.whenReady().then(async () => {
    app.setAboutPanelOptions({ applicationName: app.getName(), applicationVersion: app.getVersion() });
    const core = await createCore({
      dataDir: app.getPath('userData'),
      keychainService: keychainArg?.slice('--keychain-service='.length) || app.getName(),
      // Unpacked from the asar (electron-builder.yml), so the worker thread loads it as a plain file.
      keychainWorker: path.join(here, 'keychain-worker.mjs').replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`),
      appName: app.getName(),
      version: app.getVersion(),
      ports: {
        shell: 'electron',
        versions: { electron: process.versions.electron, chrome: process.versions.chrome },
        openExternal: (url) => shell.openExternal(url),
        writeClipboard: async (text) => {
          clipboard.writeText(text);
          return true;
        },
        clearClipboardIfUnchanged: async (text) => {
          if ((await clipboard.readText()) === text) clipboard.clear();
        },
        setOpenAtLogin: (openAtLogin) => app.setLoginItemSettings({ openAtLogin }),
      },
    });
    // Open at login is off unless the user turns it on; the OS is told what the settings say (macOS, Windows).
    if (app.isPackaged && process.platform !== 'linux') app.setLoginItemSettings({ openAtLogin: core.services.settings.get().openAtLogin });
    app.on('web-contents-created', (_event, contents) => guardWebContents(contents, core.services.log));
    denyAllPermissions();
    serveRenderer(path.join(here, '../renderer'));
    registerIpc(core, () => window);
    installMenu(!app.isPackaged);

    const open = async () => {
      window = await createMainWindow({ dataDir: app.getPath('userData'), preloadFile: preloadPath(here), log: core.services.log, productName: app.getName() });
      window.on('closed', () => (window = null));
    };
    await open();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) void open();
    });
    const stopUpdater = await startUpdater({ log: core.services.log, isPackaged: app.isPackaged, platform: process.platform, resourcesPath: process.resourcesPath, env: process.env });
    app.on('will-quit', () => {
      stopUpdater();
      void core.close();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
