/** When the app may update itself: only from a configured feed, and only where the update's signature can be checked. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decideUpdates, readFeedKeys, startUpdater } from '../../main/electron/updater';
import type { Log } from '../../main/core/platform/log';

let dir: string | null = null;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

/** A resources folder, with app-update.yml as electron-builder writes it (or none). */
function resources(feed?: string): string {
  dir = mkdtempSync(path.join(os.tmpdir(), 'gaia-updater-'));
  if (feed !== undefined) writeFileSync(path.join(dir, 'app-update.yml'), feed);
  return dir;
}

const GENERIC = 'provider: generic\nurl: https://downloads.example.com/gaia-desktop\nupdaterCacheDirName: gaia-desktop-updater\n';
const SIGNED = `${GENERIC}publisherName:\n  - Example Corp\n`;

describe('updates', () => {
  it('are off in development and when no feed is configured', () => {
    expect(decideUpdates({ isPackaged: false, platform: 'darwin', resourcesPath: resources(GENERIC), env: {} })).toEqual({ enabled: false, why: 'a development run' });
    expect(decideUpdates({ isPackaged: true, platform: 'darwin', resourcesPath: resources(), env: {} })).toMatchObject({ enabled: false, why: expect.stringContaining('no update feed') });
  });

  it('on macOS follow the feed (Squirrel.Mac checks the code signature itself)', () => {
    expect(decideUpdates({ isPackaged: true, platform: 'darwin', resourcesPath: resources(GENERIC), env: {} })).toEqual({ enabled: true, provider: 'generic' });
  });

  it('on Windows need a named publisher, or the installer’s signature would go unchecked', () => {
    expect(decideUpdates({ isPackaged: true, platform: 'win32', resourcesPath: resources(GENERIC), env: {} })).toMatchObject({ enabled: false, why: expect.stringContaining('not code-signed') });
    expect(decideUpdates({ isPackaged: true, platform: 'win32', resourcesPath: resources(SIGNED), env: {} })).toEqual({ enabled: true, provider: 'generic' });
  });

  it('on Linux only update an AppImage; a .deb is the package manager’s', () => {
    expect(decideUpdates({ isPackaged: true, platform: 'linux', resourcesPath: resources(GENERIC), env: {} })).toMatchObject({ enabled: false, why: expect.stringContaining('package manager') });
    expect(decideUpdates({ isPackaged: true, platform: 'linux', resourcesPath: resources(GENERIC), env: { APPIMAGE: '/opt/gaia.AppImage' } })).toEqual({ enabled: true, provider: 'generic' });
  });

  it('reads the feed file’s top-level keys', () => {
    const keys = readFeedKeys("provider: github\nowner: 'acme'\nrepo: \"gaia\"\npublisherName:\n  - Acme\n");
    expect(Object.fromEntries(keys)).toEqual({ provider: 'github', owner: 'acme', repo: 'gaia', publisherName: '' });
  });

  it('when off, start nothing and say why in the log', async () => {
    const lines: string[] = [];
    const log = { info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m) } as unknown as Log;
    const stop = await startUpdater({ log, isPackaged: true, platform: 'darwin', resourcesPath: resources(), env: {} });
    expect(lines).toEqual(['updates off: no update feed is configured (publish in electron-builder.yml)']);
    stop();
  });
});
