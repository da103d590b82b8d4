/**
 * What a command gets: where to write, and the core — started on first use, over the
 * data dir and keychain the app uses, and closed (history flushed, keychain worker
 * ended) when the command is done. `withProfile` runs a command as the chosen
 * connection (`--profile`, else the app's active one) without changing the app's.
 */
import type { AskOrigin } from '../../preload/contract';
import type { Core } from '../core/core';
import { createCaller, type Caller } from '../core/local/caller';
import { asProfile, findProfile } from '../core/connections/profile-scope';
import type { StoredProfile } from '../core/connections/profiles';
import { startHeadlessCore, type CoreLocation } from './headless-core';
import type { CliIo } from './io';

export interface GlobalOptions {
  profile?: string;
  dataDir?: string;
  keychainService?: string;
}

export interface Session {
  core: Core;
  call: Caller;
}

export interface CliContext {
  io: CliIo;
  /** The version the app reports. */
  version: string;
  start(origin?: AskOrigin): Promise<Session>;
  withProfile<T>(run: (session: Session & { profile: StoredProfile }) => Promise<T>): Promise<T>;
  /** The global --profile, when given. */
  profileOption(): string | undefined;
  close(): Promise<void>;
}

export function createContext(io: CliIo, defaults: CoreLocation, globals: () => GlobalOptions): CliContext {
  let session: Promise<Session> | null = null;
  const ctx: CliContext = {
    io,
    version: defaults.version,
    start(origin = 'cli') {
      session ??= (async () => {
        const g = globals();
        const core = await startHeadlessCore(
          { ...defaults, dataDir: g.dataDir ?? defaults.dataDir, keychainService: g.keychainService ?? defaults.keychainService },
          origin,
        );
        return { core, call: createCaller(core.dispatch) };
      })();
      return session;
    },
    async withProfile(run) {
      const s = await ctx.start();
      const profile = await findProfile(s.core.services.profiles, globals().profile);
      return asProfile(profile.id, () => run({ ...s, profile }));
    },
    profileOption: () => globals().profile,
    async close() {
      if (!session) return;
      const s = await session.catch(() => null);
      session = null;
      await s?.core.close();
    },
  };
  return ctx;
}
