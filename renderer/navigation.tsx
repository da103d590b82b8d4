/**
 * Which page is open, what one page asks of another (e.g. a suggested question that
 * opens Ask with its dataset selected), and where the user left off: the page, the
 * conversation and the unsent question are kept in settings, so the app reopens there.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { PageName, Resume, Settings } from '../preload/contract';
import { PAGE_NAMES } from '../preload/names';
import { gaia } from './api';
import { queryKeys, settingsQuery } from './queries';

export const PAGES: readonly PageName[] = PAGE_NAMES;
export type Page = PageName;

export interface AskIntent {
  datasetNames: string[];
  question?: string;
}

/** What Ask reopens with, for one profile. */
export interface ResumeAsk {
  conversationId: string | null;
  draft: string;
}

interface Navigation {
  /**
   * False until settings have said which page the user left: the shell draws its rail (and
   * its Version label) meanwhile, and the page area waits, so the first page drawn is that one.
   */
  ready: boolean;
  page: Page;
  go(page: Page): void;
  askIntent: AskIntent | null;
  /** Opens Ask with these datasets (and question) filled in. */
  ask(intent: AskIntent): void;
  takeAskIntent(): AskIntent | null;
  /** The conversation and draft last left open on Ask with this profile, if any. */
  resumeFor(profileId: string): ResumeAsk | null;
  /** Records the open conversation or the draft, so the app reopens with them. */
  remember(profileId: string, patch: Partial<ResumeAsk>): void;
}

const NavigationContext = createContext<Navigation | null>(null);

/** Typing a draft saves at most this often. */
const SAVE_DELAY_MS = 400;

export function NavigationProvider({ initial, children }: { initial: Page; children: ReactNode }) {
  const client = useQueryClient();
  // Settings that answered before React's first render (boot.ts asks before the app
  // evaluates) give the page at once: the first render draws it, without one of nothing first.
  const [answered] = useState(() => client.getQueryData<Settings>(queryKeys.settings)?.resume);
  const [page, setPage] = useState<Page>(answered?.page ?? initial);
  const [askIntent, setAskIntent] = useState<AskIntent | null>(null);
  // False until settings answered: the first page drawn is the one the user left.
  const [ready, setReady] = useState(answered !== undefined);
  const saved = useRef<Resume>(answered ?? { page: initial, profileId: null, conversationId: null, draft: '' });
  const timer = useRef<number | undefined>(undefined);
  // A page chosen in the rail before settings answered: it wins over the one left, and is
  // saved only once the rest of what was left (conversation, draft) is known, not over it.
  const known = useRef(ready);
  const chosen = useRef<Page | null>(null);

  const save = useCallback(
    (patch: Partial<Resume>, at: 'now' | 'soon') => {
      saved.current = { ...saved.current, ...patch };
      window.clearTimeout(timer.current);
      // Where the user is, not what they chose: a failed write only means the app reopens elsewhere.
      const write = () =>
        void gaia.settings.update({ resume: saved.current }).then(
          (next) => client.setQueryData(queryKeys.settings, next),
          () => undefined,
        );
      if (at === 'now') write();
      else timer.current = window.setTimeout(write, SAVE_DELAY_MS);
    },
    [client],
  );

  const go = useCallback(
    (next: Page) => {
      setPage(next);
      if (known.current) save({ page: next }, 'now');
      else chosen.current = next;
    },
    [save],
  );

  useEffect(() => {
    let alive = true;
    const settle = () => {
      known.current = true;
      setReady(true);
      if (chosen.current) save({ page: chosen.current }, 'now');
    };
    // The settings the shell asked for at boot (prefetchShell), not a second read of its own.
    client.fetchQuery({ ...settingsQuery, staleTime: Infinity }).then(
      (s) => {
        if (!alive) return;
        saved.current = s.resume;
        if (!chosen.current) setPage(s.resume.page);
        settle();
      },
      () => alive && settle(),
    );
    return () => {
      alive = false;
    };
  }, [client, save]);

  const resumeFor = useCallback((profileId: string): ResumeAsk | null => {
    const r = saved.current;
    return r.profileId === profileId ? { conversationId: r.conversationId, draft: r.draft } : null;
  }, []);

  const remember = useCallback(
    (profileId: string, patch: Partial<ResumeAsk>) => {
      const r = saved.current;
      const base = r.profileId === profileId ? r : { ...r, profileId, conversationId: null, draft: '' };
      save({ ...base, ...patch }, patch.draft !== undefined ? 'soon' : 'now');
    },
    [save],
  );

  const value = useMemo<Navigation>(
    () => ({
      ready,
      page,
      go,
      askIntent,
      ask(intent) {
        setAskIntent(intent);
        go('ask');
      },
      takeAskIntent() {
        const intent = askIntent;
        if (intent) setAskIntent(null);
        return intent;
      },
      resumeFor,
      remember,
    }),
    [ready, page, go, askIntent, resumeFor, remember],
  );
  return <NavigationContext.Provider value={value}>{children}</NavigationContext.Provider>;
}

export function useNavigation(): Navigation {
  const value = useContext(NavigationContext);
  if (!value) throw new Error('useNavigation outside NavigationProvider');
  return value;
}
