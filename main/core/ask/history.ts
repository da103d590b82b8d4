/**
 * Local conversation history, per profile: one file per conversation,
 * `history/<profileId>/<conversationId>.json`, so a damaged file is set aside alone and
 * never costs the rest. Files are versioned, validated against the contract, written
 * atomically (JsonFile).
 *
 * While an answer streams, updateTurn is called for every chunk: those writes are
 * coalesced, at most one per conversation per `throttleMs`, and a turn reaching a final
 * state (complete, cancelled, error) is written at once. flush() writes everything
 * pending (call it before quitting). A turn still 'streaming' in a file written by a
 * process that died loads as 'incomplete'.
 *
 * With history turned off nothing is written: new conversations, and changes to old
 * ones, live in memory for the session only. History already on disk stays listed and
 * readable (and can be deleted) until the user deletes it; turning history back on
 * saves what the session holds. Composer settings are settings, not history: they are
 * kept by composer.ts (this store hands them through); search is in search.ts.
 */
import { randomUUID } from 'node:crypto';
import { readdir, rm, unlink } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { Conversation, ConversationSummary, Turn, type ComposerSettings, type StorageProblem } from '../../../preload/contract';
import { AppError, appError } from '../errors';
import { JsonFile } from '../platform/storage/json-file';
import { saveFailure } from '../platform/storage/save-failure';
import { checkProfileId, SAFE_ID } from '../validate/profile-id';
import { createComposerStore } from './composer';
import { conversationToMarkdown, safeFileName } from './export';
import { matchConversation } from './search';
import type { Log } from '../platform/log';

/** A conversation as stored: the contract's, plus the datasets it was asked over (for the list). */
export const StoredConversation = Conversation.extend({ datasetNames: ConversationSummary.shape.datasetNames });
export type StoredConversation = z.infer<typeof StoredConversation>;

export interface HistoryList {
  conversations: ConversationSummary[];
  problems: StorageProblem[];
}

export interface NewConversation {
  title: string;
  datasetNames: string[];
  serverConversationId?: string | null;
}

export interface HistoryStore {
  readonly enabled: boolean;
  /** Turning history off stops all writing; turning it on saves this session's conversations. */
  setEnabled(enabled: boolean): Promise<void>;
  /** This session's conversations and those on disk, newest first. With a query: only conversations containing every word (case- and accent-insensitive), each with an excerpt. */
  list(profileId: string, query?: string): Promise<HistoryList>;
  /** Throws 'no-such-conversation', or 'storage' when the file was unreadable (it is then set aside). */
  get(profileId: string, id: string): Promise<StoredConversation>;
  create(profileId: string, init: NewConversation): Promise<StoredConversation>;
  /** Written at once. */
  addTurn(profileId: string, conversationId: string, turn: Turn): Promise<StoredConversation>;
  /** Replaces the turn with the same id. While it streams, writes are coalesced; a final state is written at once. */
  updateTurn(profileId: string, conversationId: string, turn: Turn): Promise<void>;
  setServerConversationId(profileId: string, conversationId: string, serverId: string | null): Promise<void>;
  rename(profileId: string, id: string, title: string): Promise<ConversationSummary>;
  remove(profileId: string, id: string): Promise<boolean>;
  /** Deletes a profile's whole history and composer settings. */
  removeProfile(profileId: string): Promise<void>;
  exportMarkdown(profileId: string, id: string): Promise<{ markdown: string; fileName: string }>;
  getComposer(profileId: string): Promise<ComposerSettings>;
  saveComposer(profileId: string, settings: ComposerSettings): Promise<ComposerSettings>;
  /** Writes everything pending; rejects with a 'storage' AppError if something could not be written. */
  flush(): Promise<void>;
}

export interface HistoryOptions {
  dataDir: string;
  enabled?: boolean;
  /** Minimum time between two writes of one streaming conversation. */
  throttleMs?: number;
  now?: () => number;
  log?: Pick<Log, 'warn'>;
  /** First wait before a failed write is tried again (tests shorten it). */
  retryFirstMs?: number;
}

const VERSION = 1;
const FILE = /^([A-Za-z0-9_-]{1,128})\.json$/;

