/**
 * Ask: the conversations of the active connection on the left; the open conversation's
 * transcript and the composer on the right. Everything is keyed on the active profile,
 * so switching connections shows that connection's history and settings.
 */
import './ask.css';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { AppErrorInfo, Conversation, ConversationSummary, DatasetSummary, Response, Turn } from '../../../preload/contract';
import { GaiaError } from '../../../preload/contract';
import { gaia } from '../../api';
import { useNavigation } from '../../navigation';
import { useSession } from '../../session';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { EmptyState } from '../../ui/EmptyState';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { Composer, type ComposerSettings, type LlmOption } from './Composer';
import { ConversationList } from './ConversationList';
import { live } from './live';
import { TurnView, type TurnActions } from './TurnView';

type Problems = Response<'gaia:history.list'>['problems'];

interface AskInput {
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

function infoOf(err: unknown): AppErrorInfo {
  if (err instanceof GaiaError) return err.info;
  return { kind: 'internal', message: 'Something went wrong in the window.', action: 'Try again. If it keeps happening, reload the window.' };
}

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

function download(markdown: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([markdown], { type: 'text/markdown;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function AskPage() {
  const { active, list } = useSession();
  const { go } = useNavigation();
  if (!list) return null;
  if (!active) {
    return (
      <>
        <h1>Ask</h1>
        <EmptyState
          title="Connect to Gaia first"
          action={
            <button type="button" onClick={() => go('connections')}>
              Go to Connections
            </button>
          }
        >
          <p>Connect to Gaia, pick datasets and ask a question. Your past conversations appear here once a connection is active.</p>
        </EmptyState>
      </>
    );
  }
  return <AskWorkspace key={active.id} profileId={active.id} />;
}

function AskWorkspace({ profileId }: { profileId: string }) {
  const navigation = useNavigation();
  const { remember, resumeFor } = navigation;
  const [intent] = useState(() => navigation.askIntent);

  const [settings, setSettings] = useState<ComposerSettings>({ datasetNames: intent?.datasetNames ?? [], llmId: null, languageCode: null });
  const settingsLoaded = useRef(false);
  const [datasets, setDatasets] = useState<DatasetSummary[] | null>(null);
  const [datasetNote, setDatasetNote] = useState<string | null>(null);
  const [llms, setLlms] = useState<LlmOption[] | null>(null);
  const [llmNote, setLlmNote] = useState<string | null>(null);
  const [historyOff, setHistoryOff] = useState(false);

  const [query, setQuery] = useState('');
  const [conversations, setConversations] = useState<ConversationSummary[] | null>(null);
  const [problems, setProblems] = useState<Problems>([]);
  const [listLoading, setListLoading] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  const [current, setCurrent] = useState<Conversation | null>(null);
  const [openError, setOpenError] = useState<AppErrorInfo | null>(null);
  const [askError, setAskError] = useState<AppErrorInfo | null>(null);
  const [pending, setPending] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [actionError, setActionError] = useState<AppErrorInfo | null>(null);

  const currentId = current?.id ?? null;
  const running = useSyncExternalStore(live.subscribe, () => live.runningIn(currentId));
  const busy = running !== null || pending !== null;
  const openGeneration = useRef(0);
  const listGeneration = useRef(0);
  const currentIdRef = useRef<string | null>(null);
  const currentTurns = useRef<Turn[]>([]);
  useLayoutEffect(() => {
    currentIdRef.current = currentId;
    currentTurns.current = current?.turns ?? [];
  }, [currentId, current]);

  // --- Loading what the page needs ------------------------------------------------

  useEffect(() => {
    live.connect();
    if (intent) navigation.takeAskIntent();
    // Once, at mount: the intent was read into state above.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    let alive = true;
    gaia.composer.get({}).then(
      (saved) => {
        if (!alive) return;
        settingsLoaded.current = true;
        setSettings(intent ? { ...saved, datasetNames: intent.datasetNames } : saved);
      },
      () => {
        settingsLoaded.current = true;
      },
    );
    gaia.datasets.list({ requestId: crypto.randomUUID() }).then(
      (r) => {
        if (!alive) return;
        setDatasets(r.datasets);
        setDatasetNote(r.error ? `Showing the datasets saved earlier: ${r.error.message}` : null);
      },
      (err: unknown) => {
        if (!alive) return;
        setDatasets(null);
        setDatasetNote(`The dataset list is not available (${infoOf(err).message}) Type dataset names exactly as Gaia spells them, and press Enter.`);
      },
    );
    gaia.llms.list({}).then(
      (r) => alive && setLlms(r.llms),
      (err: unknown) => {
        if (!alive) return;
        setLlms(null);
        setLlmNote(`The model list is not available (${infoOf(err).message}) Gaia’s default model answers.`);
      },
    );
    gaia.settings.get({}).then(
      (s) => alive && setHistoryOff(!s.keepHistory),
      () => undefined,
    );
    return () => {
      alive = false;
    };
  }, [intent]);

  const saveSettings = useCallback((next: ComposerSettings) => {
    setSettings(next);
    if (!settingsLoaded.current) return;
    gaia.composer.save(next).catch(() => undefined);
  }, []);

  const refreshList = useCallback(async (q: string) => {
    const mine = ++listGeneration.current;
    setListLoading(true);
    try {
      const result = await gaia.history.list(q.trim() ? { query: q.trim() } : {});
      if (mine !== listGeneration.current) return;
      setConversations(result.conversations);
      setProblems(result.problems);
    } catch (err) {
      if (mine !== listGeneration.current) return;
      setProblems([{ file: 'history', movedTo: null, message: infoOf(err).message }]);
    } finally {
      if (mine === listGeneration.current) setListLoading(false);
    }
  }, []);

  const queryRef = useRef(query);
  useLayoutEffect(() => {
    queryRef.current = query;
  }, [query]);

  useEffect(() => {
    const timer = window.setTimeout(() => void refreshList(query), query ? 200 : 0);
    return () => window.clearTimeout(timer);
  }, [query, refreshList]);

  const open = useCallback(async (id: string) => {
    const mine = ++openGeneration.current;
    setOpenError(null);
    setRenaming(null);
    setActionError(null);
    try {
      const conversation = await gaia.history.get({ id });
      if (mine !== openGeneration.current) return;
      lastOpen.set(profileId, id);
      remember(profileId, { conversationId: id });
      setCurrent((c) => keepUnchanged(c, withLiveFinals(conversation)));
      const last = conversation.turns.at(-1);
      // Follow-ups go to the datasets this conversation asked.
      if (last?.datasetNames.length) {
        setSettings((s) => {
          const next = { ...s, datasetNames: last.datasetNames };
          if (settingsLoaded.current) gaia.composer.save(next).catch(() => undefined);
          return next;
        });
      }
    } catch (err) {
      if (mine !== openGeneration.current) return;
      lastOpen.delete(profileId);
      remember(profileId, { conversationId: null });
      setCurrent(null);
      setOpenError(infoOf(err));
    }
  }, [profileId, remember]);

  useEffect(() => {
    // In this window the last conversation open here; after a restart, the one saved.
    const id = lastOpen.get(profileId) ?? resumeFor(profileId)?.conversationId;
    if (id && !intent) {
      const timer = window.setTimeout(() => void open(id), 0);
      return () => window.clearTimeout(timer);
    }
  }, [profileId, intent, open, resumeFor]);

  const startNew = useCallback(() => {
    ++openGeneration.current;
    lastOpen.delete(profileId);
    remember(profileId, { conversationId: null });
    setCurrent(null);
    setOpenError(null);
    setRenaming(null);
    setNotice(null);
  }, [profileId, remember]);

  // --- The end of an answer, and a safety net for missed events ---------------------

  useEffect(
    () =>
      live.onFinal((answer) => {
        if (answer.final && answer.conversationId === currentIdRef.current) setCurrent((c) => replaceTurn(c, answer.final!));
        void refreshList(queryRef.current);
      }),
    [refreshList],
  );

  const streamingTurns = current?.turns.some((t) => t.status === 'streaming') ?? false;
  useEffect(() => {
    if (!currentId || !streamingTurns) return;
    // Events can be lost (a reloaded window, a preview that reconnected): then the stored
    // conversation, which main updates as the answer streams, is read instead.
    const timer = window.setInterval(() => {
      const shown = currentTurns.current.filter((t) => t.status === 'streaming');
      const unheard = shown.some((t) => {
        const tracked = live.forTurn(t.id);
        return !tracked || (!tracked.final && Date.now() - tracked.heardAt > STALE_MS);
      });
      if (!unheard) return;
      gaia.history.get({ id: currentId }).then(
        (stored) => {
          if (currentIdRef.current !== stored.id) return;
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

  // --- Asking ---------------------------------------------------------------------

  const ask = useCallback(
    async (input: AskInput, conversationId: string | null): Promise<boolean> => {
      const requestId = crypto.randomUUID();
      live.track(requestId);
      setPending(input.question);
      setAskError(null);
      setNotice(null);
      const mine = ++openGeneration.current;
      try {
        const started = await gaia.ask.start({ requestId, conversationId, ...input });
        live.bind(requestId, started.conversationId, started.turnId);
        lastOpen.set(profileId, started.conversationId);
        remember(profileId, { conversationId: started.conversationId });
        const conversation = await gaia.history.get({ id: started.conversationId });
        if (mine === openGeneration.current) setCurrent((c) => keepUnchanged(c, withLiveFinals(conversation)));
        void refreshList(queryRef.current);
        return true;
      } catch (err) {
        live.forget(requestId);
        setAskError(infoOf(err));
        return false;
      } finally {
        setPending(null);
      }
    },
    [profileId, refreshList, remember],
  );

  const latest = useRef({ ask, settings, currentId });
  useLayoutEffect(() => {
    latest.current = { ask, settings, currentId };
  }, [ask, settings, currentId]);

  const actions = useMemo<TurnActions>(
    () => ({
      askFollowUp(turn, question) {
        const { ask: run, settings: s, currentId: id } = latest.current;
        void run({ question, datasetNames: turn.datasetNames, llmId: s.llmId, languageCode: s.languageCode }, id);
      },
      retry(turn) {
        const { ask: run, currentId: id } = latest.current;
        void run({ question: turn.question, datasetNames: turn.datasetNames, llmId: turn.llmId, languageCode: turn.languageCode }, id);
      },
      refine(turn, documentIds) {
        const { ask: run, currentId: id } = latest.current;
        void run(
          { question: turn.question, datasetNames: turn.datasetNames, llmId: turn.llmId, languageCode: turn.languageCode, refine: { turnId: turn.id, documentIds } },
          id,
        );
      },
      async feedback(turn, value) {
        const id = latest.current.currentId;
        if (!id) return;
        try {
          const result = await gaia.ask.feedback({ conversationId: id, turnId: turn.id, feedback: value });
          setCurrent((c) => replaceTurn(c, result.turn));
        } catch (err) {
          throw new Error(infoOf(err).message, { cause: err });
        }
      },
    }),
    [],
  );

  const stop = useCallback(() => {
    if (running) gaia.ask.cancel({ requestId: running }).catch((err: unknown) => setAskError(infoOf(err)));
  }, [running]);

  // --- Conversation actions -------------------------------------------------------

  const rename = async (title: string) => {
    if (!current) return;
    try {
      const summary = await gaia.history.rename({ id: current.id, title });
      setCurrent((c) => (c && c.id === summary.id ? { ...c, title: summary.title } : c));
      setRenaming(null);
      void refreshList(query);
    } catch (err) {
      setActionError(infoOf(err));
    }
  };

  const remove = async () => {
    if (!current) return;
    setConfirmDelete(false);
    try {
      const result = await gaia.history.delete({ id: current.id });
      startNew();
      setNotice(result.message);
      void refreshList(query);
    } catch (err) {
      setActionError(infoOf(err));
    }
  };

  const exportMarkdown = async () => {
    if (!current) return;
    try {
      const { markdown, fileName } = await gaia.history.export({ id: current.id });
      download(markdown, fileName);
    } catch (err) {
      setActionError(infoOf(err));
    }
  };

  // --- Keeping the newest text in view ---------------------------------------------

  const scrollRef = useRef<HTMLDivElement>(null);
  const innerRef = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  useEffect(() => {
    const outer = scrollRef.current;
    const inner = innerRef.current;
    if (!outer || !inner) return;
    const observer = new ResizeObserver(() => {
      if (stick.current) outer.scrollTop = outer.scrollHeight;
    });
    observer.observe(inner);
    return () => observer.disconnect();
  }, []);
  useEffect(() => {
    stick.current = true;
    const outer = scrollRef.current;
    if (outer) outer.scrollTop = outer.scrollHeight;
  }, [currentId]);

  return (
    <div className="ask-page">
      <h1 className="sr-only">Ask</h1>
      <ConversationList
        conversations={conversations}
        problems={problems}
        query={query}
        onQuery={setQuery}
        currentId={currentId}
        onOpen={(id) => void open(id)}
        onNew={startNew}
        historyOff={historyOff}
        notice={notice}
        loading={listLoading}
      />
      <section className="ask-main" aria-label={current ? `Conversation: ${current.title}` : 'New conversation'}>
        {current && (
          <header className="conversation-header">
            {renaming !== null ? (
              <form
                className="rename"
                onSubmit={(e) => {
                  e.preventDefault();
                  if (renaming.trim()) void rename(renaming.trim());
                }}
              >
                <input
                  aria-label="Conversation title"
                  value={renaming}
                  maxLength={200}
                  autoFocus
                  onChange={(e) => setRenaming(e.target.value)}
                  onKeyDown={(e) => {
                    if (e.key === 'Escape') {
                      e.preventDefault();
                      setRenaming(null);
                    }
                  }}
                />
                <button type="submit" className="primary" disabled={!renaming.trim()}>
                  Save title
                </button>
                <button type="button" onClick={() => setRenaming(null)}>
                  Cancel
                </button>
              </form>
            ) : (
              <>
                <h2 className="conversation-title-heading">{current.title}</h2>
                <div className="conversation-actions">
                  <button type="button" onClick={() => setRenaming(current.title)}>
                    Rename
                  </button>
                  <button type="button" onClick={() => void exportMarkdown()}>
                    Export as Markdown
                  </button>
                  <button type="button" className="danger" onClick={() => setConfirmDelete(true)}>
                    Delete
                  </button>
                </div>
              </>
            )}
          </header>
        )}
        {actionError && <ErrorNotice error={actionError} />}
        <div
          className="transcript"
          ref={scrollRef}
          tabIndex={-1}
          onScroll={(e) => {
            const el = e.currentTarget;
            stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
          }}
        >
          <div ref={innerRef} className="transcript-inner">
            {openError && <ErrorNotice error={openError} />}
            {current
              ? current.turns.map((turn, i) => <TurnView key={turn.id} turn={turn} index={i} busy={busy} actions={actions} />)
              : !pending && (
                  <div className="ask-welcome">
                    <h2>Ask your data</h2>
                    <p className="muted">
                      Choose the datasets to search, then ask in your own words. Each answer shows the documents it came from; follow-up questions continue the
                      conversation.
                    </p>
                  </div>
                )}
            {pending && (
              <article className="turn pending" aria-label="Sending question">
                <header className="turn-question">
                  <p className="question-text">{pending}</p>
                </header>
                <p className="muted">Sending…</p>
              </article>
            )}
          </div>
        </div>
        {askError && <ErrorNotice error={askError} />}
        <Composer
          key={profileId}
          profileId={profileId}
          initialQuestion={intent?.question ?? null}
          savedDraft={resumeFor(profileId)?.draft ?? null}
          onDraft={(draft) => remember(profileId, { draft })}
          settings={settings}
          onSettings={saveSettings}
          datasets={datasets}
          datasetNote={datasetNote}
          llms={llms}
          llmNote={llmNote}
          running={running !== null}
          onAsk={(question) => {
            // What was asked with is what the next question starts from, on this profile.
            gaia.composer.save(settings).catch(() => undefined);
            return ask({ question, datasetNames: settings.datasetNames, llmId: settings.llmId, languageCode: settings.languageCode }, currentId);
          }}
          onStop={stop}
        />
      </section>
      {confirmDelete && current && (
        <ConfirmDialog
          title={`Delete “${current.title}”?`}
          confirmLabel="Delete conversation"
          danger
          onConfirm={() => void remove()}
          onCancel={() => setConfirmDelete(false)}
        >
          <p>It is removed from this computer, and from Gaia too where the server allows it. This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
