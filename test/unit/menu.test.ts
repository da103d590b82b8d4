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

const build = (isMac: boolean, isDevelopment: boolean) => menuTemplate({ isMac, isDevelopment, appName: 'Gaia Desktop', showAbout: () => undefined });

describe('application menu', () => {
  it('has an Edit menu everywhere, so copy and paste work in every field', () => {
    for (const isMac of [true, false]) expect(roles(build(isMac, false))).toContain('editMenu');
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
    expect(build(false, false)[0].role).toBe('fileMenu');
  });

  it('zooms in every build, but reloads and opens developer tools only in development', () => {
    const release = roles(build(false, false));
    expect(release).toEqual(expect.arrayContaining(['resetZoom', 'zoomIn', 'zoomOut']));
    for (const devOnly of ['reload', 'forceReload', 'toggleDevTools']) expect(release).not.toContain(devOnly);
    expect(roles(build(true, true))).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']));
  });
});
