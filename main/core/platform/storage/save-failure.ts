/** Why a file could not be saved, in the user's words: one wording for every store. */
import { AppError, appError } from '../../errors';

/**
 * A 'storage' AppError for a failed write of `what` ("your profiles"), naming the folder
 * to check; `after` adds what happens meanwhile. An AppError passes through unchanged.
 */
export function saveFailure(what: string, folder: string, err: unknown, after?: string): AppError {
  if (err instanceof AppError) return err;
  const code = (err as NodeJS.ErrnoException)?.code;
  const why = code === 'ENOSPC' ? 'the disk is full' : code === 'EACCES' || code === 'EPERM' ? 'permission was denied' : code === 'EROFS' ? 'the disk is read-only' : 'writing the file failed';
  const action = `Free some disk space or check the permissions of ${folder}, then try again.${after ? ` ${after}` : ''}`;
  return appError('storage', `Gaia Desktop could not save ${what} because ${why}.`, action, {}, err);
}
