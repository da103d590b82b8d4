/** A dataset's discovered topics and one topic's summary with its suggested questions. */
import type { GaiaClient } from '../client';
import { toTopics, toTopicSummary } from '../convert';
import { gaiaPath, segment } from '../urls';
import { UNDOCUMENTED } from '../wire';
import type { EndpointKit } from './kit';

export function discoveryEndpoints(kit: EndpointKit): Pick<GaiaClient, 'topics' | 'topicSummary'> {
  const { ctx, transport, get, asObject, listIn } = kit;
  return {
    async topics(id, o) {
      const label = 'GET /dataset/{id}/discovery';
      const value = await transport.json(
        // [C] getdatasetdiscoveryresults-1 says GAIA_MODIFY where the unversioned page says GAIA_VIEW.
        get(gaiaPath(ctx, `dataset/${segment(id)}/discovery`, { level: 1, numLevels: 2 }), label, { what: 'the topics of this dataset', privilegeInDoubt: true }),
        o,
      );
      return toTopics(listIn(value, ['results', 'topics', 'themes'], label));
    },

    async topicSummary(id, uuid, o) {
      const label = 'GET /dataset/{id}/discovery/{uuid}/summary';
      const path = gaiaPath(ctx, `dataset/${segment(id)}/discovery/${segment(uuid)}/summary`, { [UNDOCUMENTED.allQuestionsParam]: true });
      const value = await transport.json(get(path, label, { what: 'this topic' }), o);
      return toTopicSummary(asObject(value, label));
    },
  };
}
