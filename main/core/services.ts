/**
 * Everything the handlers share, built once per core. Handlers receive this and nothing
 * else, so a test can build a core around a temp data dir and a private keychain.
 */
import type { Connections } from './connections/clients';
import type { DatasetCache } from './datasets/cache';
import type { HistoryStore } from './ask/history';
import type { Keychain } from './platform/keychain';
import type { Log } from './platform/log';
import type { ShellPorts } from './ports';
import type { ProfileStore } from './connections/profiles';
import type { SettingsStore } from './app/settings';

export interface CoreOptions {
  /** Everything the app writes lives here: profiles, history, caches, logs. */
  dataDir: string;
  /** Namespaces keychain entries, so tests never touch a user's real ones. */
  keychainService: string;
  appName: string;
  version: string;
  ports: ShellPorts;
  /** Where the HTTP client reads NODE_EXTRA_CA_CERTS and proxies from; process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** Echo log lines to stderr (development). */
  echoLog?: boolean;
  /** How long a keychain call may take before it is reported as hung. */
  keychainTimeoutMs?: number;
  /** The built keychain worker (out/main/keychain-worker.mjs), which a bundled shell passes; from source, worker.ts. */
  keychainWorker?: string;
}

export interface Services {
  options: CoreOptions;
  log: Log;
  settings: SettingsStore;
  keychain: Keychain;
  profiles: ProfileStore;
  connections: Connections;
  history: HistoryStore;
  datasetCache: DatasetCache;
  /** Removes what belongs to a deleted profile: its history and its cached datasets. */
  onProfileRemoved(profileId: string): Promise<void>;
  /** Work to end before the core closes (e.g. answers still streaming). */
  onShutdown(hook: () => Promise<void>): void;
}
