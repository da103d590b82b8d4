/**
 * Ask: the conversations of the active connection beside (or, in a narrow window, over)
 * the open conversation — a centred transcript with the composer under it. Everything is
 * keyed on the active profile, so switching connections shows that connection's history
 * and settings. State lives in hooks/; answers stream through live.ts.
 */
import './ask.css';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { ConversationSummary } from '../../../preload/contract';
import { useNavigation } from '../../navigation';
import { useSession } from '../../session';
import { useCommand, useFind } from '../../ui/commands';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { EmptyState } from '../../ui/EmptyState';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { Composer } from './Composer';
import { ConversationHeader } from './ConversationHeader';
import { ConversationList } from './ConversationList';
import { useComposerData } from './hooks/useComposerData';
import { useConversation } from './hooks/useConversation';
import { useConversationActions } from './hooks/useConversationActions';
import { useConversationList } from './hooks/useConversationList';
import { useListShown } from './hooks/useListShown';
import { useStickToBottom } from './hooks/useStickToBottom';
import { warmUpMarkdown } from './Markdown';
import { PortalContext } from './portal';
import { TurnView } from './TurnView';
import { Welcome } from './Welcome';

export function AskPage() {
  const { active, list } = useSession();
  const { go } = useNavigation();
  if (!list) return null;
  if (!active) {
    return (
      <>
        <h1>Ask</h1>
        <EmptyState
          title={list.profiles.length > 0 ? 'No connection is active' : 'Connect to Gaia first'}
          action={
            <button type="button" className="primary" onClick={() => go('connections')}>
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
  const [intent] = useState(() => navigation.askIntent);
  const composer = useComposerData(intent, profileId);
  const history = useConversationList();
  const { refresh } = history;
  const { adoptDatasets } = composer;
  const conversation = useConversation({
    profileId,
    restore: !intent,
    settings: composer.settings,
    onOpened: useCallback(
      (c) => {
        // Follow-ups go to the datasets this conversation asked.
        const last = c.turns.at(-1);
        if (last?.datasetNames.length) adoptDatasets(last.datasetNames);
      },
      [adoptDatasets],
    ),
    onChanged: refresh,
  });
  const { current, startNew, open, patch } = conversation;
  const [renaming, setRenaming] = useState(false);
  const listId = useId();
  const [listShown, setListShown, narrow] = useListShown();

  const actions = useConversationActions({
    onRenamed: useCallback(
      (id: string, title: string) => {
        patch((c) => (c.id === id ? { ...c, title } : c));
        setRenaming(false);
        refresh();
      },
      [patch, refresh],
    ),
    onDeleted: useCallback(
      (id: string) => {
        if (current?.id === id) startNew();
        refresh();
      },
      [current?.id, startNew, refresh],
    ),
  });

  useEffect(() => warmUpMarkdown(), []);

  useEffect(() => {
    if (intent) navigation.takeAskIntent();
    // Once, at mount: the intent was read into state above.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const ask = (question: string) => {
    const s = composer.settings;
    actions.setNotice(null);
    // What was asked with is what the next question starts from, on this profile.
    composer.saveSettings(s);
    return conversation.ask({ question, datasetNames: s.datasetNames, llmId: s.llmId, languageCode: s.languageCode });
  };

  // A suggested question from the Datasets page is asked at once, once the saved model
  // and language are known.
  const asked = useRef(false);
  useEffect(() => {
    if (asked.current || !intent?.question || !composer.ready) return;
    asked.current = true;
    const s = composer.settings;
    void conversation.ask({ question: intent.question, datasetNames: intent.datasetNames, llmId: s.llmId, languageCode: s.languageCode });
  }, [intent, composer.ready, composer.settings, conversation]);

  const openFromList = (id: string) => {
    setRenaming(false);
    actions.clearError();
    void open(id);
    if (narrow) setListShown(false);
  };
  const questionRef = useRef<HTMLTextAreaElement>(null);
  const newConversation = () => {
    setRenaming(false);
    actions.setNotice(null);
    startNew();
    if (narrow) setListShown(false);
    // Keyboard users land where a new conversation starts.
    questionRef.current?.focus();
  };
  // Ctrl/Cmd+F: the history search. A hidden list opens first; its box is focused once it renders.
  const searchRef = useRef<HTMLInputElement>(null);
  const focusSearchWhenShown = useRef(false);
  useFind(() => {
    if (searchRef.current) {
      searchRef.current.focus();
      searchRef.current.select();
      return;
    }
    focusSearchWhenShown.current = true;
    setListShown(true);
  });
  useEffect(() => {
    if (!listShown || !focusSearchWhenShown.current) return;
    focusSearchWhenShown.current = false;
    searchRef.current?.focus();
  }, [listShown]);

  useCommand('new-conversation', () => {
    newConversation();
    // Coming from another page, the shell focuses this page's heading on the next frame;
    // a new conversation starts in the question box, so focus goes there after it.
    requestAnimationFrame(() => requestAnimationFrame(() => questionRef.current?.focus()));
  });
  useCommand('open-conversation', ({ id }) => openFromList(id));

  const renameFromList = async (c: ConversationSummary) => {
    if (current?.id !== c.id && !(await open(c.id))) return;
    if (narrow) setListShown(false);
    setRenaming(true);
  };

  const [portal, setPortal] = useState<HTMLDivElement | null>(null);
  const busy = conversation.running !== null || conversation.pending !== null;
  const { scrollRef, innerRef, onScroll } = useStickToBottom(current?.id ?? null, busy);
  const turns = current?.turns ?? [];

  return (
    <PortalContext.Provider value={portal}>
      <div className={`ask-page${listShown ? ' list-shown' : ''}${narrow ? ' narrow' : ''}`}>
        <h1 className="sr-only">Ask</h1>
        {listShown && (
          <>
            <ConversationList
              id={listId}
              conversations={history.conversations}
              problems={history.problems}
              query={history.query}
              onQuery={history.setQuery}
              currentId={current?.id ?? null}
              onOpen={openFromList}
              onNew={newConversation}
              onRename={(c) => void renameFromList(c)}
              onExport={(c) => void actions.exportMarkdown(c.id)}
              onDelete={(c, title) => actions.askDelete({ id: c.id, title })}
              historyOff={composer.historyOff}
              notice={actions.notice}
              loading={history.loading}
              searchRef={searchRef}
            />
            {narrow && <div className="conversations-scrim" aria-hidden="true" onClick={() => setListShown(false)} />}
          </>
        )}
        <section className="ask-main" aria-label={current ? `Conversation: ${current.title}` : 'New conversation'}>
          <ConversationHeader
            title={current?.title ?? null}
            renaming={renaming && current !== null}
            onRename={(title) => current && void actions.rename(current.id, title)}
            onCancelRename={() => setRenaming(false)}
            actions={{
              onRename: () => setRenaming(true),
              onExport: () => current && void actions.exportMarkdown(current.id),
              onDelete: () => current && actions.askDelete({ id: current.id, title: current.title }),
            }}
            listShown={listShown}
            listId={listId}
            onToggleList={() => setListShown(!listShown)}
            onNew={newConversation}
          />
          {actions.error && (
            <div className="ask-column">
              <ErrorNotice error={actions.error} />
            </div>
          )}
          <div className="transcript" ref={scrollRef} tabIndex={-1} onScroll={onScroll}>
            <div ref={innerRef} className="transcript-inner ask-column">
              {conversation.openError && <ErrorNotice error={conversation.openError} />}
              {!current && !conversation.pending && !conversation.openError && (
                <Welcome datasetNames={composer.settings.datasetNames} datasets={composer.datasets} disabled={busy} onAsk={(q) => void ask(q)} />
              )}
              {turns.map((turn, i) => (
                <TurnView key={turn.id} turn={turn} index={i} latest={i === turns.length - 1 && !conversation.pending} busy={busy} actions={conversation.actions} />
              ))}
              {conversation.pending && (
                <article className="turn pending" aria-label="Sending question">
                  <header className="turn-question">
                    <p className="question-text">{conversation.pending}</p>
                  </header>
                  <p className="muted">Sending…</p>
                </article>
              )}
            </div>
          </div>
          <div className="ask-column composer-column">
            {conversation.askError && <ErrorNotice error={conversation.askError} />}
            <Composer
              key={profileId}
              profileId={profileId}
              savedDraft={navigation.resumeFor(profileId)?.draft ?? null}
              onDraft={(draft) => navigation.remember(profileId, { draft })}
              settings={composer.settings}
              onSettings={composer.saveSettings}
              datasets={composer.datasets}
              datasetNote={composer.datasetNote}
              llms={composer.llms}
              llmNote={composer.llmNote}
              running={conversation.running !== null}
              onAsk={ask}
              onStop={conversation.stop}
              inputRef={questionRef}
            />
          </div>
        </section>
        {actions.confirmDelete && (
          <ConfirmDialog
            title={`Delete “${actions.confirmDelete.title}”?`}
            confirmLabel="Delete conversation"
            danger
            onConfirm={() => void actions.remove()}
            onCancel={() => actions.askDelete(null)}
          >
            <p>It is removed from this computer, and from Gaia too where the server allows it. This cannot be undone.</p>
          </ConfirmDialog>
        )}
        <div ref={setPortal} className="ask-portal" />
      </div>
    </PortalContext.Provider>
  );
}
