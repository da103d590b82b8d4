/**
 * A list beside its detail (Ask's conversations beside the transcript). The list can be
 * collapsed, and stays so across restarts; below ~1000 px only one of the two shows, and
 * the toggle switches between them. The page renders both parts itself:
 *
 *   <SplitView listLabel="Conversations" list={<ConversationList …/>}>{transcript}</SplitView>
 */
import { PanelLeftClose, PanelLeftOpen } from 'lucide-react';
import { useEffect, useId, useState, type ReactNode } from 'react';

const STORE_KEY = 'gaia.split.collapsed';

export function useCollapsed(id: string): [boolean, (next: boolean) => void] {
  const key = `${STORE_KEY}.${id}`;
  const [collapsed, setCollapsed] = useState(() => localStorage.getItem(key) === '1');
  useEffect(() => {
    localStorage.setItem(key, collapsed ? '1' : '0');
  }, [key, collapsed]);
  return [collapsed, setCollapsed];
}

export function SplitView({ id = 'ask', listLabel, list, children, toolbar }: { id?: string; listLabel: string; list: ReactNode; children: ReactNode; toolbar?: ReactNode }) {
  const [collapsed, setCollapsed] = useCollapsed(id);
  const listId = useId();
  return (
    <div className="split-view" data-collapsed={collapsed}>
      <aside className="split-list" id={listId} aria-label={listLabel}>
        {list}
      </aside>
      <div className="split-main">
        <div className="row split-toolbar">
          <button
            type="button"
            className="quiet icon split-toggle"
            aria-controls={listId}
            aria-expanded={!collapsed}
            onClick={() => setCollapsed(!collapsed)}
            title={collapsed ? `Show ${listLabel.toLowerCase()}` : `Hide ${listLabel.toLowerCase()}`}
          >
            {collapsed ? <PanelLeftOpen size={18} aria-hidden /> : <PanelLeftClose size={18} aria-hidden />}
            <span className="sr-only">{listLabel}</span>
          </button>
          {toolbar}
        </div>
        {children}
      </div>
    </div>
  );
}
