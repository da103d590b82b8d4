import type { Handlers } from '../dispatch';
import type { Services } from '../services';
import { notBuiltYet } from './not-built';

type DatasetChannels =
  | 'gaia:datasets.list'
  | 'gaia:datasets.cancel'
  | 'gaia:datasets.details'
  | 'gaia:datasets.stats'
  | 'gaia:datasets.topics'
  | 'gaia:datasets.topicSummary'
  | 'gaia:llms.list';

export function datasetHandlers(_s: Services): Handlers<DatasetChannels> {
  return notBuiltYet('gaia:datasets.list', 'gaia:datasets.cancel', 'gaia:datasets.details', 'gaia:datasets.stats', 'gaia:datasets.topics', 'gaia:datasets.topicSummary', 'gaia:llms.list');
}
