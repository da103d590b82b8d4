import type { KeychainStatus } from '../../preload/contract';

/**
 * Where a key the user adds now will be kept, as the keychain status says: the wording of
 * every "kept in …" hint follows it, so no hint promises a keychain that is not there.
 * Unknown (status not loaded yet) reads as the keychain, the usual case.
 */
export type KeyPlace = 'keychain' | 'session' | 'unavailable';

export function keyPlace(status: KeychainStatus | null | undefined): KeyPlace {
  if (!status || (status.available && !status.sessionOnly)) return 'keychain';
  return status.sessionOnly ? 'session' : 'unavailable';
}

/** The hint under an API key field. */
export const KEY_FIELD_HINT: Record<KeyPlace, string> = {
  keychain: 'Kept in your system’s keychain, never on disk, and never shown again.',
  session: 'Kept in memory only until Gaia Desktop quits (no keychain is in use), never on disk, and never shown again.',
  unavailable: 'No keychain is usable right now (see above), so the key can only be kept in memory until Gaia Desktop quits. Never on disk, never shown again.',
};