export function summarize(conversation: StoredConversation, match: string | null = null): ConversationSummary {
  return {
    id: conversation.id,
    title: conversation.title,
    datasetNames: conversation.datasetNames,
    createdAt: conversation.createdAt,
    updatedAt: conversation.updatedAt,
    turnCount: conversation.turns.length,
    match,
    ...(conversation.turns[0]?.origin ? { origin: conversation.turns[0].origin } : {}),
  };
}

// ---------------------------------------------------------------------------

interface Live {
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
  writing: Promise<void>;
  lastError: unknown;
  /** Turns changed since the last write that reached the disk. */
  unsaved: Set<string>;
  retryTimer: NodeJS.Timeout | null;
  retryMs: number;
}

/** A failed write is tried again, less and less often, until the disk takes it. */
const RETRY_FIRST_MS = 2_000;
const RETRY_MAX_MS = 30_000;

/** The turn with its "not saved" flag set or cleared (absent when saved, so files never hold it). */
function flagged(turn: Turn, notSaved: boolean): Turn {
  const { notSaved: _old, ...rest } = turn;
  return notSaved ? { ...rest, notSaved: true } : rest;
}

const saveFailed = (what: string, err: unknown): AppError =>
  saveFailure(what, 'the Gaia Desktop data folder', err, 'The conversation stays open until you quit.');

function notFound(): AppError {
  return appError('no-such-conversation', 'That conversation is no longer in the history.', 'Choose another conversation, or start a new one.');
}

function checkIds(profileId: string, id: string): void {
  checkProfileId(profileId);
  if (typeof id !== 'string' || !SAFE_ID.test(id)) throw notFound();
}

function cleanTitle(title: string): string {
  const oneLine = title.replace(/\s+/g, ' ').trim();
  const points = [...oneLine];
  return points.length > 200 ? `${points.slice(0, 199).join('')}…` : oneLine || 'New conversation';
}

/** Loaded from a file written by an earlier run: a turn that was streaming then never finished. */
function markInterrupted(conversation: StoredConversation): StoredConversation {
  if (!conversation.turns.some((t) => t.status === 'streaming')) return conversation;
  return { ...conversation, turns: conversation.turns.map((t) => (t.status === 'streaming' ? { ...t, status: 'incomplete' as const } : t)) };
}

