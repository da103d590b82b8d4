/** The history's write-behind cache: conversations in use held in memory, their writes coalesced, failed writes retried until the disk takes them, idle ones let go. */
import type { Turn } from '../../../preload/contract';
import { AppError } from '../errors';
import type { Log } from '../platform/log';
import type { JsonFile } from '../platform/storage/json-file';
import { saveFailure } from '../platform/storage/save-failure';
import type { StoredConversation } from './history';

/** A conversation held in memory, and the state of its file. */
export interface Live {
  profileId: string;
  id: string;
  conversation: StoredConversation;
  file: JsonFile<typeof StoredConversation>;
  timer: NodeJS.Timeout | null;
  dirty: boolean;
  /** Held in memory only: created or changed while history was off. */
  memoryOnly: boolean;
  removed: boolean;
  lastWriteAt: number;
  /** How long the last write that landed took (ms), for spacing streaming writes. */
  lastWriteCostMs: number;
  writing: Promise<void>;
  lastError: unknown;
  /** Turns changed since the last write that reached the disk. */
  unsaved: Set<string>;
  retryTimer: NodeJS.Timeout | null;
  retryMs: number;
}

export interface WriterOptions {
  enabled: boolean;
  /** Minimum time between two writes of one streaming conversation. */
  throttleMs: number;
  now: () => number;
  log?: Pick<Log, 'warn'>;
  /** First wait before a failed write is tried again (tests shorten it). */
  retryFirstMs?: number;
  fileFor(profileId: string, conversation: StoredConversation): JsonFile<typeof StoredConversation>;
}

export interface HistoryWriter {
  readonly enabled: boolean;
  /** Off: finishes what is on its way to disk, then writes nothing. On: writes everything held. */
  setEnabled(on: boolean): Promise<void>;
  held(profileId: string, id: string): Live | undefined;
  all(): Live[];
  /** Holds a conversation (memory only while history is off). */
  hold(profileId: string, conversation: StoredConversation): Live;
  /** Marks a change; urgent changes are written now, streaming ones at most every throttleMs (further apart when writes are slow). */
  changed(entry: Live, urgent: boolean): Promise<void>;
  /** Lets a conversation go unwritten; resolves once a write already running has landed. */
  drop(entry: Live): Promise<void>;
  /** Writes everything pending; rejects with a 'storage' AppError if something could not be written. */
  flush(): Promise<void>;
}

/** A failed write is tried again, less and less often, until the disk takes it. */
const RETRY_FIRST_MS = 2_000;
const RETRY_MAX_MS = 30_000;
/**
 * Streaming writes are spaced by at least this many times the last write's duration:
 * each rewrites the whole conversation (a long answer is megabytes of JSON to build,
 * encode and fsync, tens of ms of the core's thread), so a fixed interval made the cost
 * of saving grow with the answer until it crowded out reading it. Capped, so a crash
 * still loses at most STREAM_GAP_MAX_MS of text.
 */
const STREAM_GAP_PER_COST = 10;
const STREAM_GAP_MAX_MS = 2_000;

/** The turn with its "not saved" flag set or cleared (absent when saved, so files never hold it). */
export function flagged(turn: Turn, notSaved: boolean): Turn {
  const { notSaved: _old, ...rest } = turn;
  return notSaved ? { ...rest, notSaved: true } : rest;
}

export const saveFailed = (what: string, err: unknown): AppError =>
  saveFailure(what, 'the Gaia Desktop data folder', err, 'The conversation stays open until you quit.');

