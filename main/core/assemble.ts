/**
 * The part of the core the first screen does not need: the keychain, the other stores, the
 * Gaia clients (undici) and every handler but the shell's own (app.info, settings.get,
 * profiles.list). core.ts loads this module with
 * import() once its cheap part (log, settings, contract) is up, so a shell can already
 * answer app.info while these modules load; calls for anything else wait for it.
 */
import { createConnections } from './connections/clients';
import { createDatasetCache } from './datasets/cache';
import type { HandlerTable } from './dispatch';
import { createHandlerTable } from './handler-table';
import { createHistory } from './ask/history';
import { createKeyHandles } from './keys/handles';
import { createKeychain } from './platform/keychain/index';
import type { Log } from './platform/log';
import type { ProfileStore } from './connections/profiles';
import type { CoreOptions, Services } from './services';
import type { SettingsStore } from './app/settings';
import type { StorageProblemInfo } from './platform/storage/json-file';

export interface CheapPart {
  options: CoreOptions;
  log: Log;
  settings: SettingsStore;
  /** The (scoped) profile store the cheap part already answers profiles.list from: one store, one memory of the file. */
  profiles: ProfileStore;
  startupProblems: StorageProblemInfo[];
  /** The data folder cannot be written: history stays in memory. */
  folderProblem: boolean;
}

export interface Assembled {
  services: Services;
  table: HandlerTable;
  /** Stops what is running (answers streaming), then `stopped()`, then closes clients and stores. */
  close(stopped: () => void): Promise<void>;
}

export function assemble({ options, log, settings, profiles, startupProblems, folderProblem }: CheapPart): Assembled {
  const keychain = createKeychain({ service: options.keychainService, log, timeoutMs: options.keychainTimeoutMs, launch: options.launch, workerFile: options.keychainWorker });
  // With no usable folder, history stays in memory (off), as "Keep a local history" off does.
  const history = createHistory({ dataDir: options.dataDir, enabled: settings.get().keepHistory && !folderProblem, log });
  const datasetCache = createDatasetCache({ dataDir: options.dataDir, log });
  const connections = createConnections({ profiles, keychain, log, env: options.env });
  const shutdownHooks: Array<() => Promise<void>> = [];
  const services: Services = {
    options,
    log,
    settings,
    keychain,
    profiles,
    connections,
    history,
    datasetCache,
    keyHandles: createKeyHandles(),
    startupProblems,
    async onProfileRemoved(profileId) {
      await Promise.all([history.removeProfile(profileId), datasetCache.remove(profileId)]);
    },
    onShutdown(hook) {
      shutdownHooks.push(hook);
    },
  };
  return {
    services,
    table: createHandlerTable(services),
    async close(stopped) {
      // Streaming answers are stopped first (and stored as such), so closing clients does not wait on them.
      await Promise.all(shutdownHooks.map((hook) => hook().catch((err: unknown) => log.error('a shutdown step failed', err))));
      stopped();
      await connections.closeAll();
      await history.flush().catch((err: unknown) => log.error('history could not be written at shutdown', err));
      await datasetCache.flush();
      await keychain.close();
    },
  };
}
