/**
 * The connection profiles as the whole renderer sees them: the list, the active one, and
 * a refresh that any page calls after changing them. Pages that show Gaia data key their
 * state on the active profile's id, so switching profiles needs no restart. The list
 * lives in the query cache (queryKeys.profiles), so whatever refreshes it, every page sees it.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useMemo, type ReactNode } from 'react';
import type { AppErrorInfo, Profile, Response } from '../preload/contract';
import { GaiaError } from '../preload/gaia-error';
import { gaia } from './api';
import { queryKeys } from './queries';

type ProfileList = Response<'gaia:profiles.list'>;

interface Session {
  /** Null until the first load answered. */
  list: ProfileList | null;
  active: Profile | null;
  error: AppErrorInfo | null;
  refresh(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const query = useQuery({ queryKey: queryKeys.profiles, queryFn: () => gaia.profiles.list({}), staleTime: Infinity });
  const refresh = useCallback(async () => {
    await client.refetchQueries({ queryKey: queryKeys.profiles, exact: true });
  }, [client]);
  const list = query.data ?? null;
  const failure = query.error;
  if (failure && !(failure instanceof GaiaError)) throw failure;
  const error = failure instanceof GaiaError ? failure.info : null;

  const value = useMemo<Session>(
    () => ({ list, active: list?.profiles.find((p) => p.id === list.activeId) ?? null, error, refresh }),
    [list, error, refresh],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
