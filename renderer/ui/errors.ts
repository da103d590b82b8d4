/**
 * The one place that turns what a call threw into what the UI shows. A GaiaError carries
 * the core's own words; anything else is a bug in the renderer, said plainly rather than
 * shown raw. A 401 after the date the user set for the key to expire says "expired".
 */
import type { AppErrorInfo, Profile } from '../../preload/contract';
import { GaiaError } from '../../preload/gaia-error';

export function toProblem(err: unknown, profile?: Profile | null, now = Date.now()): AppErrorInfo {
  if (err instanceof GaiaError) return explainExpiry(err.info, profile, now);
  return {
    kind: 'internal',
    message: 'Something went wrong inside Gaia Desktop.',
    action: 'Try again. If it keeps happening, copy the diagnostics from Settings and report it.',
  };
}

/** True when a key with this expiry date (ms, local midnight) has passed it. */
export const hasExpired = (expiresAt: number | null | undefined, now = Date.now()): boolean => expiresAt != null && now >= expiresAt;

function explainExpiry(info: AppErrorInfo, profile: Profile | null | undefined, now: number): AppErrorInfo {
  const expiresAt = profile?.keyExpiresAt;
  if (info.kind !== 'unauthorized' || !hasExpired(expiresAt, now)) return info;
  const day = new Date(expiresAt!).toLocaleDateString(undefined, { dateStyle: 'long' });
  return {
    ...info,
    message: `Gaia refused the key of “${profile!.name}”: it expired on ${day}.`,
    action: 'Create a new key in Gaia (or rotate it on the Keys page) and paste it under Connections → Replace key.',
  };
}
