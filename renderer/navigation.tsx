/**
 * Which page is open, and what one page asks of another (e.g. a suggested question that
 * opens Ask with its dataset selected).
 */
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';

export const PAGES = ['connections', 'datasets', 'ask', 'keys', 'settings'] as const;
export type Page = (typeof PAGES)[number];

export interface AskIntent {
  datasetNames: string[];
  question?: string;
}

interface Navigation {
  page: Page;
  go(page: Page): void;
  askIntent: AskIntent | null;
  /** Opens Ask with these datasets (and question) filled in. */
  ask(intent: AskIntent): void;
  takeAskIntent(): AskIntent | null;
}

const NavigationContext = createContext<Navigation | null>(null);

export function NavigationProvider({ initial, children }: { initial: Page; children: ReactNode }) {
  const [page, setPage] = useState<Page>(initial);
  const [askIntent, setAskIntent] = useState<AskIntent | null>(null);
  const value = useMemo<Navigation>(
    () => ({
      page,
      go: setPage,
      askIntent,
      ask(intent) {
        setAskIntent(intent);
        setPage('ask');
      },
      takeAskIntent() {
        const intent = askIntent;
        if (intent) setAskIntent(null);
        return intent;
      },
    }),
    [page, askIntent],
  );
  return <NavigationContext.Provider value={value}>{children}</NavigationContext.Provider>;
}

export function useNavigation(): Navigation {
  const value = useContext(NavigationContext);
  if (!value) throw new Error('useNavigation outside NavigationProvider');
  return value;
}
