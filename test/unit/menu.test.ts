/** The application menu: native on each OS, with development tools only in development. */
import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';

// The menu module imports electron for installMenu; the template itself is plain data.
vi.mock('electron', () => ({ app: {}, Menu: {} }));
const { menuTemplate } = await import('../../main/electron/menu');

const roles = (items: MenuItemConstructorOptions[]): string[] =>
  items.flatMap((item) => [...(item.role ? [String(item.role)] : []), ...(Array.isArray(item.submenu) ? roles(item.submenu) : [])]);
const labels = (items: MenuItemConstructorOptions[]): string[] =>
  items.flatMap((item) => [...(item.label ? [item.label] : []), ...(Array.isArray(item.submenu) ? labels(item.submenu) : [])]);

const sent: string[] = [];
const build = (isMac: boolean, isDevelopment: boolean) =>
  menuTemplate({ isMac, isDevelopment, appName: 'Gaia Desktop', showAbout: () => undefined, send: (command) => sent.push(command) });
const items = (list: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] =>
  list.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? items(item.submenu) : [])]);
const byLabel = (list: MenuItemConstructorOptions[], label: string) => items(list).find((item) => item.label === label);

describe('application menu', () => {
  it('has an Edit menu everywhere, so copy and paste work in every field', () => {
    for (const isMac of [true, false]) {
      const edit = build(isMac, false).find((item) => item.label === 'Edit');
      expect(roles([edit!])).toEqual(expect.arrayContaining(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']));
    }
  });

  it('carries the window’s commands with the same accelerators, and sends them to the window', () => {
    for (const isMac of [true, false]) {
      const menu = build(isMac, false);
      const expected: [string, string, string][] = [
        ['New Conversation', 'CommandOrControl+N', 'new-conversation'],
        ['Command Palette…', 'CommandOrControl+K', 'palette'],
        ['Find…', 'CommandOrControl+F', 'find'],
        [isMac ? 'Settings…' : 'Settings', 'CommandOrControl+,', 'settings'],
        ['Connections', 'CommandOrControl+1', 'connections'],
        ['Datasets', 'CommandOrControl+2', 'datasets'],
        ['Ask', 'CommandOrControl+3', 'ask'],
        ['Keys', 'CommandOrControl+4', 'keys'],
      ];
      for (const [label, accelerator, command] of expected) {
        const item = byLabel(menu, label);
        expect(item?.accelerator, label).toBe(accelerator);
        sent.length = 0;
        (item!.click as () => void)();
        expect(sent).toEqual([command]);
      }
      // No accelerator is given to two items.
      const accelerators = items(menu).filter((i) => i.accelerator && i.visible !== false).map((i) => i.accelerator);
      expect(new Set(accelerators).size).toBe(accelerators.length);
    }
  });

  it('puts Settings in the app menu on macOS and in File elsewhere', () => {
    const [macApp] = build(true, false);
    expect(labels([macApp])).toContain('Settings…');
    const file = build(false, false).find((item) => item.label === 'File');
    expect(labels([file!])).toContain('Settings');
  });

  it('on macOS starts with the app menu, with About and Quit', () => {
    const [first] = build(true, false);
    expect(first.label).toBe('Gaia Desktop');
    expect(labels([first])).toContain('About Gaia Desktop');
    expect(roles([first])).toEqual(expect.arrayContaining(['hide', 'hideOthers', 'quit']));
  });

  it('elsewhere puts About under Help', () => {
    const help = build(false, false).find((item) => item.role === 'help');
    expect(labels([help!])).toEqual(['About Gaia Desktop']);
    expect(build(false, false)[0].label).toBe('File');
  });

  it('zooms in every build, but reloads and opens developer tools only in development', () => {
    const release = roles(build(false, false));
    expect(release).toEqual(expect.arrayContaining(['resetZoom', 'zoomIn', 'zoomOut']));
    for (const devOnly of ['reload', 'forceReload', 'toggleDevTools']) expect(release).not.toContain(devOnly);
    expect(roles(build(true, true))).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']));
  });
});
