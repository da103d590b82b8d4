/**
 * The bar over the transcript: the conversation list's toggle, the open conversation's
 * title (or the rename box) and its "⋯" menu.
 */
import { useState } from 'react';
import { PanelLeftClose, PanelLeftOpen, SquarePen } from 'lucide-react';
import { ConversationContextMenu, ConversationMoreMenu, type ConversationMenuActions } from './ConversationMenu';

export function ConversationHeader({
  title,
  renaming,
  onRename,
  onCancelRename,
  actions,
  listShown,
  listId,
  onToggleList,
  onNew,
}: {
  /** Null for a new conversation. */
  title: string | null;
  renaming: boolean;
  onRename(title: string): void;
  onCancelRename(): void;
  actions: ConversationMenuActions;
  listShown: boolean;
  listId: string;
  onToggleList(): void;
  onNew(): void;
}) {
  return (
    <header className="conversation-header">
      {/* The list's controls stay at the window's edge, like a sidebar's; the title and its
          menu sit over the transcript's column, so at 1920 px they line up with the answer. */}
      <div className="conversation-header-tools">
        <button
          type="button"
          className="icon-button list-toggle"
          aria-expanded={listShown}
          aria-controls={listId}
          aria-label={listShown ? 'Hide conversations' : 'Show conversations'}
          title={listShown ? 'Hide conversations' : 'Show conversations'}
          onClick={onToggleList}
        >
          {listShown ? <PanelLeftClose size={18} aria-hidden="true" /> : <PanelLeftOpen size={18} aria-hidden="true" />}
        </button>
        {!listShown && (
          <button type="button" className="icon-button" aria-label="New conversation" title="New conversation" onClick={onNew}>
            <SquarePen size={18} aria-hidden="true" />
          </button>
        )}
      </div>
      <div className="conversation-header-main">
        {title === null ? (
          <h2 className="conversation-title-heading muted">New conversation</h2>
        ) : renaming ? (
          <RenameForm title={title} onRename={onRename} onCancel={onCancelRename} />
        ) : (
          <>
            <ConversationContextMenu actions={actions}>
              <h2 className="conversation-title-heading" title={title}>
                {title}
              </h2>
            </ConversationContextMenu>
            <ConversationMoreMenu title={title} actions={actions} />
          </>
        )}
      </div>
    </header>
  );
}

function RenameForm({ title, onRename, onCancel }: { title: string; onRename(title: string): void; onCancel(): void }) {
  const [text, setText] = useState(title);
  return (
    <form
      className="rename"
      onSubmit={(e) => {
        e.preventDefault();
        if (text.trim()) onRename(text.trim());
      }}
    >
      <input
        aria-label="Conversation title"
        value={text}
        maxLength={200}
        autoFocus
        onFocus={(e) => e.currentTarget.select()}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            onCancel();
          }
        }}
      />
      <button type="submit" className="primary" disabled={!text.trim()}>
        Save title
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}
