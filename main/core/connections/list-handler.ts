/**
 * profiles.list on its own: the shell's first frame asks for it, so the core's cheap part
 * answers it (core.ts) from the same profile store the rest is later assembled over. It
 * needs only the store and the CA summary, never the keychain or a Gaia client.
 */
import type { Handler } from '../dispatch';
import { summarizePem } from '../gaia/certificates';
import type { ProfileStore } from './profiles';
import { toPublic } from './profiles';

export function profilesListHandler(profiles: ProfileStore): Handler<'gaia:profiles.list'> {
  return async () => {
    const loaded = await profiles.load();
    return { profiles: loaded.profiles.map((p) => toPublic(p, summarizePem)), activeId: loaded.activeId, problems: loaded.problems };
  };
}
