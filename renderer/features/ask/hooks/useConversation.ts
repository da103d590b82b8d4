/**
 * The open conversation: opening one (kept per profile while other pages show), a new
 * one, asking in it, and keeping it current as answers end — from live events, and from
 * the stored conversation when events were missed.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { AppErrorInfo, Conversation, Turn } from '../../../../preload/contract';
import { gaia } from '../../../api';
import { useNavigation } from '../../../navigation';
import { live } from '../live';
import type { TurnActions } from '../TurnView';
import type { ComposerSettings } from './useComposerData';
import { toProblem } from '../../../ui/errors';

export interface AskInput {
  question: string;
  datasetNames: string[];
  llmId: string | null;
  languageCode: string | null;
  refine?: { turnId: string; documentIds: string[] };
}

/** The conversation open per profile, kept while other pages are shown. */
const lastOpen = new Map<string, string>();

const POLL_MS = 1500;
/** An answer silent this long is read from the history instead. */
const STALE_MS = 6000;

function replaceTurn(conversation: Conversation | null, turn: Turn): Conversation | null {
  if (!conversation || !conversation.turns.some((t) => t.id === turn.id)) return conversation;
  return { ...conversation, turns: conversation.turns.map((t) => (t.id === turn.id ? turn : t)) };
}

/** Keeps the turn objects that did not change, so their memoized views do not render again. */
function keepUnchanged(previous: Conversation | null, next: Conversation): Conversation {
  if (!previous || previous.id !== next.id) return next;
  const before = new Map(previous.turns.map((t) => [t.id, t]));
  const same = (a: Turn, b: Turn) =>
    a.status === b.status &&
    a.answer === b.answer &&
    a.feedback === b.feedback &&
    a.answeredAt === b.answeredAt &&
    a.documents.length === b.documents.length &&
    a.followUps.length === b.followUps.length &&
    a.progress.length === b.progress.length;
  return { ...next, turns: next.turns.map((t) => (before.has(t.id) && same(before.get(t.id)!, t) ? before.get(t.id)! : t)) };
}

/** Streaming turns whose end already arrived as an event take their final form. */
function withLiveFinals(conversation: Conversation): Conversation {
  if (!conversation.turns.some((t) => t.status === 'streaming')) return conversation;
  return { ...conversation, turns: conversation.turns.map((t) => (t.status === 'streaming' ? (live.forTurn(t.id)?.final ?? t) : t)) };
}

export interface ConversationState {
  current: Conversation | null;
  openError: AppErrorInfo | null;
  askError: AppErrorInfo | null;
  /** The question being sent, before its conversation is known. */
  pending: string | null;
  /** The request id of the answer streaming here, or null. */
  running: string | null;
  open(id: string): Promise<Conversation | null>;
  startNew(): void;
  /** Asks in the open conversation (or a new one); false when it could not be sent. */
  ask(input: AskInput): Promise<boolean>;
  stop(): void;
  /** Applies a title or other change made elsewhere. */
  patch(update: (c: Conversation) => Conversation): void;
  actions: TurnActions;
}

