/**
 * Streamed answers, one per request id: the turn is stored in the history before the
 * first byte is asked for, grows there as the answer arrives (throttled writes, so a
 * crash leaves the partial answer, marked incomplete on the next start), and ends as
 * complete, incomplete (the stream broke off), cancelled (the user stopped it) or error.
 * Every step also goes to the renderer as an AskEvent tagged with the request id.
 *
 * Cancelling aborts the request's AbortController, which the Gaia client hands to undici:
 * the HTTP connection is closed, not just ignored.
 */
import { randomUUID } from 'node:crypto';
import { isKindIn, type AppErrorInfo, type AskOrigin, type EventPayload, type SourceDocument, type Turn } from '../../../preload/contract';
import type { Emit, ValidRequest } from '../dispatch';
import type { Connections } from '../connections/clients';
import type { DatasetCache } from '../datasets/cache';
import { cachedNamesAt, type PlacedProfile } from '../datasets/place';
import { appError, toErrorInfo } from '../errors';
import { GaiaStreamError, type AskResult, type StreamEvent } from '../gaia/client';
import type { HistoryStore, StoredConversation } from './history';
import type { Log } from '../platform/log';

export type AskStartRequest = ValidRequest<'gaia:ask.start'>;
type AskEvent = EventPayload<'gaia:ask.event'>;

export interface AskSessionDeps {
  history: HistoryStore;
  connections: Connections;
  datasetCache?: Pick<DatasetCache, 'read'>;
  log: Pick<Log, 'info' | 'warn' | 'error'>;
  /** Minimum time between two history writes of a streaming answer (the store coalesces further). */
  saveEveryMs?: number;
  /** The longest answer kept (the contract's limit; tests shrink it). */
  maxAnswerChars?: number;
  now?: () => number;
  /** Recorded on every turn asked through these sessions (the command line, MCP); absent in the app. */
  origin?: AskOrigin;
}

export interface AskSessions {
  /** Stores the question as a streaming turn and starts the answer in the background. */
  start(request: AskStartRequest, emit: Emit): Promise<{ conversationId: string; turnId: string }>;
  /** Closes the request's connection; resolves once the turn is stored as cancelled. */
  cancel(requestId: string): Promise<boolean>;
  /** Stops every answer streaming in this conversation (before it is deleted). */
  cancelConversation(profileId: string, conversationId: string): Promise<void>;
  /** Stops everything (shutdown). */
  cancelAll(): Promise<void>;
  /** Request ids still streaming, for tests and diagnostics. */
  running(): string[];
}

interface Running {
  requestId: string;
  profileId: string;
  conversationId: string;
  controller: AbortController;
  cancelled: boolean;
  finished: Promise<void>;
}

const MAX_PROGRESS = 100;
/** Least time between two delta events of one answer while its text keeps arriving (a frame). */
const DELTA_EVERY_MS = 16;
/** The contract's limit for a turn's text. */
export const MAX_ANSWER_CHARS = 4 * 1024 * 1024;
const MAX_FOLLOW_UPS = 20;

const TOO_LONG: AppErrorInfo = {
  kind: 'body-too-large',
  message: 'The answer grew longer than Gaia Desktop keeps (4 million characters), so it was stopped there. The first part is kept.',
  action: 'Ask a narrower question.',
};

const CANCELLED: AppErrorInfo = {
  kind: 'aborted',
  message: 'You stopped this answer. The part that arrived is kept.',
  action: 'Ask again to get the full answer.',
};

/** Fills in dataset names Gaia left out: from the cached dataset list, or the only dataset asked. */
export async function nameDatasets(
  documents: SourceDocument[],
  askedNames: string[],
  lookup: () => Promise<Map<string, string>>,
): Promise<SourceDocument[]> {
  if (documents.every((d) => d.datasetName)) return documents;
  let names: Map<string, string> = new Map();
  try {
    names = await lookup();
  } catch {
    // The cache is a nicety: without it, the only dataset asked still names the source.
  }
  return documents.map((d) => {
    if (d.datasetName) return d;
    const known = d.datasetId ? names.get(d.datasetId) : undefined;
    const name = known ?? (askedNames.length === 1 ? askedNames[0] : null);
    return name ? { ...d, datasetName: name } : d;
  });
}

