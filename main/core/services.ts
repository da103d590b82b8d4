/**
 * Everything the handlers share, built once per core. Handlers receive this and nothing
 * else, so a test can build a core around a temp data dir and a private keychain.
 */
import type { AskOrigin } from '../../preload/contract';
import type { Connections } from './connections/clients';
import type { DatasetCache } from './datasets/cache';
import type { HistoryStore } from './ask/history';
import type { KeyHandles } from './keys/handles';
import type { Keychain, Launch } from './platform/keychain/index';
import type { Log } from './platform/log';
import type { ShellPorts } from './ports';
import type { ProfileStore } from './connections/profiles';
import type { SettingsStore } from './app/settings';
import type { StorageProblemInfo } from './platform/storage/json-file';

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
  /** Where questions asked through this core come from, recorded on each turn; absent in the app. */
  origin?: AskOrigin;
  /** How a local tool starts this installation's command line (for the MCP snippets in Settings). */
  launcher?: { command: string; args: string[] };
  /** How the app was started (installed, `npm start`, the preview), for messages that name a way back. */
  launch?: Launch;
  /** The built keychain worker (out/main/keychain-worker.mjs), which a bundled shell passes; from source, worker.ts. */
  keychainWorker?: string;
  /** How long an answer or a dataset load runs before its end is worth a notification (tests shorten it). */
  noticeAfterMs?: number;
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
  /** Keys of Gaia's key service, held behind handles, each bound to where it was seen. */
  keyHandles: KeyHandles;
  /** What went wrong with the data folder or settings at start, for the user (not only the log). */
  startupProblems: StorageProblemInfo[];
  /** Removes what belongs to a deleted profile: its history and its cached datasets. */
  onProfileRemoved(profileId: string): Promise<void>;
  /** Work to end before the core closes (e.g. answers still streaming). */
  onShutdown(hook: () => Promise<void>): void;
}
