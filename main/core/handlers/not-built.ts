import type { Channel } from '../../../preload/contract';
import type { Handlers } from '../dispatch';
import { appError } from '../errors';

/** Channels whose feature has not landed yet answer with a clear, typed refusal. */
export function notBuiltYet<C extends Channel>(...names: C[]): Handlers<C> {
  return Object.fromEntries(
    names.map((name) => [
      name,
      async () => {
        throw appError('unsupported', 'This part of Gaia Desktop is not built yet.', 'Use a newer version of the app.');
      },
    ]),
  ) as unknown as Handlers<C>;
}
