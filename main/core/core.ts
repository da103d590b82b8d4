/**
 * The main process's core, as plain Node: stores, keychain, Gaia client and the handler
 * table behind one dispatch function. The Electron shell and the browser preview both
 * build exactly this and differ only in how calls reach it.
 */
import { accessSync, constants, mkdirSync } from 'node:fs';
import type { EventChannel, EventPayload } from '../../preload/contract';
import { createConnections } from './connections/clients';
import { createDatasetCache } from './datasets/cache';
import { logDirOf } from './platform/data-dir';
import { checkEvent, createDispatch, type Dispatch, type Emit } from './dispatch';
import { createHandlerTable } from './handler-table';
import { createHistory } from './ask/history';
import { createKeyHandles } from './keys/handles';
import { createKeychain } from './platform/keychain/index';
import type { StorageProblemInfo } from './platform/storage/json-file';
import { createLog, type Log } from './platform/log';
import { scopedProfiles } from './connections/profile-scope';
import { createProfileStore } from './connections/profiles';
import type { CoreOptions, Services } from './services';
import { SettingsStore } from './app/settings';

export type EventListener = <E extends EventChannel>(channel: E, payload: EventPayload<E>) => void;

export interface Core {
  dispatch: Dispatch;
  /** Subscribes to every push event; returns the unsubscribe. */
  onEvent(listener: EventListener): () => void;
  services: Services;
  close(): Promise<void>;
}

/** Why the data folder cannot be used (created and written), in the user's words; null when it can. */
export function dataDirProblem(dir: string): StorageProblemInfo | null {
  let why: string | null = null;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    accessSync(dir, constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException)?.code;
    why =
      code === 'EACCES' || code === 'EPERM'
        ? 'permission was denied'
        : code === 'EROFS'
          ? 'the disk is read-only'
          : code === 'ENOTDIR' || code === 'EEXIST'
            ? 'a file is in the way of the folder'
            : code === 'ENOSPC'
              ? 'the disk is full'
              : `it could not be created (${code ?? 'error'})`;
  }
  if (!why) return null;
  return {
    file: dir,
    movedTo: null,
    reason: why,
    message: `Gaia Desktop cannot use its data folder ${dir} because ${why}. It runs with default settings kept in memory: nothing (settings, connections, history) is saved until the folder can be written. Fix the folder's permissions, or start the app with --data-dir pointing at a folder you can write.`,
  };
}

/** The log, or one that only echoes when its folder cannot be written (it must never stop the start). */
function openLog(dir: string | null, echo: boolean | undefined): Log {
  try {
    return createLog({ dir, echo });
  } catch {
    return createLog({ dir: null, echo });
  }
}

export async function createCore(options: CoreOptions): Promise<Core> {
  const startupProblems: StorageProblemInfo[] = [];
  const folderProblem = dataDirProblem(options.dataDir);
  if (folderProblem) startupProblems.push(folderProblem);
  const log = openLog(folderProblem ? null : logDirOf(options.dataDir), options.echoLog || Boolean(folderProblem));
  const settings = new SettingsStore(options.dataDir, { memoryOnly: Boolean(folderProblem) });
  await settings.load();
  if (settings.problem) {
    startupProblems.push(settings.problem);
    // The set-aside file's name is what the user looks for: it is kept readable in the log.
    log.warn(settings.problem.message);
  }
  if (folderProblem) log.error(folderProblem.message);

  const keychain = createKeychain({ service: options.keychainService, log, timeoutMs: options.keychainTimeoutMs, launch: options.launch, workerFile: options.keychainWorker });
  const profiles = scopedProfiles(createProfileStore({ dataDir: options.dataDir }));
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
  const listeners = new Set<EventListener>();
  const emit: Emit = (channel, payload) => {
    if (!checkEvent(channel, payload)) {
      log.error(`dropped an event on ${channel} that does not match the contract`);
      return false;
    }
    for (const listener of listeners) listener(channel, payload);
    return true;
  };
  const dispatch = createDispatch(createHandlerTable(services), emit, log);
  log.info(`core started (${options.ports.shell}, ${options.version})`);
  if (startupProblems.length > 0) options.ports.reportStartupProblems?.(startupProblems);

  return {
    dispatch,
    services,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      // Streaming answers are stopped first (and stored as such), so closing clients does not wait on them.
      await Promise.all(shutdownHooks.map((hook) => hook().catch((err: unknown) => log.error('a shutdown step failed', err))));
      listeners.clear();
      await connections.closeAll();
      await history.flush().catch((err: unknown) => log.error('history could not be written at shutdown', err));
      await keychain.close();
      log.info('core stopped');
    },
  };
}
