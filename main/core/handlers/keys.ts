import type { Handlers } from '../dispatch';
import type { Services } from '../services';
import { notBuiltYet } from './not-built';

type KeyChannels = 'gaia:keys.list' | 'gaia:keys.create' | 'gaia:keys.update' | 'gaia:keys.delete' | 'gaia:keys.useForProfile' | 'gaia:keys.copy' | 'gaia:keys.rotate';

export function keyHandlers(_s: Services): Handlers<KeyChannels> {
  return notBuiltYet('gaia:keys.list', 'gaia:keys.create', 'gaia:keys.update', 'gaia:keys.delete', 'gaia:keys.useForProfile', 'gaia:keys.copy', 'gaia:keys.rotate');
}
