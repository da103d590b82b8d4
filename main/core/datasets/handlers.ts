/**
 * Datasets, their details and topics, and the models: all through the active
 * connection. The list itself (pages, progress, cancel, cache, offline) is in
 * list.ts.
 */
import { createDatasetLister } from './list';
import type { Handlers } from '../dispatch';
import type { Services } from '../services';

type DatasetChannels =
  | 'gaia:datasets.list'
  | 'gaia:datasets.cancel'
  | 'gaia:datasets.details'
  | 'gaia:datasets.stats'
  | 'gaia:datasets.topics'
  | 'gaia:datasets.topicSummary'
  | 'gaia:llms.list';

export function datasetHandlers(s: Services): Handlers<DatasetChannels> {
  const lister = createDatasetLister({ cache: s.datasetCache, log: s.log });
  const client = async () => (await s.connections.active()).client;

  return {
    'gaia:datasets.list': async (request, ctx) => {
      // Every refresh asks: answered without a wait when the connection is known already.
      const { profile, client } = s.connections.activeNow?.() ?? (await s.connections.active());
      return lister.list(
        { profile, client },
        request,
        (payload) => ctx.emit('gaia:datasets.progress', payload),
        (payload) => ctx.emit('gaia:datasets.page', payload),
      );
    },
    'gaia:datasets.cancel': async ({ requestId }) => ({ cancelled: lister.cancel(requestId) }),
    'gaia:datasets.details': async ({ name }) => (await client()).datasetDetails(name),
    'gaia:datasets.stats': async () => (await client()).datasetStats(),
    'gaia:datasets.topics': async ({ id }) => ({ topics: await (await client()).topics(id) }),
    'gaia:datasets.topicSummary': async ({ id, uuid }) => (await client()).topicSummary(id, uuid),
    'gaia:llms.list': async () => ({ llms: await (await client()).llms() }),
  };
}
