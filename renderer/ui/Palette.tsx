/**
 * The command palette (Ctrl/Cmd+K): pages, actions, connections, conversations and the
 * datasets already loaded, searched as you type. A modal dialog: focus stays inside and
 * goes back where it was on Escape; choosing a page moves focus to that page instead.
 */
import { Command } from 'cmdk';
import { Database, MessageSquare, MessageSquarePlus, Search, Server } from 'lucide-react';
import { Dialog } from 'radix-ui';
import { useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import type { Profile } from '../../preload/contract';
import { datasetsStore } from '../features/datasets/store';
import { PAGES, type Page } from '../navigation';
import { useConversations } from '../queries';
import { PAGE_ICONS, PAGE_LABELS, shortcutLabel } from './pages';
import { fold } from './fold';

/** Enough to find something by typing; the full lists live on their pages. */
const MAX_ITEMS = 50;

/** Keeps two items with the same label apart (two conversations with one title) without the id being searched. */
const ID_MARK = '\u0000';
const withId = (label: string, id: string) => `${label}${ID_MARK}${id}`;


/**
 * Ranks what the user typed as they mean it: a label that starts with it, then a word that
 * does, then the text anywhere in the label, then in its keywords. cmdk's default (letters
 * in order, anywhere) put "Open settings" first for "tra".
 */
export function paletteScore(value: string, search: string, keywords: string[] = []): number {
  const q = fold(search.trim());
  if (!q) return 1;
  const label = fold(value.split(ID_MARK)[0]);
  if (label.startsWith(q)) return 1;
  if (label.split(/[\s/\-–—_(]+/).some((w) => w.startsWith(q))) return 0.8;
  if (label.includes(q)) return 0.6;
  if (keywords.some((k) => fold(k).includes(q))) return 0.4;
  return 0;
}

export interface PaletteActions {
  go(page: Page): void;
  newConversation(): void;
  openConversation(id: string): void;
  openDataset(name: string): void;
  find: (() => void) | null;
  activate(profile: Profile): Promise<void>;
}

function Item({ value, keywords, onSelect, icon, children, shortcut, badge }: { value: string; keywords?: string[]; onSelect: () => void; icon: ReactNode; children: ReactNode; shortcut?: string; badge?: string }) {
  return (
    <Command.Item value={value} keywords={keywords} onSelect={onSelect}>
      {icon}
      <span>{children}</span>
      {badge && <span className="badge palette-badge">{badge}</span>}
      {shortcut && <kbd className="kbd">{shortcut}</kbd>}
    </Command.Item>
  );
}

export function Palette({
  open,
  onOpenChange,
  actions,
  profiles,
  activeId,
  returnFocus,
}: {
  returnFocus: { current: HTMLElement | null };
  open: boolean;
  onOpenChange(open: boolean): void;
  actions: PaletteActions;
  profiles: Profile[];
  activeId: string | null;
}) {
  const [search, setSearch] = useState('');
  // Set when the choice moves focus itself (to a page heading), so the dialog does not return it.
  const movesFocus = useRef(false);
  const conversations = useConversations(activeId, '', open);
  const datasets = useSyncExternalStore(datasetsStore.subscribe, datasetsStore.getSnapshot);
  const datasetNames = useMemo(() => {
    if (!open || datasets.profileId !== activeId) return [];
    const all = datasets.full?.list.datasets ?? [];
    const q = search.trim().toLowerCase();
    const out: string[] = [];
    for (const d of all) {
      if (q && !d.name.toLowerCase().includes(q)) continue;
      out.push(d.name);
      if (out.length >= MAX_ITEMS) break;
    }
    return out;
  }, [open, datasets, activeId, search]);

  const run = (action: () => void, focusMoves = true) => {
    movesFocus.current = focusMoves;
    onOpenChange(false);
    setSearch('');
    action();
  };

  return (
    <Dialog.Root
      open={open}
      onOpenChange={(next) => {
        if (!next) setSearch('');
        else movesFocus.current = false;
        onOpenChange(next);
      }}
    >
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content
          className="dialog palette"
          aria-describedby={undefined}
          onCloseAutoFocus={(event) => {
            // There is no trigger element (a shortcut opens it): focus goes back where it was, unless the choice moved it.
            event.preventDefault();
            if (!movesFocus.current && returnFocus.current?.isConnected) returnFocus.current.focus();
          }}
        >
          <Dialog.Title className="sr-only">Command palette</Dialog.Title>
          <Command label="Command palette" loop filter={paletteScore}>
            <Command.Input value={search} onValueChange={setSearch} placeholder="Type a command, a page, a conversation or a dataset…" />
            <Command.List>
              <Command.Empty>Nothing matches “{search}”.</Command.Empty>
              <Command.Group heading="Actions">
                <Item value="New conversation" keywords={['ask', 'question', 'chat']} icon={<MessageSquarePlus size={16} aria-hidden />} shortcut={shortcutLabel('N')} onSelect={() => run(actions.newConversation)}>
                  New conversation
                </Item>
                {actions.find && (
                  <Item value="Search this page" keywords={['find', 'filter']} icon={<Search size={16} aria-hidden />} shortcut={shortcutLabel('F')} onSelect={() => run(actions.find!)}>
                    Search this page
                  </Item>
                )}
              </Command.Group>
              <Command.Group heading="Go to">
                {PAGES.map((page, i) => {
                  const Icon = PAGE_ICONS[page];
                  return (
                    <Item
                      key={page}
                      value={`Go to ${PAGE_LABELS[page]}`}
                      keywords={[PAGE_LABELS[page], ...(page === 'settings' ? ['preferences', 'theme', 'about'] : [])]}
                      icon={<Icon size={16} aria-hidden />}
                      // Settings has the shortcut desktop apps give it; the others their number.
                      shortcut={page === 'settings' ? shortcutLabel(',') : shortcutLabel(String(i + 1))}
                      onSelect={() => run(() => actions.go(page))}
                    >
                      Go to {PAGE_LABELS[page]}
                    </Item>
                  );
                })}
              </Command.Group>
              {profiles.length > 0 && (
                <Command.Group heading="Connections">
                  {profiles.map((p) => (
                    <Item
                      key={p.id}
                      value={withId(p.name, p.id)}
                      keywords={[p.baseUrl, 'connection', 'switch']}
                      badge={p.id === activeId ? 'Active' : undefined}
                      icon={<Server size={16} aria-hidden />}
                      onSelect={() => run(() => void actions.activate(p), false)}
                    >
                      {p.id === activeId ? p.name : `Switch to ${p.name}`}
                    </Item>
                  ))}
                </Command.Group>
              )}
              {(conversations.data?.conversations.length ?? 0) > 0 && (
                <Command.Group heading="Conversations">
                  {conversations.data!.conversations.slice(0, MAX_ITEMS).map((c) => (
                    <Item key={c.id} value={withId(c.title, c.id)} keywords={['conversation']} icon={<MessageSquare size={16} aria-hidden />} onSelect={() => run(() => actions.openConversation(c.id))}>
                      {c.title}
                    </Item>
                  ))}
                </Command.Group>
              )}
              {datasetNames.length > 0 && (
                <Command.Group heading="Datasets">
                  {datasetNames.map((name) => (
                    <Item key={name} value={withId(name, 'dataset')} keywords={['dataset']} icon={<Database size={16} aria-hidden />} onSelect={() => run(() => actions.openDataset(name))}>
                      {name}
                    </Item>
                  ))}
                </Command.Group>
              )}
            </Command.List>
          </Command>
          <div className="palette-hint" aria-hidden="true">
            <span>↑↓ to move</span>
            <span>Enter to choose</span>
            <span>Esc to close</span>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
