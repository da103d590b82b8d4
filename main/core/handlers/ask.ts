import type { Handlers } from '../dispatch';
import type { Services } from '../services';
import { notBuiltYet } from './not-built';

type AskChannels =
  | 'gaia:ask.start'
  | 'gaia:ask.cancel'
  | 'gaia:ask.exhaustive'
  | 'gaia:ask.feedback'
  | 'gaia:composer.get'
  | 'gaia:composer.save'
  | 'gaia:history.list'
  | 'gaia:history.get'
  | 'gaia:history.rename'
  | 'gaia:history.delete'
  | 'gaia:history.export';

export function askHandlers(_s: Services): Handlers<AskChannels> {
  return notBuiltYet(
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
  );
}
