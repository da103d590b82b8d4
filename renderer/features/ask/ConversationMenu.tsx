/**
 * A conversation's actions, the same in its "⋯" menu (the open conversation's header)
 * and its context menu (right-click or the context-menu key on the list or the header).
 */
import type { ReactNode } from 'react';
import { ContextMenu, DropdownMenu } from 'radix-ui';
import { Download, MoreHorizontal, Pencil, Trash2 } from 'lucide-react';
import { usePortal } from './portal';

export interface ConversationMenuActions {
  onRename(): void;
  onExport(): void;
  onDelete(): void;
}

type Kit = typeof DropdownMenu | typeof ContextMenu;

function Items({ kit: M, actions }: { kit: Kit; actions: ConversationMenuActions }) {
  return (
    <>
      <M.Item className="menu-item" onSelect={actions.onRename}>
        <Pencil size={15} aria-hidden="true" /> Rename
      </M.Item>
      <M.Item className="menu-item" onSelect={actions.onExport}>
        <Download size={15} aria-hidden="true" /> Export as Markdown
      </M.Item>
      <M.Separator className="menu-separator" />
      <M.Item className="menu-item danger" onSelect={actions.onDelete}>
        <Trash2 size={15} aria-hidden="true" /> Delete
      </M.Item>
    </>
  );
}

export function ConversationMoreMenu({ title, actions }: { title: string; actions: ConversationMenuActions }) {
  const container = usePortal();
  return (
    <DropdownMenu.Root modal={false}>
      <DropdownMenu.Trigger asChild>
        <button type="button" className="icon-button more-button" aria-label={`Actions for “${title}”`} title="Conversation actions">
          <MoreHorizontal size={18} aria-hidden="true" />
        </button>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal container={container}>
        <DropdownMenu.Content className="menu" align="end" sideOffset={4} aria-label="Conversation actions">
          <Items kit={DropdownMenu} actions={actions} />
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}

export function ConversationContextMenu({ actions, children }: { actions: ConversationMenuActions; children: ReactNode }) {
  const container = usePortal();
  return (
    <ContextMenu.Root modal={false}>
      <ContextMenu.Trigger asChild>{children}</ContextMenu.Trigger>
      <ContextMenu.Portal container={container}>
        <ContextMenu.Content className="menu" aria-label="Conversation actions">
          <Items kit={ContextMenu} actions={actions} />
        </ContextMenu.Content>
      </ContextMenu.Portal>
    </ContextMenu.Root>
  );
}
