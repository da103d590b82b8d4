/**
 * The application menu, as each OS's users expect it: on macOS the app menu (About, Hide,
 * Quit …); everywhere an Edit menu, which is also what makes copy, paste and select-all
 * work in every text field; View with zoom, and reload and developer tools only in
 * development; the Window menu; About under Help where there is no app menu.
 */
import { app, Menu, type MenuItemConstructorOptions } from 'electron';

export interface MenuOptions {
  isMac: boolean;
  isDevelopment: boolean;
  appName: string;
  showAbout: () => void;
}

export function menuTemplate({ isMac, isDevelopment, appName, showAbout }: MenuOptions): MenuItemConstructorOptions[] {
  const about: MenuItemConstructorOptions = { label: `About ${appName}`, click: showAbout };
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
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { label: 'View', submenu: view },
    { role: 'windowMenu' },
    { role: 'help', submenu: isMac ? [] : [about] },
  ];
}

export function installMenu(isDevelopment: boolean): void {
  const template = menuTemplate({ isMac: process.platform === 'darwin', isDevelopment, appName: app.getName(), showAbout: () => app.showAboutPanel() });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
