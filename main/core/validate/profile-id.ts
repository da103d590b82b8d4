/**
 * What can be a profile id: the one rule for the keychain, the history and the caches.
 * Profile ids are made here (UUIDs) and also name files and keychain entries, so the
 * rule is the file-name-safe one, and an id that breaks it cannot be one of ours.
 */
import { appError } from '../errors';

/** An id that is safe as a file name: letters, digits, _ and -, 1 to 128 of them. */
export const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** Throws AppError 'no-such-profile' for anything that cannot be a profile id. */
export function checkProfileId(profileId: string): void {
  if (typeof profileId !== 'string' || !SAFE_ID.test(profileId)) {
    throw appError('no-such-profile', 'That profile does not exist.', 'Choose a profile from the list.');
  }
}
