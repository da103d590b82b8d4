/**
 * Local conversation history, per profile: one file per conversation,
 * `history/<profileId>/<conversationId>.json`, so a damaged file is set aside alone and
 * never costs the rest. Files are versioned, validated against the contract, written
 * atomically (JsonFile).
 *
 * While an answer streams, updateTurn is called for every chunk: those writes are
 * coalesced, at most one per conversation per `throttleMs` (further apart, up to 2 s,
 * while a long conversation's writes take long), and a turn reaching a final
 * state (complete, cancelled, error) is written at once (history-writer.ts, the
 * write-behind cache). flush() writes everything pending (call it before quitting). A
 * turn still 'streaming' in a file written by a process that died loads as 'incomplete'.
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
import { checkProfileId, SAFE_ID } from '../validate/profile-id';
import { createComposerStore } from './composer';
import { conversationToMarkdown, safeFileName } from './export';
import { createHistoryWriter, flagged, saveFailed, type Live } from './history-writer';
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
  /** Written at once, or with `withNextWrite` along with the conversation's next write (its caller makes one right after). */
  setServerConversationId(profileId: string, conversationId: string, serverId: string | null, options?: { withNextWrite?: boolean }): Promise<void>;
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
  const { dataDir, throttleMs = 250, now = Date.now, log, retryFirstMs } = options;
  const root = path.join(dataDir, 'history');
  const loading = new Map<string, Promise<Live>>();
  const cleaned = new Set<string>();

  const key = (profileId: string, id: string) => `${profileId}/${id}`;
  const dirOf = (profileId: string) => path.join(root, profileId);
  const fileOf = (profileId: string, id: string) => path.join(dirOf(profileId), `${id}.json`);
  const writer = createHistoryWriter({
    enabled: options.enabled ?? true,
    throttleMs,
    now,
    log,
    retryFirstMs,
    fileFor: (profileId, conversation) => new JsonFile(fileOf(profileId, conversation.id), StoredConversation, VERSION, () => conversation),
  });
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

  /**
   * A new conversation or question that cannot be written yet is not lost: it stays in
   * memory, marked "not saved", and is written when the disk takes it again.
   */
  const keptInMemory = (err: unknown) => {
    if (!(err instanceof AppError && err.info.kind === 'storage')) throw err;
  };

  /** The conversation in memory, loading it from its file if need be. */
  const obtain = async (profileId: string, id: string): Promise<Live> => {
    checkIds(profileId, id);
    const k = key(profileId, id);
    const existing = writer.held(profileId, id);
    if (existing) return existing;
    const pending = loading.get(k);
    if (pending) return pending;
    const load = (async () => {
      const { conversation, problem } = await readWithProblem(profileId, id);
      if (problem) throw appError('storage', problem.message, 'Choose another conversation or start a new one. The damaged file was kept in the history folder.');
      if (!conversation) throw notFound();
      return writer.held(profileId, id) ?? writer.hold(profileId, conversation);
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
      return writer.enabled;
    },

    setEnabled: (on) => writer.setEnabled(on),

    list: async (profileId, query) => {
      checkProfileId(profileId);
      const problems: StorageProblem[] = [];
      const conversations = new Map<string, StoredConversation>();
      for (const entry of writer.all()) {
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
            const current = writer.held(profileId, m[1]);
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
      const entry = writer.hold(profileId, conversation);
      await writer.changed(entry, true).catch(keptInMemory);
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
      await writer.changed(entry, true).catch(keptInMemory);
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
      await writer.changed(entry, checked.status !== 'streaming');
    },

    setServerConversationId: async (profileId, conversationId, serverId, options) => {
      const entry = await obtain(profileId, conversationId);
      entry.conversation.serverConversationId = serverId;
      await writer.changed(entry, !options?.withNextWrite);
    },

    rename: async (profileId, id, title) => {
      const entry = await obtain(profileId, id);
      entry.conversation.title = cleanTitle(title);
      await writer.changed(entry, true);
      return summarize(entry.conversation);
    },

    remove: async (profileId, id) => {
      checkIds(profileId, id);
      const entry = writer.held(profileId, id);
      let existed = false;
      if (entry) {
        existed = true;
        await writer.drop(entry);
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
      for (const entry of writer.all()) {
        if (entry.profileId === profileId) await writer.drop(entry);
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

    flush: () => writer.flush(),
  };
  return store;
}
