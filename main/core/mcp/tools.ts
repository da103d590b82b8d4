/**
 * The MCP tools: read-only questions to Gaia through the core's own channels (so the
 * same validation, retries, TLS trust, error mapping and history apply). Nothing here
 * sends feedback, deletes anything, or touches Gaia's key service: those channels are
 * simply not reachable from a tool.
 *
 * Each tool says what its call was about in one line (`summary`, for the activity log)
 * and answers with readable text plus the same facts as structured content.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { DatasetSummary, SourceDocument } from '../../../preload/contract';
import type { Core } from '../core';
import { toErrorInfo } from '../errors';
import { askToEnd } from '../local/ask';
import type { Caller } from '../local/caller';
import { sourcesText } from '../local/sources-text';

export interface ToolContext {
  call: Caller;
  core: Pick<Core, 'dispatch' | 'onEvent'>;
  /** Aborted when the client cancels the request. */
  signal: AbortSignal;
  /** The connection the call runs as (already allowed). */
  connection: { id: string; name: string };
  /** Tells the client the call is still working (Gaia's steps), when it asked to hear. */
  progress(message: string): void;
}

export interface ToolAnswer {
  text: string;
  structured: Record<string, unknown>;
  /** The answer is a failure to report (e.g. Gaia refused the question), not a result. */
  isError?: boolean;
}

export interface ToolSpec<S extends z.ZodRawShape> {
  name: string;
  title: string;
  description: string;
  input: S;
  /** One line for the activity log: what was asked (it is redacted and shortened there). */
  summary(args: z.infer<z.ZodObject<S>>): string;
  run(args: z.infer<z.ZodObject<S>>, ctx: ToolContext): Promise<ToolAnswer>;
}

const connection = z
  .string()
  .min(1)
  .max(200)
  .optional()
  .describe('The Gaia Desktop connection to use, by name (see list_connections). Default: the one chosen when the server was started, else the app’s active connection.');

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const datasetFacts = (d: DatasetSummary) => ({
  name: d.name,
  description: d.description,
  objects: d.numObjects,
  health: d.health,
  indexing_progress: d.progress,
  last_indexed: iso(d.lastIndexedAt),
});

const sourceFacts = (d: SourceDocument) => ({
  document_id: d.documentId,
  name: d.name,
  path: d.path,
  dataset: d.datasetName,
  object: d.objectName,
  snapshot: iso(d.snapshotAt),
  citations: d.citations.map((c) => ({ score: c.score, snippet: c.snippet })),
});

const listDatasets: ToolSpec<{ search: z.ZodOptional<z.ZodString>; limit: z.ZodOptional<z.ZodNumber>; connection: typeof connection }> = {
  name: 'list_datasets',
  title: 'List Gaia datasets',
  description: 'Lists the datasets indexed in Gaia that this connection can ask over: name, description, size, indexing health, last indexed.',
  input: {
    search: z.string().min(1).max(1024).optional().describe('Only datasets whose name contains this (searched on the server).'),
    limit: z.number().int().min(1).max(1000).optional().describe('At most this many (default 200).'),
    connection,
  },
  summary: (a) => (a.search ? `datasets containing “${a.search}”` : 'all datasets'),
  run: async (a, ctx) => {
    const list = await ctx.call('gaia:datasets.list', { requestId: randomUUID(), refresh: true, ...(a.search ? { server: { nameContains: a.search } } : {}) });
    const limit = a.limit ?? 200;
    const shown = list.datasets.slice(0, limit);
    const more = list.datasets.length - shown.length;
    const lines = shown.map((d) => `- ${d.name} (${d.numObjects} objects, ${d.health}${d.lastIndexedAt ? `, indexed ${iso(d.lastIndexedAt)}` : ''})${d.description ? `: ${d.description}` : ''}`);
    if (more > 0) lines.push(`… and ${more} more: narrow the list with "search".`);
    return {
      text: `${list.datasets.length} dataset${list.datasets.length === 1 ? '' : 's'} on “${ctx.connection.name}”:\n${lines.join('\n')}`,
      structured: { connection: ctx.connection.name, total: list.datasets.length, datasets: shown.map(datasetFacts) },
    };
  },
};

