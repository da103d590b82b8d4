/**
 * The connection profiles as the whole renderer sees them: the list, the active one, and
 * a refresh that any page calls after changing them. Pages that show Gaia data key their
 * state on the active profile's id, so switching profiles needs no restart.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { AppErrorInfo, Profile, Response } from '../preload/contract';
import { GaiaError } from '../preload/contract';
import { gaia } from './api';

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
  const [list, setList] = useState<ProfileList | null>(null);
  const [error, setError] = useState<AppErrorInfo | null>(null);

  const refresh = useCallback(
    () =>
      gaia.profiles.list({}).then(
        (next) => {
          setList(next);
          setError(null);
        },
        (err: unknown) => {
          if (err instanceof GaiaError) setError(err.info);
          else throw err;
        },
      ),
    [],
  );
  useEffect(() => {
    void refresh();
  }, [refresh]);

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
