/**
 * Datasets, their details and topics, and the models: all through the active
 * connection. The list itself (pages, progress, cancel, cache, offline) is in
 * list.ts.
 */
import { createDatasetLister, type ListTarget } from './list';
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
    'gaia:datasets.list': (request, ctx) => {
      const list = (target: ListTarget) =>
        lister.list(
          target,
          request,
          (payload) => ctx.emit('gaia:datasets.progress', payload),
          (payload) => ctx.emit('gaia:datasets.page', payload),
        );
      // Every refresh asks: answered without a wait (and without an async layer of its own) when the connection is known already.
      try {
        const now = s.connections.activeNow?.();
        return now ? list(now) : s.connections.active().then(list);
      } catch (err) {
        return Promise.reject(err);
      }
    },
    'gaia:datasets.cancel': async ({ requestId }) => ({ cancelled: lister.cancel(requestId) }),
    'gaia:datasets.details': async ({ name }) => (await client()).datasetDetails(name),
    'gaia:datasets.stats': async () => (await client()).datasetStats(),
    'gaia:datasets.topics': async ({ id }) => ({ topics: await (await client()).topics(id) }),
    'gaia:datasets.topicSummary': async ({ id, uuid }) => (await client()).topicSummary(id, uuid),
    'gaia:llms.list': async () => ({ llms: await (await client()).llms() }),
  };
}
