/**
 * Where the app keeps its data when no --data-dir is given: the same folder Electron's
 * app.getPath('userData') uses, so the preview and the desktop app share profiles.
 */
import os from 'node:os';
import path from 'node:path';

export function defaultDataDir(appName: string, env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', appName);
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), appName);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), appName);
}

/** The log folder inside the data folder (the log writes there; About shows and opens it). */
export const logDirOf = (dataDir: string): string => path.join(dataDir, 'logs');