export function useConversation({
  profileId,
  restore,
  settings,
  onOpened,
  onChanged,
}: {
  profileId: string;
  /** Reopen the conversation last open on this profile. */
  restore: boolean;
  settings: ComposerSettings;
  /** A conversation was opened: its last datasets are what follow-ups ask. */
  onOpened(conversation: Conversation): void;
  /** The list may have changed (a new turn, an answer ended). */
  onChanged(): void;
}): ConversationState {
  const [current, setCurrent] = useState<Conversation | null>(null);
  const [openError, setOpenError] = useState<AppErrorInfo | null>(null);
  const [askError, setAskError] = useState<AppErrorInfo | null>(null);
  const [pending, setPending] = useState<string | null>(null);
  const currentId = current?.id ?? null;
  const running = useSyncExternalStore(live.subscribe, () => live.runningIn(currentId));

  // Where the user was, kept across restarts (settings.resume), beside the in-window map.
  const { remember, resumeFor } = useNavigation();
  const generation = useRef(0);
  const latest = useRef({ currentId, turns: [] as Turn[], settings, onOpened, onChanged });
  useLayoutEffect(() => {
    latest.current = { currentId, turns: current?.turns ?? [], settings, onOpened, onChanged };
  });

  useEffect(() => live.connect(), []);

  const open = useCallback(
    async (id: string): Promise<Conversation | null> => {
      const mine = ++generation.current;
      setOpenError(null);
      try {
        const conversation = await gaia.history.get({ id });
        if (mine !== generation.current) return null;
        lastOpen.set(profileId, id);
        remember(profileId, { conversationId: id });
        setCurrent((c) => keepUnchanged(c, withLiveFinals(conversation)));
        latest.current.onOpened(conversation);
        return conversation;
      } catch (err) {
        if (mine !== generation.current) return null;
        lastOpen.delete(profileId);
        remember(profileId, { conversationId: null });
        setCurrent(null);
        setOpenError(toProblem(err));
        return null;
      }
    },
    [profileId, remember],
  );

  useEffect(() => {
    // In this window the last conversation open here; after a restart, the one saved.
    const id = lastOpen.get(profileId) ?? resumeFor(profileId)?.conversationId;
    if (id && restore) {
      // A command that arrived with the page (open this one, start a new one) wins over
      // the restore: anything that moved the generation on since now cancels it.
      const at = generation.current;
      const timer = window.setTimeout(() => {
        if (generation.current === at) void open(id);
      }, 0);
      return () => window.clearTimeout(timer);
    }
  }, [profileId, restore, open, resumeFor]);

  const startNew = useCallback(() => {
    ++generation.current;
    lastOpen.delete(profileId);
    remember(profileId, { conversationId: null });
    setCurrent(null);
    setOpenError(null);
  }, [profileId, remember]);

  // The end of an answer, and a safety net for missed events.
  useEffect(
    () =>
      live.onFinal((answer) => {
        if (answer.final && answer.conversationId === latest.current.currentId) setCurrent((c) => replaceTurn(c, answer.final!));
        latest.current.onChanged();
      }),
    [],
  );

  const streamingTurns = current?.turns.some((t) => t.status === 'streaming') ?? false;
  useEffect(() => {
    if (!currentId || !streamingTurns) return;
    // Events can be lost (a reloaded window, a preview that reconnected): then the stored
    // conversation, which main updates as the answer streams, is read instead.
    const timer = window.setInterval(() => {
      const shown = latest.current.turns.filter((t) => t.status === 'streaming');
      const unheard = shown.some((t) => {
        const tracked = live.forTurn(t.id);
        return !tracked || (!tracked.final && Date.now() - tracked.heardAt > STALE_MS);
      });
      if (!unheard) return;
      gaia.history.get({ id: currentId }).then(
        (stored) => {
          if (latest.current.currentId !== stored.id) return;
          setCurrent((c) => {
            if (!c || c.id !== stored.id) return c;
            let next = c;
            for (const turn of stored.turns) {
              const was = next.turns.find((t) => t.id === turn.id);
              if (was?.status === 'streaming' && (turn.status !== 'streaming' || turn.answer !== was.answer)) next = replaceTurn(next, turn) ?? next;
            }
            return next;
          });
        },
        () => undefined,
      );
    }, POLL_MS);
    return () => window.clearInterval(timer);
  }, [currentId, streamingTurns]);

  const ask = useCallback(
    async (input: AskInput): Promise<boolean> => {
      const requestId = crypto.randomUUID();
      live.track(requestId);
      setPending(input.question);
      setAskError(null);
      const mine = ++generation.current;
      try {
        const started = await gaia.ask.start({ requestId, conversationId: latest.current.currentId, ...input });
        live.bind(requestId, started.conversationId, started.turnId);
        lastOpen.set(profileId, started.conversationId);
        remember(profileId, { conversationId: started.conversationId });
        const conversation = await gaia.history.get({ id: started.conversationId });
        if (mine === generation.current) setCurrent((c) => keepUnchanged(c, withLiveFinals(conversation)));
        latest.current.onChanged();
        return true;
      } catch (err) {
        live.forget(requestId);
        setAskError(toProblem(err));
        return false;
      } finally {
        setPending(null);
      }
    },
    [profileId, remember],
  );

  const actions = useMemo<TurnActions>(
    () => ({
      askFollowUp(turn, question) {
        const s = latest.current.settings;
        void ask({ question, datasetNames: turn.datasetNames, llmId: s.llmId, languageCode: s.languageCode });
      },
      retry(turn) {
        void ask({ question: turn.question, datasetNames: turn.datasetNames, llmId: turn.llmId, languageCode: turn.languageCode });
      },
      refine(turn, documentIds) {
        void ask({ question: turn.question, datasetNames: turn.datasetNames, llmId: turn.llmId, languageCode: turn.languageCode, refine: { turnId: turn.id, documentIds } });
      },
      async feedback(turn, value) {
        const id = latest.current.currentId;
        if (!id) return;
        try {
          const result = await gaia.ask.feedback({ conversationId: id, turnId: turn.id, feedback: value });
          setCurrent((c) => replaceTurn(c, result.turn));
        } catch (err) {
          throw new Error(toProblem(err).message, { cause: err });
        }
      },
    }),
    [ask],
  );

  const stop = useCallback(() => {
    if (running) gaia.ask.cancel({ requestId: running }).catch((err: unknown) => setAskError(toProblem(err)));
  }, [running]);

  const patch = useCallback((update: (c: Conversation) => Conversation) => setCurrent((c) => (c ? update(c) : c)), []);

  return { current, openError, askError, pending, running, open, startNew, ask, stop, patch, actions };
}
