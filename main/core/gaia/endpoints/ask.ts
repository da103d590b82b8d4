/** Asking: a question (whole or streamed), a refined re-ask, exhaustive search, feedback. */
import type { AskBody, GaiaClient } from '../client';
import { toDocuments } from '../convert';
import { gaiaPath } from '../urls';
import { FEEDBACK_VALUES, WireExhaustivePage, wireFeedbackBody, type WireAskBody, type WireExhaustiveBody, type WireRefineBody } from '../wire';
import type { AnswerReader } from './answer';
import type { EndpointKit } from './kit';
import type { ModelEndpoints } from './models';

/** [I] exhaustive search pages go up to 100 (docs/gaia-api.md §Asking). */
const EXHAUSTIVE_MAX_PAGE = 100;

type AskEndpoints = Pick<GaiaClient, 'ask' | 'askStream' | 'refineStream' | 'exhaustive' | 'feedback'>;

const askBody = (b: AskBody, llmName: string | null): WireAskBody => ({
  datasetNames: b.datasetNames,
  queryString: b.queryString,
  ...(b.llmId && llmName ? { llmName } : {}),
  ...(b.llmId ? { llmId: b.llmId } : {}),
  ...(b.queryLanguageCode ? { queryLanguageCode: b.queryLanguageCode } : {}),
  ...(b.conversationId ? { conversationId: b.conversationId } : {}),
});

export function askEndpoints(kit: EndpointKit, answers: AnswerReader, models: Pick<ModelEndpoints, 'nameOf'>): AskEndpoints {
  const { ctx, transport, timeouts, post, asObject, shapeError } = kit;
  const { toAnswer, streamed } = answers;
  return {
    async ask(body, o) {
      const wire = askBody(body, await models.nameOf(body.llmId, o));
      const value = await transport.json(post(gaiaPath(ctx, 'ask'), 'POST /ask', wire, { deadlineMs: timeouts.askDeadlineMs }), o);
      return toAnswer(value, 'POST /ask');
    },

    askStream: async (body, o) => streamed('ask/stream', 'ask', 'POST /ask/stream', askBody(body, await models.nameOf(body.llmId, o)), o),

    refineStream: (body, o) =>
      streamed('ask/refine/stream', 'ask/refine', 'POST /ask/refine/stream', { queryUid: body.queryUid, documentUids: body.documentUids } satisfies WireRefineBody, o),

    async exhaustive(q, o) {
      const body: WireExhaustiveBody = {
        datasetName: q.datasetName,
        queryString: q.queryString,
        pageSize: Math.min(EXHAUSTIVE_MAX_PAGE, Math.max(1, Math.floor(q.pageSize ?? 50))),
        ...(q.paginationToken ? { paginationToken: q.paginationToken } : {}),
      };
      const label = 'PUT /ask/exhaustive';
      // A search, not a change: safe to repeat after a gateway error.
      const value = await transport.json(
        { method: 'PUT', path: gaiaPath(ctx, 'ask/exhaustive'), route: label, body, idempotent: true, deadlineMs: timeouts.askDeadlineMs, failure: { what: `the dataset “${q.datasetName}”` } },
        o,
      );
      const parsed = WireExhaustivePage.safeParse(asObject(value, label));
      if (!parsed.success) throw shapeError(label, parsed.error.issues.slice(0, 5));
      return { documents: toDocuments(parsed.data.documents), paginationToken: parsed.data.paginationToken || null };
    },

    async feedback(q, o) {
      const body = wireFeedbackBody(q.queryUid, q.positive ? FEEDBACK_VALUES.up : FEEDBACK_VALUES.down);
      // [C] addqueryfeedback-1 needs GAIA_MODIFY: a 403 is about writing.
      await transport.json(post(gaiaPath(ctx, 'ask/feedback'), 'POST /ask/feedback', body, { failure: { write: true, what: 'that answer' } }), o);
    },
  };
}