export function createHistory(options: HistoryOptions): HistoryStore {
  const { dataDir, throttleMs = 250, now = Date.now, log, retryFirstMs = RETRY_FIRST_MS } = options;
  let enabled = options.enabled ?? true;
  const root = path.join(dataDir, 'history');
  const live = new Map<string, Live>();
  const loading = new Map<string, Promise<Live>>();
  const cleaned = new Set<string>();

  const key = (profileId: string, id: string) => `${profileId}/${id}`;
  const dirOf = (profileId: string) => path.join(root, profileId);
  const fileOf = (profileId: string, id: string) => path.join(dirOf(profileId), `${id}.json`);
  /** Reads one conversation file: null when there is none; a problem when it was unreadable (and set aside). */
  const readWithProblem = async (profileId: string, id: string): Promise<{ conversation: StoredConversation | null; problem: StorageProblem | null }> => {
    const file = new JsonFile(fileOf(profileId, id), StoredConversation.nullable(), VERSION, () => null);
    const loaded = await file.load();
    const problem = loaded.problem
      ? {
          file: loaded.problem.file,
          movedTo: loaded.problem.movedTo,
          message: `A conversation could not be read because ${loaded.problem.reason ?? 'its file is damaged'}. ${
            loaded.problem.movedTo ? `Its file was kept as ${path.basename(loaded.problem.movedTo)}; ` : ''
          }the rest of the history is unaffected.`,
        }
      : null;
    return { conversation: loaded.value ? markInterrupted(loaded.value) : null, problem };
  };
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
      try {
        // The file never holds the "not saved" flag: a turn in a file is saved.
        await entry.file.save({ ...entry.conversation, turns: entry.conversation.turns.map((t) => flagged(t, false)) });
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

  /**
   * A new conversation or question that cannot be written yet is not lost: it stays in
   * memory, marked "not saved", and is written when the disk takes it again.
   */
  const keptInMemory = (err: unknown) => {
    if (!(err instanceof AppError && err.info.kind === 'storage')) throw err;
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

  /** Marks a change; urgent changes are written now, streaming ones at most every throttleMs. */
  const changed = (entry: Live, urgent: boolean): Promise<void> => {
    // An entry evicted between a caller obtaining it and changing it goes back in.
    const k = key(entry.profileId, entry.id);
    if (!entry.removed && !live.has(k)) live.set(k, entry);
    entry.conversation.updatedAt = Math.max(now(), entry.conversation.updatedAt);
    entry.dirty = true;
    if (!enabled || entry.memoryOnly) return Promise.resolve();
    if (urgent) return write(entry);
    if (!entry.timer) {
      const wait = Math.max(0, entry.lastWriteAt + throttleMs - now());
      entry.timer = setTimeout(() => {
        entry.timer = null;
        write(entry).catch(() => undefined);
      }, wait);
      entry.timer.unref?.();
    }
    return Promise.resolve();
  };

  const makeLive = (profileId: string, conversation: StoredConversation, memoryOnly: boolean): Live => {
    const entry: Live = {
      profileId,
      id: conversation.id,
      conversation,
      file: new JsonFile(fileOf(profileId, conversation.id), StoredConversation, VERSION, () => conversation),
      timer: null,
      dirty: false,
      memoryOnly,
      removed: false,
      lastWriteAt: 0,
      writing: Promise.resolve(),
      lastError: null,
      unsaved: new Set(),
      retryTimer: null,
      retryMs: retryFirstMs,
    };
    live.set(key(profileId, conversation.id), entry);
    return entry;
  };

  /** The conversation in memory, loading it from its file if need be. */
  const obtain = async (profileId: string, id: string): Promise<Live> => {
    checkIds(profileId, id);
    const k = key(profileId, id);
    const existing = live.get(k);
    if (existing) return existing;
    const pending = loading.get(k);
    if (pending) return pending;
    const load = (async () => {
      const { conversation, problem } = await readWithProblem(profileId, id);
      if (problem) throw appError('storage', problem.message, 'Choose another conversation or start a new one. The damaged file was kept in the history folder.');
      if (!conversation) throw notFound();
      return live.get(k) ?? makeLive(profileId, conversation, !enabled);
    })();
    loading.set(k, load);
    try {
      return await load;
    } finally {
      loading.delete(k);
    }
  };

  const removeStaleTemps = async (profileId: string) => {
    if (cleaned.has(profileId)) return;
    cleaned.add(profileId);
    await JsonFile.removeStaleTemps(dirOf(profileId));
  };

  const composer = createComposerStore({ dataDir, log });

  const store: HistoryStore = {
    get enabled() {
      return enabled;
    },

    setEnabled: async (on) => {
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

    list: async (profileId, query) => {
      checkProfileId(profileId);
      const problems: StorageProblem[] = [];
      const conversations = new Map<string, StoredConversation>();
      for (const entry of live.values()) {
        if (entry.profileId === profileId && !entry.removed) conversations.set(entry.id, entry.conversation);
      }
      {
        await removeStaleTemps(profileId);
        let names: string[] = [];
        try {
          names = await readdir(dirOf(profileId));
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
            problems.push({ file: dirOf(profileId), movedTo: null, message: `The history folder could not be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).` });
          }
        }
        for (const name of names) {
          const m = FILE.exec(name);
          if (!m || conversations.has(m[1])) continue;
          try {
            const { conversation, problem } = await readWithProblem(profileId, m[1]);
            if (problem) problems.push(problem);
            // A conversation that became live meanwhile is newer in memory.
            const current = live.get(key(profileId, m[1]));
            if (current) conversations.set(m[1], current.conversation);
            else if (conversation && conversation.id === m[1]) conversations.set(m[1], conversation);
          } catch (err) {
            problems.push({ file: fileOf(profileId, m[1]), movedTo: null, message: `A conversation could not be read (${(err as NodeJS.ErrnoException)?.code ?? 'error'}).` });
          }
        }
      }
      const summaries: ConversationSummary[] = [];
      const wanted = query?.trim() ?? '';
      for (const conversation of conversations.values()) {
        if (wanted === '') {
          summaries.push(summarize(conversation));
          continue;
        }
        const match = matchConversation(conversation, wanted);
        if (match !== null) summaries.push(summarize(conversation, match));
      }
      summaries.sort((a, b) => b.updatedAt - a.updatedAt || b.createdAt - a.createdAt);
      return { conversations: summaries, problems };
    },

    get: async (profileId, id) => structuredClone((await obtain(profileId, id)).conversation),

    create: async (profileId, init) => {
      checkProfileId(profileId);
      const at = now();
      const conversation = StoredConversation.parse({
        id: randomUUID(),
        title: cleanTitle(init.title),
        serverConversationId: init.serverConversationId ?? null,
        createdAt: at,
        updatedAt: at,
        turns: [],
        datasetNames: [...new Set(init.datasetNames)],
      });
      const entry = makeLive(profileId, conversation, !enabled);
      await changed(entry, true).catch(keptInMemory);
      return structuredClone(entry.conversation);
    },

    addTurn: async (profileId, conversationId, turn) => {
      const checked = Turn.parse(turn);
      const entry = await obtain(profileId, conversationId);
      if (entry.conversation.turns.some((t) => t.id === checked.id)) {
        throw appError('internal', 'This answer is already in the conversation.', 'Ask again.');
      }
      entry.conversation.turns.push(flagged(checked, false));
      entry.unsaved.add(checked.id);
      entry.conversation.datasetNames = [...new Set([...entry.conversation.datasetNames, ...checked.datasetNames])];
      await changed(entry, true).catch(keptInMemory);
      return structuredClone(entry.conversation);
    },

    updateTurn: async (profileId, conversationId, turn) => {
      const checked = Turn.parse(turn);
      const entry = await obtain(profileId, conversationId);
      const index = entry.conversation.turns.findIndex((t) => t.id === checked.id);
      if (index < 0) throw appError('no-such-conversation', 'That answer is no longer in the conversation.', 'Ask again.');
      // The flag is the store's to set and clear: it says whether this turn reached the disk.
      entry.conversation.turns[index] = flagged(checked, entry.conversation.turns[index].notSaved === true);
      entry.unsaved.add(checked.id);
      await changed(entry, checked.status !== 'streaming');
    },

    setServerConversationId: async (profileId, conversationId, serverId) => {
      const entry = await obtain(profileId, conversationId);
      entry.conversation.serverConversationId = serverId;
      await changed(entry, true);
    },

    rename: async (profileId, id, title) => {
      const entry = await obtain(profileId, id);
      entry.conversation.title = cleanTitle(title);
      await changed(entry, true);
      return summarize(entry.conversation);
    },

    remove: async (profileId, id) => {
      checkIds(profileId, id);
      const k = key(profileId, id);
      const entry = live.get(k);
      let existed = false;
      if (entry) {
        existed = true;
        entry.removed = true;
        if (entry.timer) clearTimeout(entry.timer);
        if (entry.retryTimer) clearTimeout(entry.retryTimer);
        entry.timer = null;
        live.delete(k);
        // A write already running must land before the file is deleted, or it would bring it back.
        await entry.writing;
      }
      try {
        await unlink(fileOf(profileId, id));
        existed = true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw saveFailed('the history', err);
      }
      return existed;
    },

    removeProfile: async (profileId) => {
      checkProfileId(profileId);
      for (const entry of [...live.values()]) {
        if (entry.profileId !== profileId) continue;
        entry.removed = true;
        if (entry.timer) clearTimeout(entry.timer);
        if (entry.retryTimer) clearTimeout(entry.retryTimer);
        entry.timer = null;
        live.delete(key(profileId, entry.id));
        await entry.writing;
      }
      await rm(dirOf(profileId), { recursive: true, force: true });
      await composer.remove(profileId);
    },

    exportMarkdown: async (profileId, id) => {
      const conversation = (await obtain(profileId, id)).conversation;
      return {
        markdown: conversationToMarkdown(conversation, { exportedAt: now(), datasetNames: conversation.datasetNames }),
        fileName: safeFileName(conversation.title, conversation.createdAt),
      };
    },

    getComposer: (profileId) => composer.get(profileId),

    saveComposer: (profileId, settings) => composer.save(profileId, settings),

    flush: async () => {
      const entries = [...live.values()];
      const results = await Promise.allSettled(entries.map((e) => (e.dirty && enabled && !e.memoryOnly ? write(e) : e.writing)));
      const failed = results.find((r) => r.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
    },
  };
  return store;
}
