/**
 * Everything the handlers share, built once per core. Handlers receive this and nothing
 * else, so a test can build a core around a temp data dir and a private keychain.
 */
import type { Log } from './log';
import type { ShellPorts } from './ports';
import type { SettingsStore } from './settings';

export interface CoreOptions {
  /** Everything the app writes lives here: profiles, history, caches, logs. */
  dataDir: string;
  /** Namespaces keychain entries, so tests never touch a user's real ones. */
  keychainService: string;
  appName: string;
  version: string;
  ports: ShellPorts;
  /** Extra environment for the HTTP client (NODE_EXTRA_CA_CERTS, proxies); defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Echo log lines to stderr (development). */
  echoLog?: boolean;
}

export interface Services {
  options: CoreOptions;
  log: Log;
  settings: SettingsStore;
}
