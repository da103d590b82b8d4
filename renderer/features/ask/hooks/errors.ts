import type { AppErrorInfo } from '../../../../preload/contract';
import { GaiaError } from '../../../../preload/contract';

/** What the page shows for a failed call: main's own words, or a plain fallback. */
export function infoOf(err: unknown): AppErrorInfo {
  if (err instanceof GaiaError) return err.info;
  return { kind: 'internal', message: 'Something went wrong in the window.', action: 'Try again. If it keeps happening, reload the window.' };
}
