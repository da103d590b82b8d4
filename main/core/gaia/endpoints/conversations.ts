/** Gaia's side of a conversation: deleting it where the server can. */
import type { GaiaClient } from '../client';
import { gaiaPath, segment } from '../urls';
import { AppError } from '../../errors';
import type { EndpointKit } from './kit';

/**
 * This Gaia has no conversation delete: a 405, or a 404 saying no more than "Not Found"
 * (Starlette's answer where no route matches; or no JSON at all). A 404 in Gaia's own
 * words ("Conversation '…' not found") comes from the route and is about the conversation
 * (gone already, or never there), so it is not told as "Gaia keeps its copy".
 */
const noDeleteRoute = (err: unknown): boolean =>
  err instanceof AppError && (err.info.status === 405 || (err.info.status === 404 && (!err.info.serverMessage || /^not found\.?$/i.test(err.info.serverMessage))));

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
        if (noDeleteRoute(err)) return 'not-supported';
        throw err;
      }
    },
  };
}
