/**
 * The application menu, as each OS's users expect it: on macOS the app menu (About, Hide,
 * Quit …); everywhere an Edit menu, which is also what makes copy, paste and select-all
 * work in every text field; View with zoom, and reload and developer tools only in
 * development; the Window menu; About under Help where there is no app menu.
 *
 * The app's own commands (new conversation, command palette, find, the pages, settings)
 * carry the accelerators the window's keyboard shortcuts use, and send the same command
 * to the window (gaia:app.command), so menu and keyboard can never disagree.
 */
import { app, Menu, type MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../preload/contract';

export interface MenuOptions {
  isMac: boolean;
  isDevelopment: boolean;
  appName: string;
  showAbout: () => void;
  send: (command: MenuCommand) => void;
}

/** The pages in rail order, with the Ctrl/Cmd+number the window also answers to. */
const PAGES: [MenuCommand, string][] = [
  ['connections', 'Connections'],
  ['datasets', 'Datasets'],
  ['ask', 'Ask'],
  ['keys', 'Keys'],
  ['settings', 'Settings'],
];

export function menuTemplate({ isMac, isDevelopment, appName, showAbout, send }: MenuOptions): MenuItemConstructorOptions[] {
  const about: MenuItemConstructorOptions = { label: `About ${appName}`, click: showAbout };
  const command = (label: string, accelerator: string, name: MenuCommand): MenuItemConstructorOptions => ({ label, accelerator, click: () => send(name) });
  const settings = command(isMac ? 'Settings…' : 'Settings', 'CommandOrControl+,', 'settings');
  const file: MenuItemConstructorOptions[] = [
    command('New Conversation', 'CommandOrControl+N', 'new-conversation'),
    command('Command Palette…', 'CommandOrControl+K', 'palette'),
    ...(isMac ? [] : ([{ type: 'separator' }, settings] satisfies MenuItemConstructorOptions[])),
    { type: 'separator' },
    isMac ? { role: 'close' } : { role: 'quit' },
  ];
  const edit: MenuItemConstructorOptions[] = [
    { role: 'undo' },
    { role: 'redo' },
    { type: 'separator' },
    { role: 'cut' },
    { role: 'copy' },
    { role: 'paste' },
    { role: 'delete' },
    { role: 'selectAll' },
    { type: 'separator' },
    command('Find…', 'CommandOrControl+F', 'find'),
  ];
  const go: MenuItemConstructorOptions[] = PAGES.map(([name, label], i) => command(label, `CommandOrControl+${i + 1}`, name));
  const view: MenuItemConstructorOptions[] = [
    ...(isDevelopment ? [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }] satisfies MenuItemConstructorOptions[] : []),
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    // Ctrl/Cmd+= zooms in too, without Shift, as in browsers.
    { role: 'zoomIn', accelerator: 'CommandOrControl+=', visible: false, acceleratorWorksWhenHidden: true },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  return [
    ...(isMac
      ? [
          {
            label: appName,
            submenu: [
              about,
              { type: 'separator' },
              settings,
              { type: 'separator' },
              { role: 'services' },
              { type: 'separator' },
              { role: 'hide' },
              { role: 'hideOthers' },
              { role: 'unhide' },
              { type: 'separator' },
              { role: 'quit' },
            ],
          } satisfies MenuItemConstructorOptions,
        ]
      : []),
    { label: 'File', submenu: file },
    { label: 'Edit', submenu: edit },
    { label: 'View', submenu: view },
    { label: 'Go', submenu: go },
    { role: 'windowMenu' },
    { role: 'help', submenu: isMac ? [] : [about] },
  ];
}

export function installMenu(isDevelopment: boolean, send: (command: MenuCommand) => void): void {
  const template = menuTemplate({ isMac: process.platform === 'darwin', isDevelopment, appName: app.getName(), showAbout: () => app.showAboutPanel(), send });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
