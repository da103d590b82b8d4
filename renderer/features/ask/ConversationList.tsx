/**
 * The history of the active connection: search (full text over questions and answers,
 * in main), a new conversation, and the list, newest first.
 */
import type { ConversationSummary, Response } from '../../../preload/contract';
import { formatShort } from './format';

type Problems = Response<'gaia:history.list'>['problems'];

export function ConversationList({
  conversations,
  problems,
  query,
  onQuery,
  currentId,
  onOpen,
  onNew,
  historyOff,
  notice,
  loading,
}: {
  conversations: ConversationSummary[] | null;
  problems: Problems;
  query: string;
  onQuery: (query: string) => void;
  currentId: string | null;
  onOpen: (id: string) => void;
  onNew: () => void;
  historyOff: boolean;
  notice: string | null;
  loading: boolean;
}) {
  return (
    <nav className="conversations" aria-label="Conversations">
      <div className="conversations-top">
        <button type="button" className="primary new-conversation" onClick={onNew}>
          New conversation
        </button>
        <input
          type="search"
          aria-label="Search history"
          placeholder="Search questions and answers"
          value={query}
          onChange={(e) => onQuery(e.target.value)}
        />
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
          {conversations.map((c) => (
            <li key={c.id}>
              <button type="button" className="conversation-item" aria-current={c.id === currentId ? 'true' : undefined} onClick={() => onOpen(c.id)}>
                <span className="conversation-title">{c.title}</span>
                <span className="conversation-meta">
                  {formatShort(c.updatedAt)} · {c.turnCount} question{c.turnCount === 1 ? '' : 's'}
                  {c.datasetNames.length ? ` · ${c.datasetNames.slice(0, 2).join(', ')}${c.datasetNames.length > 2 ? ` +${c.datasetNames.length - 2}` : ''}` : ''}
                  {c.origin && <span className="conversation-via">via {c.origin === 'cli' ? 'CLI' : 'MCP'}</span>}
                </span>
                {c.match && <span className="conversation-match">{c.match}</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
    </nav>
  );
}
