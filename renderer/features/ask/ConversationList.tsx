/**
 * The history of the active connection: search (full text over questions and answers,
 * in main), a new conversation, and the list, newest first. Titles that repeat are told
 * apart by when they started; each item has a context menu with the conversation's actions.
 */
import { useMemo, type Ref } from 'react';
import { SquarePen } from 'lucide-react';
import type { ConversationSummary } from '../../../preload/contract';
import { ConversationContextMenu } from './ConversationMenu';
import { distinctTitles, formatShort } from './format';
import type { Problems } from './hooks/useConversationList';

export function ConversationList({
  id,
  conversations,
  problems,
  query,
  onQuery,
  currentId,
  onOpen,
  onNew,
  onRename,
  onExport,
  onDelete,
  historyOff,
  notice,
  loading,
  searchRef,
}: {
  id: string;
  conversations: ConversationSummary[] | null;
  problems: Problems;
  query: string;
  onQuery: (query: string) => void;
  currentId: string | null;
  onOpen: (id: string) => void;
  onNew: () => void;
  onRename: (c: ConversationSummary) => void;
  onExport: (c: ConversationSummary) => void;
  onDelete: (c: ConversationSummary, title: string) => void;
  historyOff: boolean;
  notice: string | null;
  loading: boolean;
  /** Ctrl/Cmd+F lands here. */
  searchRef?: Ref<HTMLInputElement>;
}) {
  const titles = useMemo(() => distinctTitles(conversations ?? []), [conversations]);
  return (
    <nav className="conversations" aria-label="Conversations" id={id}>
      <div className="conversations-top">
        <button type="button" className="new-conversation" onClick={onNew}>
          <SquarePen size={16} aria-hidden="true" /> New conversation
        </button>
        <input ref={searchRef} type="search" aria-label="Search history" placeholder="Search conversations" value={query} onChange={(e) => onQuery(e.target.value)} />
      </div>
      {historyOff && <p className="muted small history-off">History is off (Settings): conversations are kept only until you quit.</p>}
      {notice && (
        <p className="list-notice" role="status">
          {notice}
        </p>
      )}
      {problems.length > 0 && (
        <div className="list-problems" role="alert">
          {problems.map((p) => (
            <p key={p.file}>{p.message}</p>
          ))}
        </div>
      )}
      {conversations && conversations.length === 0 && (
        <p className="muted small empty-list" role="status">
          {query.trim() ? `Nothing in the history matches “${query.trim()}”.` : 'No conversations yet. Ask a question to start one.'}
        </p>
      )}
      {conversations && conversations.length > 0 && (
        <ul className="conversation-list" aria-busy={loading}>
          {conversations.map((c) => {
            const title = titles.get(c.id) ?? c.title;
            return (
              <li key={c.id}>
                <ConversationContextMenu actions={{ onRename: () => onRename(c), onExport: () => onExport(c), onDelete: () => onDelete(c, title) }}>
                  <button type="button" className="conversation-item" aria-current={c.id === currentId ? 'true' : undefined} onClick={() => onOpen(c.id)}>
                    <span className="conversation-title">{title}</span>
                    <span className="conversation-meta">
                      {formatShort(c.updatedAt)} · {c.turnCount} question{c.turnCount === 1 ? '' : 's'}
                      {c.datasetNames.length ? ` · ${c.datasetNames.slice(0, 2).join(', ')}${c.datasetNames.length > 2 ? ` +${c.datasetNames.length - 2}` : ''}` : ''}
                      {c.origin && <span className="conversation-via">via {c.origin === 'cli' ? 'CLI' : 'MCP'}</span>}
                    </span>
                    {c.match && <span className="conversation-match">{c.match}</span>}
                  </button>
                </ConversationContextMenu>
              </li>
            );
          })}
        </ul>
      )}
    </nav>
  );
}
