/**
 * Errors that cross the bridge. A handler throws AppError with what happened and what to
 * do, in the user's words; anything else becomes a generic "internal" error whose details
 * go to the log only.
 */
import type { AppErrorInfo, ErrorKind } from '../../preload/contract';

export class AppError extends Error {
  readonly info: AppErrorInfo;
  constructor(info: AppErrorInfo, options?: { cause?: unknown }) {
    super(info.message, options);
    this.name = 'AppError';
    this.info = info;
  }
}

export function appError(
  kind: ErrorKind,
  message: string,
  action: string,
  extra: Omit<Partial<AppErrorInfo>, 'kind' | 'message' | 'action'> = {},
  cause?: unknown,
): AppError {
  return new AppError({ kind, message, action, ...extra }, { cause });
}

export function isAbortError(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || (err as { code?: unknown }).code === 'ABORT_ERR');
}

export function toErrorInfo(err: unknown): AppErrorInfo {
  if (err instanceof AppError) return err.info;
  if (isAbortError(err)) return { kind: 'aborted', message: 'The request was cancelled.', action: 'Try again when you are ready.' };
  return {
    kind: 'internal',
    message: 'Something went wrong inside Gaia Desktop.',
    action: 'Try again. If it keeps happening, use Settings → Copy diagnostics and send them to your administrator.',
  };
}
