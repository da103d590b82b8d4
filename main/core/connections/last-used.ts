/**
 * "Last used" on a connection's card: when Gaia last answered a call made with its key
 * (a 2xx: the key was accepted; the client says so, ClientDeps.onAnswered). Calls
 * come in bursts (a page asks for datasets, topics and models at once; every answer is a
 * call), so the profiles file is written at most once per profile per interval: the card
 * reads in days, and a write per call would rewrite the file for nothing.
 */

/** The first success writes at once; later ones only once this much has passed. */
export const USE_WRITE_INTERVAL_MS = 5 * 60_000;

export interface UseRecorder {
  /** A call with this profile's key succeeded. */
  used(profileId: string): void;
  /** Forgets when the profile was last written (it is gone, or its record was replaced). */
  forget(profileId: string): void;
}

export function createUseRecorder(touch: (profileId: string) => Promise<unknown>, options: { intervalMs?: number; now?: () => number } = {}): UseRecorder {
  const { intervalMs = USE_WRITE_INTERVAL_MS, now = Date.now } = options;
  const written = new Map<string, number>();
  return {
    used(profileId) {
      const at = now();
      const last = written.get(profileId);
      if (last !== undefined && at - last < intervalMs) return;
      written.set(profileId, at);
      // A profile removed while its call was in flight has nothing to mark; the call itself went fine.
      touch(profileId).catch(() => written.delete(profileId));
    },
    forget(profileId) {
      written.delete(profileId);
    },
  };
}
