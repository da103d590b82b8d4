/**
 * Asking, conversations and the local history. Everything is per active profile: the
 * history of one connection is never shown under another.
 */
import type { ServerDelete } from '../../../preload/contract';
import { createAskSessions, nameDatasets, type AskSessions } from './session';
import { notConnected } from '../connections/clients';
import { cachedNamesAt } from '../datasets/place';
import type { Handlers } from '../dispatch';
import { appError, toErrorInfo } from '../errors';
import type { Services } from '../services';

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

const EXHAUSTIVE_PAGE = 25;

/** The handlers, and the sessions behind them (tests and shutdown reach these). */
export function createAskHandlers(s: Services): { handlers: Handlers<AskChannels>; sessions: AskSessions } {
  const sessions = createAskSessions({ history: s.history, connections: s.connections, datasetCache: s.datasetCache, log: s.log, origin: s.options?.origin });

  const activeProfileId = async (): Promise<string> => {
    const profile = await s.profiles.active();
    if (!profile) throw notConnected();
    return profile.id;
  };
  const maybeProfileId = async (): Promise<string | null> => (await s.profiles.active())?.id ?? null;

  const handlers: Handlers<AskChannels> = {
    'gaia:ask.start': (request, ctx) => sessions.start(request, ctx.emit),

    'gaia:ask.cancel': async ({ requestId }) => ({ cancelled: await sessions.cancel(requestId) }),

    'gaia:ask.exhaustive': async ({ datasetName, question, pageSize, paginationToken }) => {
      const { profile, client } = await s.connections.active();
      const page = await client.exhaustive({ datasetName, queryString: question, pageSize: pageSize ?? EXHAUSTIVE_PAGE, paginationToken: paginationToken ?? null });
      const documents = await nameDatasets(page.documents, [datasetName], () => cachedNamesAt(s.datasetCache, profile));
      return { documents, paginationToken: page.paginationToken };
    },

    // Gaia's feedback has no documented comment field (docs/gaia-api.md §Feedback), so a
    // comment the page sends is not passed on.
    'gaia:ask.feedback': async ({ conversationId, turnId, feedback }) => {
      const { profile, client } = await s.connections.active();
      const conversation = await s.history.get(profile.id, conversationId);
      const turn = conversation.turns.find((t) => t.id === turnId);
      if (!turn) throw appError('no-such-conversation', 'That answer is no longer in the conversation.', 'Choose another answer.');
      if (turn.status === 'streaming') throw appError('invalid-request', 'This answer is still arriving.', 'Rate it when it is complete.');
      if (!turn.queryUid) {
        throw appError('unsupported', 'Gaia gave this answer no id, so feedback cannot be sent for it.', 'Rate an answer that finished completely.');
      }
      await client.feedback({ queryUid: turn.queryUid, positive: feedback === 'up' });
      const next = { ...turn, feedback };
      await s.history.updateTurn(profile.id, conversationId, next);
      return { turn: next };
    },

    'gaia:composer.get': async () => {
      const profileId = await maybeProfileId();
      return profileId ? s.history.getComposer(profileId) : { datasetNames: [], llmId: null, languageCode: null };
    },

    'gaia:composer.save': async (settings) => s.history.saveComposer(await activeProfileId(), settings),

    'gaia:history.list': async ({ query }) => {
      const profileId = await maybeProfileId();
      if (!profileId) return { conversations: [], problems: [] };
      return s.history.list(profileId, query);
    },

    'gaia:history.get': async ({ id }) => {
      const { datasetNames: _datasetNames, ...conversation } = await s.history.get(await activeProfileId(), id);
      return conversation;
    },

    'gaia:history.rename': async ({ id, title }) => s.history.rename(await activeProfileId(), id, title),

    'gaia:history.delete': async ({ id }) => {
      const profileId = await activeProfileId();
      const conversation = await s.history.get(profileId, id);
      await sessions.cancelConversation(profileId, id);

      let server: ServerDelete = 'none';
      let why = '';
      let notOnGaia = false;
      if (conversation.serverConversationId) {
        try {
          const { client } = await s.connections.active();
          server = await client.deleteConversation(conversation.serverConversationId);
        } catch (err) {
          server = 'failed';
          const info = toErrorInfo(err);
          why = info.message;
          // Gaia's own 404 for the conversation (not a missing route: deleteConversation tells those apart).
          notOnGaia = info.kind === 'not-found';
          s.log.warn('could not delete a conversation on Gaia', why);
        }
      }
      await s.history.remove(profileId, id);
      const message = {
        deleted: 'Deleted from this computer and from Gaia.',
        'not-supported': 'Deleted from this computer only: this Gaia server does not offer deleting conversations, so its copy stays there.',
        failed: notOnGaia
          ? `Deleted from this computer. Gaia has no copy of it to delete (it may have been deleted there already). ${why}`.trim()
          : `Deleted from this computer only: Gaia’s copy could not be deleted. ${why}`.trim(),
        none: 'Deleted from this computer. Gaia had given this conversation no id, so there was nothing to delete there.',
      }[server];
      return { server, message: message.slice(0, 4096) };
    },

    'gaia:history.export': async ({ id }) => s.history.exportMarkdown(await activeProfileId(), id),
  };
  s.onShutdown(() => sessions.cancelAll());
  return { handlers, sessions };
}

export function askHandlers(s: Services): Handlers<AskChannels> {
  return createAskHandlers(s).handlers;
}
