/**
 * Updates, with electron-updater: check the release feed, download a newer version in the
 * background, tell the user with a notification, install it when the app restarts.
 *
 * The feed is configured in one place, `publish` in electron-builder.yml, which
 * electron-builder writes into the package as resources/app-update.yml. No file, no
 * updates: development runs, builds without a feed, and the cases below stay off, and the
 * log says why.
 *
 * Never a download without the platform's signature check, where the platform has one:
 *   - Windows: the downloaded installer must carry an Authenticode signature from the
 *     publisher named in app-update.yml (electron-builder writes it from the signing
 *     certificate, or win.signtoolOptions.publisherName). electron-updater skips that check
 *     when no publisher is named, so an unsigned build gets no updates at all.
 *   - macOS: Squirrel.Mac installs an update only if its code signature satisfies the
 *     running app's designated requirement (same Developer ID team); an unsigned app cannot update.
 *   - Linux: no platform signature exists for an AppImage. electron-updater checks the
 *     download's SHA-512 against the feed's latest-linux.yml, fetched over HTTPS. A .deb
 *     installation is updated by its package manager, never by the app.
 * This module does not import electron (index.ts hands it what it needs), so the decision
 * can be tested in plain Node.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { AppUpdater } from 'electron-updater';
import type { Log } from '../core/platform/log';

export const CHECK_EVERY_MS = 6 * 60 * 60 * 1000;
const FIRST_CHECK_AFTER_MS = 15_000;

export interface UpdaterContext {
  isPackaged: boolean;
  platform: NodeJS.Platform;
  /** Electron's process.resourcesPath: where app-update.yml is. */
  resourcesPath: string;
  env: NodeJS.ProcessEnv;
}

export type UpdateDecision = { enabled: true; provider: string } | { enabled: false; why: string };

/** The top-level keys of electron-builder's app-update.yml (a flat file it writes itself). */
export function readFeedKeys(text: string): Map<string, string> {
  const keys = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const match = /^([A-Za-z][\w-]*):[ \t]*(.*)$/.exec(line);
    if (match) keys.set(match[1], match[2].trim().replace(/^['"]|['"]$/g, ''));
  }
  return keys;
}

/** Whether this installation may update itself, and if not, why. */
export function decideUpdates(context: UpdaterContext): UpdateDecision {
  if (!context.isPackaged) return { enabled: false, why: 'a development run' };
  const feedFile = path.join(context.resourcesPath, 'app-update.yml');
  if (!existsSync(feedFile)) return { enabled: false, why: 'no update feed is configured (publish in electron-builder.yml)' };
  const feed = readFeedKeys(readFileSync(feedFile, 'utf8'));
  const provider = feed.get('provider');
  if (!provider) return { enabled: false, why: `${feedFile} names no provider` };
  if (context.platform === 'win32' && !feed.has('publisherName')) {
    return { enabled: false, why: 'this build is not code-signed, so a downloaded update’s signature could not be checked' };
  }
  if (context.platform === 'linux' && !context.env.APPIMAGE) {
    return { enabled: false, why: 'installed from a package: updates come from the package manager' };
  }
  return { enabled: true, provider };
}

/** Starts the update checks if this installation may update; answers a stop function. */
export async function startUpdater(context: UpdaterContext & { log: Log }): Promise<() => void> {
  const { log } = context;
  const decision = decideUpdates(context);
  if (!decision.enabled) {
    log.info(`updates off: ${decision.why}`);
    return () => undefined;
  }
  let autoUpdater: AppUpdater;
  try {
    const updater = await import('electron-updater');
    autoUpdater = (updater.default ?? updater).autoUpdater;
  } catch (error) {
    log.error(`updates off: the updater could not load (${error instanceof Error ? error.message : String(error)})`);
    return () => undefined;
  }
  autoUpdater.logger = {
    info: (message?: unknown) => log.info(`updater: ${String(message)}`),
    warn: (message?: unknown) => log.warn(`updater: ${String(message)}`),
    error: (message?: unknown) => log.error(`updater: ${String(message)}`),
    debug: () => undefined,
  };
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = true;
  autoUpdater.allowDowngrade = false;
  autoUpdater.allowPrerelease = false;

  const check = () =>
    void autoUpdater
      .checkForUpdatesAndNotify({
        title: 'A Gaia Desktop update is ready',
        body: 'Version {version} will be installed when you restart Gaia Desktop.',
      })
      .catch((error: unknown) => log.warn(`update check failed: ${error instanceof Error ? error.message : String(error)}`));
  log.info(`updates on (${decision.provider} feed)`);
  const first = setTimeout(check, FIRST_CHECK_AFTER_MS);
  const every = setInterval(check, CHECK_EVERY_MS);
  first.unref();
  every.unref();
  return () => {
    clearTimeout(first);
    clearInterval(every);
  };
}