const datasetDetails: ToolSpec<{ dataset: z.ZodString; connection: typeof connection }> = {
  name: 'dataset_details',
  title: 'Gaia dataset details and topics',
  description: 'One dataset in detail: indexing window and last run, data sources, protected objects, and its topics with suggested questions.',
  input: { dataset: z.string().min(1).max(1024).describe('The dataset’s name, as list_datasets gives it.'), connection },
  summary: (a) => `dataset “${a.dataset}”`,
  run: async (a, ctx) => {
    const details = await ctx.call('gaia:datasets.details', { name: a.dataset });
    let topics: Array<{ name: string; description: string | null; percentage: number | null; suggested_questions: string[] }> = [];
    let topicsNote: string | null = null;
    try {
      topics = (await ctx.call('gaia:datasets.topics', { id: details.dataset.id })).topics.map((t) => ({
        name: t.name,
        description: t.description,
        percentage: t.percentage,
        suggested_questions: t.suggestedQuestions,
      }));
    } catch (err) {
      topicsNote = toErrorInfo(err).message;
    }
    const d = details.dataset;
    const text = [
      `${d.name}: ${d.numObjects} objects, ${d.numQueries} queries, health ${d.health}${d.progress !== null ? ` (indexing ${d.progress}%)` : ''}.`,
      d.description ? `Description: ${d.description}` : null,
      `Last indexed: ${iso(d.lastIndexedAt) ?? 'never'}.`,
      `Data sources: ${d.dataSources.join(', ') || 'none listed'}.`,
      details.protectedObjects.length ? `Protected objects: ${details.protectedObjects.slice(0, 50).map((o) => o.name).join(', ')}${details.protectedObjects.length > 50 ? ', …' : ''}.` : null,
      topicsNote ? `Topics: not available (${topicsNote})` : topics.length ? 'Topics:' : 'Topics: none yet.',
      ...topics.map((t) => `- ${t.name}${t.percentage !== null ? ` (${t.percentage}%)` : ''}${t.suggested_questions.length ? ` — e.g. ${t.suggested_questions.slice(0, 3).map((q) => `“${q}”`).join(', ')}` : ''}`),
    ].filter((line): line is string => line !== null);
    return {
      text: text.join('\n'),
      structured: {
        dataset: datasetFacts(d),
        indexing_window: { most_recent: details.indexingWindow.mostRecent, start: iso(details.indexingWindow.start), end: iso(details.indexingWindow.end) },
        last_run: details.lastRun ? { start: iso(details.lastRun.start), end: iso(details.lastRun.end), health: details.lastRun.health, progress: details.lastRun.progress } : null,
        data_sources: d.dataSources,
        protected_objects: details.protectedObjects.slice(0, 200).map((o) => ({ name: o.name, environment: o.environment, snapshot: iso(o.snapshotAt) })),
        topics,
        topics_note: topicsNote,
      },
    };
  },
};

const ask: ToolSpec<{ question: z.ZodString; datasets: z.ZodArray<z.ZodString>; conversation_id: z.ZodOptional<z.ZodString>; connection: typeof connection }> = {
  name: 'ask',
  title: 'Ask Gaia',
  description:
    'Asks Gaia a question over one or more datasets and waits for the whole answer. Returns the answer (Markdown), its sources with citations (snippets and scores), and a conversation_id: pass it back to ask a follow-up in the same conversation. The question is kept in Gaia Desktop’s history, marked “via MCP”.',
  input: {
    question: z.string().min(1).max(32 * 1024),
    datasets: z.array(z.string().min(1).max(1024)).min(1).max(1000).describe('Dataset names, as list_datasets gives them.'),
    conversation_id: z.string().min(1).max(128).optional().describe('From an earlier ask: continue that conversation.'),
    connection,
  },
  summary: (a) => `“${a.question}” over ${a.datasets.join(', ')}${a.conversation_id ? ' (follow-up)' : ''}`,
  run: async (a, ctx) => {
    const outcome = await askToEnd(
      ctx.core,
      { conversationId: a.conversation_id ?? null, datasetNames: a.datasets, question: a.question },
      {
        signal: ctx.signal,
        onEvent: (e) => {
          if (e.type === 'progress') ctx.progress(e.step);
          else if (e.type === 'retrying') ctx.progress(e.reason);
        },
      },
    );
    const { turn } = outcome;
    const structured = {
      conversation_id: outcome.conversationId,
      turn_id: turn.id,
      status: turn.status,
      answer: turn.answer,
      sources: turn.documents.map(sourceFacts),
      follow_up_questions: turn.followUps,
      ...(outcome.error ? { problem: { message: outcome.error.message, action: outcome.error.action } } : {}),
    };
    const failed = turn.status === 'error' || (outcome.error !== null && turn.answer.trim() === '');
    const note = outcome.error ? `\n\n(${turn.status === 'incomplete' ? 'The answer is incomplete: ' : ''}${outcome.error.message} ${outcome.error.action})` : '';
    return {
      text: `${turn.answer || '(no answer)'}${note}\n\n${sourcesText(turn.documents)}\n\nconversation_id: ${outcome.conversationId}`,
      structured,
      isError: failed,
    };
  },
};

const exhaustiveSearch: ToolSpec<{ dataset: z.ZodString; question: z.ZodString; page_token: z.ZodOptional<z.ZodString>; page_size: z.ZodOptional<z.ZodNumber>; connection: typeof connection }> = {
  name: 'exhaustive_search',
  title: 'Find every matching document',
  description: 'Gaia’s exhaustive search: every document in one dataset that matches the question, a page at a time, with citations. Pass next_page_token back as page_token for the next page.',
  input: {
    dataset: z.string().min(1).max(1024),
    question: z.string().min(1).max(32 * 1024),
    page_token: z.string().min(1).max(8192).optional(),
    page_size: z.number().int().min(1).max(100).optional(),
    connection,
  },
  summary: (a) => `every document for “${a.question}” in ${a.dataset}${a.page_token ? ' (next page)' : ''}`,
  run: async (a, ctx) => {
    const page = await ctx.call('gaia:ask.exhaustive', { datasetName: a.dataset, question: a.question, pageSize: a.page_size, paginationToken: a.page_token ?? null });
    return {
      text: `${sourcesText(page.documents)}${page.paginationToken ? `\n\nMore results: call again with page_token "${page.paginationToken}".` : '\n\nNo more results.'}`,
      structured: { documents: page.documents.map(sourceFacts), next_page_token: page.paginationToken },
    };
  },
};

/** Every tool that needs a connection; list_connections (in server.ts) is the one that does not. */
export const gaiaTools = [listDatasets, datasetDetails, ask, exhaustiveSearch] as const;