export function createHistoryWriter(options: WriterOptions): HistoryWriter {
  const { throttleMs, now, log, retryFirstMs = RETRY_FIRST_MS, fileFor } = options;
  let enabled = options.enabled;
  const live = new Map<string, Live>();
  const key = (profileId: string, id: string) => `${profileId}/${id}`;

  const evictIfIdle = (entry: Live) => {
    if (entry.memoryOnly || entry.dirty || entry.timer || entry.retryTimer || entry.removed) return;
    if (entry.conversation.turns.some((t) => t.status === 'streaming')) return;
    if (live.get(key(entry.profileId, entry.id)) === entry) live.delete(key(entry.profileId, entry.id));
  };

  const write = (entry: Live): Promise<void> => {
    if (entry.timer) {
      clearTimeout(entry.timer);
      entry.timer = null;
    }
    const run = async () => {
      if (entry.removed || entry.memoryOnly || !entry.dirty) return;
      entry.dirty = false;
      entry.lastWriteAt = now();
      const saving = new Set(entry.unsaved);
      entry.unsaved.clear();
      const started = now();
      try {
        // The file never holds the "not saved" flag: a turn in a file is saved.
        await entry.file.save({ ...entry.conversation, turns: entry.conversation.turns.map((t) => flagged(t, false)) });
        entry.lastWriteCostMs = now() - started;
        entry.lastError = null;
        entry.retryMs = retryFirstMs;
        entry.conversation.turns = entry.conversation.turns.map((t) => (saving.has(t.id) && !entry.unsaved.has(t.id) && t.notSaved ? flagged(t, false) : t));
      } catch (err) {
        entry.dirty = true;
        entry.lastError = err;
        for (const id of saving) entry.unsaved.add(id);
        // Kept in memory and said: the turns this write carried are marked until a write lands.
        entry.conversation.turns = entry.conversation.turns.map((t) => (entry.unsaved.has(t.id) ? flagged(t, true) : t));
        scheduleRetry(entry);
        log?.warn('could not write a conversation to the history', (err as NodeJS.ErrnoException)?.code ?? String(err));
        throw saveFailed('the conversation', err);
      }
      evictIfIdle(entry);
    };
    const next = entry.writing.then(run, run);
    entry.writing = next.catch(() => undefined);
    return next;
  };

  const scheduleRetry = (entry: Live) => {
    if (entry.retryTimer || entry.removed) return;
    const wait = entry.retryMs;
    entry.retryMs = Math.min(entry.retryMs * 2, RETRY_MAX_MS);
    entry.retryTimer = setTimeout(() => {
      entry.retryTimer = null;
      if (entry.dirty && enabled && !entry.memoryOnly) write(entry).catch(() => undefined);
    }, wait);
    entry.retryTimer.unref?.();
  };

  return {
    get enabled() {
      return enabled;
    },

    async setEnabled(on) {
      if (on === enabled) return;
      if (!on) {
        // Finish what is on its way to disk, then stop writing altogether.
        await Promise.allSettled([...live.values()].map((e) => (e.dirty && !e.memoryOnly ? write(e) : e.writing)));
        enabled = false;
        for (const entry of live.values()) {
          if (entry.timer) clearTimeout(entry.timer);
          entry.timer = null;
          entry.memoryOnly = true;
        }
        return;
      }
      enabled = true;
      const results = await Promise.allSettled(
        [...live.values()].map((entry) => {
          entry.memoryOnly = false;
          entry.dirty = true;
          return write(entry);
        }),
      );
      const failed = results.find((r) => r.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
    },

    held: (profileId, id) => live.get(key(profileId, id)),

    all: () => [...live.values()],

    hold(profileId, conversation) {
      const entry: Live = {
        profileId,
        id: conversation.id,
        conversation,
        file: fileFor(profileId, conversation),
        timer: null,
        dirty: false,
        memoryOnly: !enabled,
        removed: false,
        lastWriteAt: 0,
        lastWriteCostMs: 0,
        writing: Promise.resolve(),
        lastError: null,
        unsaved: new Set(),
        retryTimer: null,
        retryMs: retryFirstMs,
      };
      live.set(key(profileId, conversation.id), entry);
      return entry;
    },

    changed(entry, urgent) {
      // An entry evicted between a caller obtaining it and changing it goes back in.
      const k = key(entry.profileId, entry.id);
      if (!entry.removed && !live.has(k)) live.set(k, entry);
      entry.conversation.updatedAt = Math.max(now(), entry.conversation.updatedAt);
      entry.dirty = true;
      if (!enabled || entry.memoryOnly) return Promise.resolve();
      if (urgent) return write(entry);
      if (!entry.timer) {
        const gap = Math.max(throttleMs, Math.min(STREAM_GAP_MAX_MS, entry.lastWriteCostMs * STREAM_GAP_PER_COST));
        const wait = Math.max(0, entry.lastWriteAt + gap - now());
        entry.timer = setTimeout(() => {
          entry.timer = null;
          write(entry).catch(() => undefined);
        }, wait);
        entry.timer.unref?.();
      }
      return Promise.resolve();
    },

    async drop(entry) {
      entry.removed = true;
      if (entry.timer) clearTimeout(entry.timer);
      if (entry.retryTimer) clearTimeout(entry.retryTimer);
      entry.timer = null;
      live.delete(key(entry.profileId, entry.id));
      // A write already running must land before the file is deleted, or it would bring it back.
      await entry.writing;
    },

    async flush() {
      const entries = [...live.values()];
      const results = await Promise.allSettled(entries.map((e) => (e.dirty && enabled && !e.memoryOnly ? write(e) : e.writing)));
      const failed = results.find((r) => r.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
    },
  };
}
