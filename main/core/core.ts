/**
 * The main process's core, as plain Node: stores, keychain, Gaia client and the handler
 * table behind one dispatch function. The Electron shell and the browser preview both
 * build exactly this and differ only in how calls reach it.
 *
 * It starts in two steps so a shell can show itself early: the cheap part (data folder,
 * log, settings, the profile store, the contract's checks) answers app.info, settings.get
 * and profiles.list at once; the rest (assemble.ts: keychain, other stores, Gaia clients) loads with import() meanwhile, and
 * every other call waits for it — answered, never refused, however early it comes.
 */
import { accessSync, constants, mkdirSync } from 'node:fs';
import { channels, type Channel, type EventChannel, type EventPayload } from '../../preload/contract';
import { logDirOf } from './platform/data-dir';
import { checkEvent, createDispatch, type Dispatch, type Emit, type Handler, type HandlerTable } from './dispatch';
import type { StorageProblemInfo } from './platform/storage/json-file';
import { createLog, type Log } from './platform/log';
import type { CoreOptions, Services } from './services';
import { SettingsStore } from './app/settings';
import { appInfoHandler } from './app/handlers';
import { createProfileStore } from './connections/profiles';
import { scopedProfiles } from './connections/profile-scope';
import { profilesListHandler } from './connections/list-handler';
import type { Assembled } from './assemble';

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

/** A core whose cheap part is up: it answers every call, some once `ready` has resolved. */
export interface StartingCore {
  dispatch: Dispatch;
  onEvent(listener: EventListener): () => void;
  /** The whole core; rejects when its heavier part could not be loaded. */
  ready: Promise<Core>;
}

/** The whole core, ready for every call. */
export async function createCore(options: CoreOptions): Promise<Core> {
  return (await startCore(options)).ready;
}

/** With `deferRest`, the rest loads this long after the start at the latest. */
const REST_AT_LATEST_MS = 1500;

export interface StartOptions {
  /**
   * Load the rest (assemble.ts) only once a call needs it or REST_AT_LATEST_MS have passed.
   * Loading it holds this thread for most of the start; a shell that serves its page from
   * this same thread (the preview) defers it so the page's files and its first calls are
   * answered before it. The first screen's own calls (app.info, settings.get, profiles.list)
   * are the cheap part's, so none of them starts it: profiles.list, once the rest's, loaded
   * it while the page was still laying out and drawing its first frame, on one of the two
   * cores of a small machine, and the Connections data waited behind it.
   */
  deferRest?: boolean;
}

export async function startCore(options: CoreOptions, { deferRest = false }: StartOptions = {}): Promise<StartingCore> {
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
  // Read on the first profiles.list, not here: the cheap part stays as quick to start as before.
  const profiles = scopedProfiles(createProfileStore({ dataDir: options.dataDir }));

  const listeners = new Set<EventListener>();
  const emit: Emit = (channel, payload) => {
    if (!checkEvent(channel, payload)) {
      log.error(`dropped an event on ${channel} that does not match the contract`);
      return false;
    }
    for (const listener of listeners) listener(channel, payload);
    return true;
  };
  const onEvent = (listener: EventListener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };

  let resolveReady!: (core: Core) => void;
  let rejectReady!: (err: unknown) => void;
  const ready = new Promise<Core>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  let assembled: Promise<Assembled> | null = null;
  /** The assembled rest, once it is. */
  let built: Assembled | null = null;
  const loadRest = () =>
    (assembled ??= import('./assemble').then(
      ({ assemble }) => {
        const rest = assemble({ options, log, settings, profiles, startupProblems, folderProblem: Boolean(folderProblem) });
        built = rest;
        log.info(`core started (${options.ports.shell}, ${options.version})`);
        resolveReady({
          dispatch,
          services: rest.services,
          onEvent,
          async close() {
            await rest.close(() => listeners.clear());
            log.info('core stopped');
          },
        });
        return rest;
      },
      (err: unknown) => {
        rejectReady(err);
        throw err;
      },
    ));
  // Started from here, a failure is reported through `ready` (and to each call that needs the rest).
  const startRest = () => void loadRest().catch(() => undefined);
  if (deferRest) setTimeout(startRest, REST_AT_LATEST_MS).unref();
  else startRest();
  // What the shell needs for its first frame, from the cheap part; every other handler is the
  // assembled one, awaited (the dispatch around it still checks request and response).
  const early: Partial<HandlerTable> = {
    'gaia:app.info': appInfoHandler(options, startupProblems),
    'gaia:settings.get': async () => settings.get(),
    'gaia:profiles.list': profilesListHandler(profiles),
  };
  const table = Object.fromEntries(
    (Object.keys(channels) as Channel[]).map((channel) => [
      channel,
      early[channel] ??
        // Once assembled, straight to its handler (no await of the assembly on every call).
        ((request: never, ctx: never) =>
          built ? (built.table[channel] as Handler<Channel>)(request, ctx) : loadRest().then((r) => (r.table[channel] as Handler<Channel>)(request, ctx))),
    ]),
  ) as HandlerTable;
  const dispatch = createDispatch(table, emit, log);

  // Said once the folder and settings have been read, before any shell shows anything.
  if (startupProblems.length > 0) options.ports.reportStartupProblems?.(startupProblems);
  return { dispatch, onEvent, ready };
}
