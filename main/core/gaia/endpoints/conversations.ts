/** Gaia's side of a conversation: deleting it where the server can. */
import type { GaiaClient } from '../client';
import { gaiaPath, segment } from '../urls';
import { isMissingEndpoint, type EndpointKit } from './kit';

export function conversationEndpoints(kit: EndpointKit): Pick<GaiaClient, 'deleteConversation'> {
  const { ctx, transport, timeouts } = kit;
  return {
    async deleteConversation(conversationId, o) {
      try {
        await transport.json(
          {
            method: 'DELETE',
            // [C] deleteconversation needs GAIA_VIEW, so a 403 is a read-access problem;
            // the path is [I] (community clients), docs/gaia-api.md §Conversations.
            path: gaiaPath(ctx, `conversations/${segment(conversationId)}`),
            route: 'DELETE /conversations/{id}',
            idempotent: false,
            deadlineMs: timeouts.deadlineMs,
            failure: { what: 'that conversation' },
          },
          o,
        );
        return 'deleted';
      } catch (err) {
        // A 404 in Gaia's words is about the conversation, so it stays an error (kit.ts).
        if (isMissingEndpoint(err)) return 'not-supported';
        throw err;
      }
    },
  };
}
