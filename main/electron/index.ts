/**
 * The Electron shell: lifecycle, one window, IPC, menu. Wiring only — everything that
 * decides anything lives in main/core, which never imports electron.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, clipboard, dialog, Notification, shell } from 'electron';
import { events, type MenuCommand } from '../../preload/contract';
import { commandLineArgs } from '../cli/detect';
import { cliLaunch } from '../cli/headless-core';
import { shellWord } from '../core/platform/shell-word';
import { createCore } from '../core/core';
import { registerIpc } from './ipc';
import { installMenu } from './menu';
import { registerAppScheme, serveRenderer } from './protocol';
import { startUpdater } from './updater';
import { createMainWindow, denyAllPermissions, guardWebContents, preloadPath } from './window';

const here = path.dirname(fileURLToPath(import.meta.url));
// Unpacked from the asar (electron-builder.yml), so the worker thread loads it as a plain file.
const keychainWorker = path.join(here, 'keychain-worker.mjs').replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`);
const keychainArg = process.argv.find((arg) => arg.startsWith('--keychain-service='));
const dataDirArg = process.argv.find((arg) => arg.startsWith('--data-dir='));
if (dataDirArg) app.setPath('userData', path.resolve(dataDirArg.slice('--data-dir='.length)));

// `gaia-desktop datasets|ask|mcp|…`: the command line, in this process, with no window (see main/cli/).
const cliArgs = commandLineArgs(process.argv, process.defaultApp === true);
if (!cliArgs) registerAppScheme();

if (cliArgs) {
  app.dock?.hide();
  app.disableHardwareAcceleration();
  import('../cli/run')
    .then(({ runCliProcess }) =>
      runCliProcess(
        cliArgs,
        {
          dataDir: app.getPath('userData'),
          keychainService: keychainArg?.slice('--keychain-service='.length) || app.getName(),
          appName: app.getName(),
          version: app.getVersion(),
          keychainWorker,
          // As the user typed it: the deb's gaia-desktop (or the AppImage), the binary elsewhere, npm start in a checkout.
          launch: app.isPackaged
            ? cliLaunch([process.platform === 'linux' ? (process.env.APPIMAGE ?? 'gaia-desktop') : process.execPath], cliArgs, false)
            : cliLaunch(['npm', 'start', '--'], cliArgs, true),
        },
        (code) => app.exit(code),
      ),
    )
    .catch(() => app.exit(1));
} else if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let window: BrowserWindow | null = null;

  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  app.whenReady().then(start).catch((err: unknown) => {
    // Never a silent exit: say what stopped the start, then quit.
    dialog.showErrorBox('Gaia Desktop could not start', `${err instanceof Error ? err.message : String(err)}\n\nData folder: ${app.getPath('userData')}`);
    app.quit();
  });

  async function start() {
    app.setAboutPanelOptions({ applicationName: app.getName(), applicationVersion: app.getVersion() });
    const core = await createCore({
      dataDir: app.getPath('userData'),
      keychainService: keychainArg?.slice('--keychain-service='.length) || app.getName(),
      keychainWorker,
      appName: app.getName(),
      version: app.getVersion(),
      // How an assistant starts this installation's command line (Settings → Local assistants).
      launcher: { command: process.execPath, args: [...(app.isPackaged ? [] : [app.getAppPath()]), ...(dataDirArg ? [dataDirArg] : []), ...(keychainArg ? [keychainArg] : [])] },
      // An installed app is started from its icon, except on Linux, where the deb puts gaia-desktop on PATH.
      launch: app.isPackaged
        ? { how: 'packaged', command: process.platform === 'linux' ? shellWord(process.env.APPIMAGE ?? 'gaia-desktop') : null }
        : { how: 'source', command: 'npm start' },
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
        // Native, modal to the window: the page can neither draw this nor click it.
        confirmTrustChange: async ({ profileName, origin, changes }) => {
          const options = {
            type: 'warning' as const,
            buttons: ['Cancel', 'Change the connection'],
            defaultId: 0,
            cancelId: 0,
            noLink: true,
            title: 'Weaker protection for your API key',
            message: `Send the API key of “${profileName}” to ${origin} with weaker checks?`,
            detail: `This change would ${changes.join(', and ')}. Anyone able to intercept the connection could then read the key. Choose Cancel unless you made this change yourself.`,
          };
          const { response } = window ? await dialog.showMessageBox(window, options) : await dialog.showMessageBox(options);
          return response === 1;
        },
        reportStartupProblems: (problems) => {
          void app.whenReady().then(() =>
            dialog.showMessageBox({
              type: 'warning',
              title: 'Gaia Desktop',
              message: problems.length === 1 ? 'Gaia Desktop started with a problem' : 'Gaia Desktop started with problems',
              detail: problems.map((p) => p.message).join('\n\n'),
            }),
          );
        },
        openFolder: async (dir) => {
          const problem = await shell.openPath(dir);
          if (problem) throw new Error(problem);
        },
        notify: async (title, body) => {
          // Only while the user looks elsewhere: in front, the page itself shows the result.
          if (!window || window.isDestroyed() || window.isFocused() || !Notification.isSupported()) return false;
          const note = new Notification({ title, body, silent: false });
          note.on('click', () => {
            if (!window || window.isDestroyed()) return;
            if (window.isMinimized()) window.restore();
            window.focus();
          });
          note.show();
          return true;
        },
      },
    });
    // Open at login is off unless the user turns it on; the OS is told what the settings say (macOS, Windows).
    if (app.isPackaged && process.platform !== 'linux') app.setLoginItemSettings({ openAtLogin: core.services.settings.get().openAtLogin });
    app.on('web-contents-created', (_event, contents) => guardWebContents(contents, core.services.log));
    denyAllPermissions();
    serveRenderer(path.join(here, '../renderer'));
    registerIpc(core, () => window);
    // Menu commands go to the window as a contract event, checked like every other event.
    installMenu(!app.isPackaged, (command: MenuCommand) => {
      if (window && !window.isDestroyed()) window.webContents.send('gaia:app.command', events['gaia:app.command'].parse({ command }));
    });

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
  }

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