export function createAskSessions(deps: AskSessionDeps): AskSessions {
  const { history, connections, log } = deps;
  const saveEveryMs = deps.saveEveryMs ?? 200;
  const maxAnswer = Math.min(deps.maxAnswerChars ?? MAX_ANSWER_CHARS, MAX_ANSWER_CHARS);
  const now = deps.now ?? Date.now;
  const running = new Map<string, Running>();

  const datasetNamesOf = (profile: PlacedProfile) => async () => (deps.datasetCache ? cachedNamesAt(deps.datasetCache, profile) : new Map<string, string>());

  const start: AskSessions['start'] = async (request, emit) => {
    if (running.has(request.requestId)) {
      throw appError('invalid-request', 'This question is already being answered.', 'Wait for the answer, or stop it and ask again.');
    }
    const { profile, client } = await connections.active();

    let conversation: StoredConversation;
    if (request.conversationId) {
      conversation = await history.get(profile.id, request.conversationId);
      const busy = [...running.values()].some((r) => r.profileId === profile.id && r.conversationId === request.conversationId);
      if (busy) {
        throw appError('invalid-request', 'An answer is still arriving in this conversation.', 'Wait for it to finish, or stop it, then ask again.');
      }
    } else if (request.refine) {
      throw appError('invalid-request', 'Only an answer in a conversation can be refined.', 'Open the conversation that holds the answer.');
    } else {
      conversation = await history.create(profile.id, { title: request.question, datasetNames: request.datasetNames });
    }

    let refine: { queryUid: string; documentUids: string[]; from: Turn } | null = null;
    if (request.refine) {
      const from = conversation.turns.find((t) => t.id === request.refine!.turnId);
      if (!from) throw appError('no-such-conversation', 'That answer is no longer in the conversation.', 'Ask the question again.');
      if (!from.queryUid) {
        throw appError('invalid-request', 'This answer cannot be refined: Gaia gave it no id.', 'Ask the question again instead.');
      }
      const known = new Set(from.documents.map((d) => d.documentId));
      const documentUids = [...new Set(request.refine.documentIds)].filter((id) => known.has(id));
      if (!documentUids.length) {
        throw appError('invalid-request', 'None of the chosen sources belong to that answer.', 'Choose sources from the answer’s list.');
      }
      refine = { queryUid: from.queryUid, documentUids, from };
    }

    const turn: Turn = {
      id: randomUUID(),
      question: request.question,
      datasetNames: refine ? refine.from.datasetNames : [...new Set(request.datasetNames)],
      llmId: request.llmId ?? null,
      languageCode: request.languageCode ?? null,
      answer: '',
      status: 'streaming',
      error: null,
      progress: [],
      followUps: [],
      documents: [],
      queryUid: null,
      feedback: null,
      refinedFrom: refine ? refine.from.id : null,
      askedAt: now(),
      answeredAt: null,
      ...(deps.origin ? { origin: deps.origin } : {}),
    };
    const added = await history.addTurn(profile.id, conversation.id, turn);
    // The question could not be written yet: the answer says so from its first event on.
    if (added.turns.some((t) => t.id === turn.id && t.notSaved)) turn.notSaved = true;

    const entry: Running = {
      requestId: request.requestId,
      profileId: profile.id,
      conversationId: conversation.id,
      controller: new AbortController(),
      cancelled: false,
      finished: Promise.resolve(),
    };
    running.set(entry.requestId, entry);

    const deliver = (event: AskEvent) => {
      try {
        emit('gaia:ask.event', event);
      } catch (err) {
        log.warn('could not deliver an answer event', String(err));
      }
    };
    // Text that arrives together goes out together: one network read can hold a thousand
    // small SSE events, and one event each (checked, serialised, sent, parsed by the
    // page) cost more than reading them. Flushed on the next turn of the event loop, and
    // before any other event, so the order is kept and nothing waits longer than a read.
    // While text pours in, at most one delta a frame (DELTA_EVERY_MS): the page cannot
    // show more often, and each event costs it a read, a parse and a callback. The first
    // text after a pause still goes on the next turn of the event loop.
    let pendingText = '';
    let flushing: { immediate: NodeJS.Immediate } | { timer: NodeJS.Timeout } | null = null;
    let lastDeltaAt = -Infinity;
    const flushText = () => {
      if (flushing) {
        if ('immediate' in flushing) clearImmediate(flushing.immediate);
        else clearTimeout(flushing.timer);
      }
      flushing = null;
      if (!pendingText) return;
      const text = pendingText;
      pendingText = '';
      lastDeltaAt = performance.now();
      deliver({ requestId: entry.requestId, type: 'delta', text });
    };
    const sendText = (text: string) => {
      pendingText += text;
      if (flushing) return;
      const wait = lastDeltaAt + DELTA_EVERY_MS - performance.now();
      flushing = wait > 0 ? { timer: setTimeout(flushText, wait) } : { immediate: setImmediate(flushText) };
    };
    const send = (event: AskEvent) => {
      flushText();
      deliver(event);
    };
    // A listener may hold what it was given until this turn of the event loop ends (the
    // preview's HTTP response is corked until the next tick): the last text leaves before
    // the answer is checked against the stream's (megabytes compared) and saved.
    const textSent = () => new Promise<void>((resolve) => setImmediate(resolve));

    const run = async () => {
      const requestId = entry.requestId;
      send({ requestId, type: 'started', conversationId: conversation.id, turnId: turn.id });

      // History writes: at most one every saveEveryMs while streaming, in order, and the
      // final state after every earlier write.
      let saving: Promise<void> = Promise.resolve();
      let timer: NodeJS.Timeout | undefined;
      let warned = false;
      const save = (snapshot: Turn) => {
        saving = saving.then(() =>
          history.updateTurn(profile.id, conversation.id, snapshot).then(
            () => {
              if (snapshot.status !== 'streaming') turn.notSaved = undefined;
            },
            (err: unknown) => {
              // Kept in memory by the history (and written when the disk takes it); the answer says "not saved".
              turn.notSaved = true;
              if (warned) return;
              warned = true;
              log.warn('could not save a streaming answer to the history', toErrorInfo(err).message);
            },
          ),
        );
        return saving;
      };
      const snapshot = (): Turn => ({ ...turn, progress: [...turn.progress], followUps: [...turn.followUps] });
      const scheduleSave = () => {
        if (timer) return;
        timer = setTimeout(() => {
          timer = undefined;
          void save(snapshot());
        }, saveEveryMs);
        timer.unref?.();
      };

      let tooLong = false;
      const onEvent = (e: StreamEvent) => {
        switch (e.type) {
          case 'progress':
            turn.progress = [...turn.progress, e.step].slice(-MAX_PROGRESS);
            send({ requestId, type: 'progress', step: e.step });
            break;
          case 'delta': {
            if (tooLong) return;
            const room = maxAnswer - turn.answer.length;
            const text = e.text.length > room ? e.text.slice(0, room) : e.text;
            turn.answer += text;
            if (text) sendText(text);
            if (text.length < e.text.length) {
              tooLong = true;
              entry.controller.abort();
            }
            break;
          }
          case 'followUps':
            turn.followUps = e.questions.slice(0, MAX_FOLLOW_UPS);
            send({ requestId, type: 'followUps', questions: turn.followUps });
            break;
          case 'retrying':
            send({ requestId, type: 'retrying', attempt: e.attempt, waitMs: e.waitMs, reason: e.reason.slice(0, 1024) });
            return;
        }
        scheduleSave();
      };

      // Whether the answer is no longer the text the delta events carried.
      let replaced = false;
      const adopt = async (result: AskResult) => {
        // The assembled text is authoritative; deltas may have been cut by a fallback.
        const sent = result.responseString.slice(0, maxAnswer);
        if (sent && sent !== turn.answer && !(turn.answer.length > sent.length && turn.answer.startsWith(sent))) {
          turn.answer = sent;
          replaced = true;
        }
        if (result.documents.length) turn.documents = await nameDatasets(result.documents, turn.datasetNames, datasetNamesOf(profile));
        if (result.followUps.length) turn.followUps = result.followUps.slice(0, MAX_FOLLOW_UPS);
        if (result.queryUid) turn.queryUid = result.queryUid;
        if (result.conversationId && result.conversationId !== conversation.serverConversationId) {
          conversation.serverConversationId = result.conversationId;
          // Written with the turn's final state, which follows at once: a second write of the
          // whole conversation (megabytes, for a long answer) only to add an id would delay 'done'.
          await history.setServerConversationId(profile.id, conversation.id, result.conversationId, { withNextWrite: true }).catch((err: unknown) => {
            log.warn('could not store Gaia’s conversation id', toErrorInfo(err).message);
          });
        }
      };

      let failure: AppErrorInfo | null = null;
      try {
        const options = { signal: entry.controller.signal, onEvent };
        const result = refine
          ? await client.refineStream({ queryUid: refine.queryUid, documentUids: refine.documentUids }, options)
          : await client.askStream(
              {
                datasetNames: turn.datasetNames,
                queryString: turn.question,
                llmId: turn.llmId,
                queryLanguageCode: turn.languageCode,
                conversationId: conversation.serverConversationId,
              },
              options,
            );
        // The stream is over: its last text goes now, not after the history write.
        flushText();
        await textSent();
        await adopt(result);
        turn.status = result.responseString.length > maxAnswer ? 'incomplete' : 'complete';
        if (turn.status === 'incomplete') {
          turn.error = TOO_LONG;
          failure = TOO_LONG;
        }
      } catch (err) {
        flushText();
        await textSent();
        if (err instanceof GaiaStreamError) await adopt(err.partial).catch(() => undefined);
        const info = toErrorInfo(err);
        if (info.kind === 'internal') log.error('an answer failed inside the app', err);
        if (tooLong) {
          turn.status = 'incomplete';
          turn.error = TOO_LONG;
          failure = TOO_LONG;
        } else if (entry.cancelled) {
          turn.status = 'cancelled';
          turn.error = null;
          failure = CANCELLED;
        } else {
          // An answer that broke off keeps what arrived, as incomplete.
          turn.status = isKindIn(info.kind, 'brokeOff') && turn.answer.trim() !== '' ? 'incomplete' : 'error';
          turn.error = info;
          failure = info;
        }
      } finally {
        clearTimeout(timer);
        timer = undefined;
      }
      turn.answeredAt = now();
      await save(snapshot());
      const final = snapshot();
      if (!turn.notSaved) delete final.notSaved;
      // Every listener has the text already, delta by delta: megabytes of a long answer are
      // not encoded and sent (over IPC or the preview) a second time.
      const streamed = replaced || !final.answer ? {} : { streamedChars: final.answer.length };
      if (!replaced && final.answer) final.answer = '';
      send(failure ? { requestId, type: 'error', turn: final, error: failure, ...streamed } : { requestId, type: 'done', turn: final, ...streamed });
    };

    entry.finished = run()
      .catch((err: unknown) => log.error('an answer could not be finished', err))
      .finally(() => running.delete(entry.requestId));
    return { conversationId: conversation.id, turnId: turn.id };
  };

  const stop = async (entry: Running) => {
    entry.cancelled = true;
    entry.controller.abort();
    // The turn is stored as cancelled by the time the caller hears back (bounded, so a
    // wedged write cannot hang the Stop button).
    await Promise.race([entry.finished, new Promise((resolve) => setTimeout(resolve, 5_000).unref?.())]);
  };

  return {
    start,
    async cancel(requestId) {
      const entry = running.get(requestId);
      if (!entry) return false;
      await stop(entry);
      return true;
    },
    async cancelConversation(profileId, conversationId) {
      await Promise.all([...running.values()].filter((r) => r.profileId === profileId && r.conversationId === conversationId).map(stop));
    },
    async cancelAll() {
      await Promise.all([...running.values()].map(stop));
    },
    running: () => [...running.keys()],
  };
}
