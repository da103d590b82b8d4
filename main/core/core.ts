/**
 * The main process's core, as plain Node: stores, keychain, Gaia client and the handler
 * table behind one dispatch function. The Electron shell and the browser preview both
 * build exactly this and differ only in how calls reach it.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { EventChannel, EventPayload } from '../../preload/contract';
import { createConnections } from './connections/clients';
import { createDatasetCache } from './datasets/cache';
import { checkEvent, createDispatch, type Dispatch, type Emit } from './dispatch';
import { createHandlerTable } from './handler-table';
import { createHistory } from './ask/history';
import { createKeychain } from './platform/keychain';
import { createLog } from './platform/log';
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

export async function createCore(options: CoreOptions): Promise<Core> {
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const log = createLog({ dir: path.join(options.dataDir, 'logs'), echo: options.echoLog });
  const settings = new SettingsStore(options.dataDir);
  await settings.load();
  if (settings.problem) log.warn(settings.problem.message);

  const keychain = createKeychain({ service: options.keychainService, log, timeoutMs: options.keychainTimeoutMs, workerFile: options.keychainWorker });
  const profiles = createProfileStore({ dataDir: options.dataDir });
  const history = createHistory({ dataDir: options.dataDir, enabled: settings.get().keepHistory, log });
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
      return;
    }
    for (const listener of listeners) listener(channel, payload);
  };
  const dispatch = createDispatch(createHandlerTable(services), emit, log);
  log.info(`core started (${options.ports.shell}, ${options.version})`);

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
