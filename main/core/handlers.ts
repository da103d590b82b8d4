/**
 * The one handler table: every channel of the contract maps to its implementation here.
 * The type makes a missing or misspelt channel a compile error.
 */
import type { Channel } from '../../preload/contract';
import type { HandlerTable, Handlers } from './dispatch';
import { appError } from './errors';
import { appHandlers } from './handlers/app';
import type { Services } from './services';

/** Channels whose feature has not landed yet answer with a clear, typed refusal. */
function notBuiltYet<C extends Channel>(...names: C[]): Handlers<C> {
  return Object.fromEntries(
    names.map((name) => [
      name,
      async () => {
        throw appError('unsupported', 'This part of Gaia Desktop is not built yet.', 'Use a newer version of the app.');
      },
    ]),
  ) as unknown as Handlers<C>;
}

export function createHandlerTable(s: Services): HandlerTable {
  return {
    ...appHandlers(s),
    ...notBuiltYet(
      'gaia:keychain.status',
      'gaia:keychain.useSessionOnly',
      'gaia:profiles.list',
      'gaia:profiles.checkUrl',
      'gaia:profiles.inspectCa',
      'gaia:profiles.connect',
      'gaia:profiles.update',
      'gaia:profiles.activate',
      'gaia:profiles.delete',
      'gaia:profiles.replaceKey',
      'gaia:profiles.forgetKey',
      'gaia:datasets.list',
      'gaia:datasets.cancel',
      'gaia:datasets.details',
      'gaia:datasets.stats',
      'gaia:datasets.topics',
      'gaia:datasets.topicSummary',
      'gaia:llms.list',
      'gaia:ask.start',
      'gaia:ask.cancel',
      'gaia:ask.exhaustive',
      'gaia:ask.feedback',
      'gaia:composer.get',
      'gaia:composer.save',
      'gaia:history.list',
      'gaia:history.get',
      'gaia:history.rename',
      'gaia:history.delete',
      'gaia:history.export',
      'gaia:keys.list',
      'gaia:keys.create',
      'gaia:keys.update',
      'gaia:keys.delete',
      'gaia:keys.useForProfile',
      'gaia:keys.copy',
      'gaia:keys.rotate',
    ),
  };
}
