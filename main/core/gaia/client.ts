/**
 * The Gaia client: one per connection profile, plain Node (no Electron), so the IPC
 * handlers, the CLI tools and the tests all drive Gaia the same way.
 *
 * The layer, one concept per module:
 *   client.ts       what the app can ask of Gaia (this file)
 *   transport.ts    one HTTP exchange: headers, deadline, cancel, body cap, retries
 *   dispatcher.ts   the undici Agent/ProxyAgent kept per client
 *   trust.ts        the CA set and pin; certificates.ts summaries; probe.ts presented chain
 *   proxy.ts        which proxy (if any) carries the traffic
 *   error-map.ts    failures in the user's words; retry.ts when to try again
 *   wire.ts         Gaia's JSON (zod); convert.ts → the contract's shapes; health.ts
 *   sse.ts, stream.ts   server-sent events → a streamed answer
 *   urls.ts, context.ts paths (and where the key service is rooted); checked settings
 *
 * What Gaia documents, and what is our reading where it is silent: docs/gaia-api.md.
 */
import type { DatasetDetails, DatasetSummary, KeyPermission, Llm, ServerDelete, SourceDocument, Topic, TopicSummary } from '../../../preload/contract';
import type { Log } from '../platform/log';
import { appError, AppError } from '../errors';
import { cleanApiKey } from '../validate/api-key';
import { checkSecurityContext, parseBaseUrl, type ClientContext } from './context';
import {
  toDatasetDetails,
  toDatasetList,
  toDocuments,
  toLlms,
  toTopics,
  toTopicSummary,
  followUpsOf,
} from './convert';
import { createDispatcher } from './dispatcher';
import { failureContextFor } from './context';
import { looksLikeHtml, unexpectedBody } from './error-map';
import { resolveProxy } from './proxy';
import { defaultRetryPolicy, type RetryInfo, type RetryPolicy } from './retry';
import { readAnswerStream, type AskResult, type StreamEvent } from './stream';
import { proxyTlsOptions, tlsConnectOptions } from './trust';
import {
  createTransport,
  defaultLimits,
  defaultTimeouts,
  type Exchange,
  type Limits,
  type Timeouts,
  type Transport,
} from './transport';
import { gaiaPath, keyServicePath, segment } from './urls';
import {
  WireAnswer,
  WireApiKey,
  WireApiKeyList,
  WireApiKeyResult,
  WireDatasetPage,
  WireExhaustivePage,
  WireLlm,
  FEEDBACK_VALUES,
  UNDOCUMENTED,
  wireFeedbackBody,
  type DatasetSortField,
  type SortOrder,
  type WireAskBody,
  type WireExhaustiveBody,
  type WireKeyConfigBody,
  type WireRefineBody,
} from './wire';

export type { AskResult, StreamEvent } from './stream';
export { GaiaStreamError } from './stream';
export type { RetryInfo } from './retry';

export interface ConnectionSettings {
  /** e.g. https://helios.cohesity.com/v2/mcm/gaia — https only. */
  baseUrl: string;
  apiKey: string;
  /** Sent as X-GAIA-SECURITY-CTX to scope requests to one tenant [I]. */
  securityContext?: string | null;
  /** The profile's own CA bundle (PEM, may hold a chain), added to the system's. */
  caPem?: string | null;
  /** SHA-256 fingerprint pinned by "trust this certificate"; any colons/case. */
  trustedFingerprint?: string | null;
  /** Overrides HTTPS_PROXY / HTTP_PROXY / NO_PROXY for this profile. */
  proxyUrl?: string | null;
  /** False turns certificate checks off for this profile's host only. */
  verifyTls: boolean;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Called before each wait, so the UI can say "rate limited, retrying in 4 s". */
  onRetry?: (info: RetryInfo) => void;
}

export interface StreamCallOptions extends CallOptions {
  onEvent: (e: StreamEvent) => void;
}

export interface AskBody {
  datasetNames: string[];
  queryString: string;
  llmId?: string | null;
  /** BCP 47, e.g. "de-DE". */
  queryLanguageCode?: string | null;
  /** Gaia's conversation id from an earlier answer; omit to start a new conversation. */
  conversationId?: string | null;
}

export interface DatasetQuery {
  /** Names starting with this (Gaia's `names` filter). */
  namePrefix?: string;
  /** Names containing this [I]. */
  nameContains?: string;
  /**
   * The app's own health words. Gaia's `statuses` values are not documented, so these
   * are never sent: the datasets are filtered here, on the health derived in convert.ts
   * (docs/gaia-api.md §Datasets).
   */
  statuses?: DatasetSummary['health'][];
  /** Server-side order: `sortField` / `sortOrder` [C names, I values]. */
  sort?: { field: DatasetSortField; order: SortOrder };
}

export interface DatasetPageQuery extends DatasetQuery {
  paginationToken?: string | null;
  /** 1..99; Gaia wants fewer than 100. */
  pageSize?: number;
}

export interface ServiceKeyEntry {
  apiKey: string;
  permissions: string;
}


/**
 * Everything the app asks of Gaia, for one connection profile. Every method answers
 * with the contract's shapes (times in ms) and fails only with AppError (kinds from the
 * contract's ErrorKind); a streamed call that breaks off throws GaiaStreamError, whose
 * `partial` keeps what arrived. Every call can be cancelled with its AbortSignal. The
 * API key is registered with the log as a secret before the first request, and appears
 * in no message, error or log line.
 */
export interface GaiaClient {
  /** GET /datasets: resolves when the URL, certificate and key all work. */
  validate(o?: CallOptions): Promise<void>;
  listDatasetsPage(q: DatasetPageQuery, o?: CallOptions): Promise<{ datasets: DatasetSummary[]; paginationToken: string | null }>;
  /**
   * Follows paginationToken with pages of 99 until the last page; `statuses` filters here, not on Gaia. The next page is asked
   * for as soon as this one's token is read, so converting a page overlaps the wait for
   * the next. `onPage` gets each page's datasets as they are converted, in order.
   */
  listAllDatasets(q: DatasetQuery, o?: CallOptions & { onPage?: (loaded: number, pages: number, page: DatasetSummary[]) => void }): Promise<DatasetSummary[]>;
  /** GET /dataset/{name}/details; the name travels as one path segment, whatever it holds. */
  datasetDetails(name: string, o?: CallOptions): Promise<DatasetDetails>;
  datasetStats(o?: CallOptions): Promise<{ stats: Record<string, unknown> }>;
  /** Topics of a dataset, by its hex id (not its name). */
  topics(id: string, o?: CallOptions): Promise<Topic[]>;
  /** Sends the required "all suggested questions at once" flag (docs/gaia-api.md §Discovery). */
  topicSummary(id: string, uuid: string, o?: CallOptions): Promise<TopicSummary>;
  llms(o?: CallOptions): Promise<Llm[]>;
  /** POST /ask: the whole answer at once. */
  ask(body: AskBody, o?: CallOptions): Promise<AskResult>;
  /** POST /ask/stream; falls back to POST /ask (as one delta) where streaming is missing (404/405). */
  askStream(body: AskBody, o: StreamCallOptions): Promise<AskResult>;
  /** Re-asks using only the chosen documents; /ask/refine/stream, falling back to /ask/refine. */
  refineStream(body: { queryUid: string; documentUids: string[] }, o: StreamCallOptions): Promise<AskResult>;
  /** PUT /ask/exhaustive: one page of every relevant document. */
  exhaustive(
    q: { datasetName: string; queryString: string; pageSize?: number; paginationToken?: string | null },
    o?: CallOptions,
  ): Promise<{ documents: SourceDocument[]; paginationToken: string | null }>;
  /** POST /ask/feedback, a write (GAIA_MODIFY): Gaia's enum by query uid; a comment has no documented field, so none is sent. */
  feedback(q: { queryUid: string; positive: boolean }, o?: CallOptions): Promise<void>;
  /** DELETE /conversations/{id} (needs GAIA_VIEW only); 'not-supported' where the server has no such endpoint (404/405). */
  deleteConversation(conversationId: string, o?: CallOptions): Promise<Extract<ServerDelete, 'deleted' | 'not-supported'>>;
  /** Gaia's API-key service, rooted at the base URL's origin (see urls.ts). Keys returned are registered as log secrets. */
  apiKeys: {
    list(o?: CallOptions): Promise<ServiceKeyEntry[]>;
    /** Answers the new key; it is shown once by Gaia, so keep it straight away. */
    create(permissions: KeyPermission, o?: CallOptions): Promise<string>;
    update(apiKey: string, permissions: KeyPermission, o?: CallOptions): Promise<void>;
    delete(apiKey: string, o?: CallOptions): Promise<void>;
  };
  /** Closes kept-alive connections; the client cannot be used afterwards. */
  close(): Promise<void>;
}

export interface ClientDeps {
  log: Log;
  /** Where HTTPS_PROXY, NO_PROXY and NODE_EXTRA_CA_CERTS are read from; process.env by default. */
  env?: NodeJS.ProcessEnv;
  timeouts?: Partial<Timeouts>;
  limits?: Partial<Limits>;
  /** Tests shrink waits by injecting a clock; production uses the defaults. */
  retry?: Partial<RetryPolicy>;
  /** After a streamed answer's explicit end marker, how long to wait for stragglers. */
  trailingGraceMs?: number;
  /** A stream silent this long (not even a keep-alive) is given up; default: timeouts.bodyIdleMs. */
  streamQuietMs?: number;
}

/** [C] getdatasets-1: a page of fewer than 100. */
const DATASET_PAGE = 99;
/** [I] exhaustive search pages go up to 100 (docs/gaia-api.md §Asking). */
const EXHAUSTIVE_MAX_PAGE = 100;
const MAX_PAGES = 10_000;

/** Builds a client. Throws AppError ('bad-url', 'bad-key', 'proxy') for settings that cannot work. */
export function createGaiaClient(settings: ConnectionSettings, deps: ClientDeps): GaiaClient {
  const { log } = deps;
  const env = deps.env ?? process.env;
  const timeouts = { ...defaultTimeouts, ...deps.timeouts };
  const limits = { ...defaultLimits, ...deps.limits };
  const retry = { ...defaultRetryPolicy, ...deps.retry };

  // Secrets first: nothing below may log before the log knows what to hide.
  if (settings.apiKey) log.addSecret(settings.apiKey.trim());
  if (settings.securityContext) log.addSecret(settings.securityContext);
  const base = parseBaseUrl(settings.baseUrl);
  const apiKey = cleanApiKey(settings.apiKey);
  const securityContext = checkSecurityContext(settings.securityContext);
  const route = resolveProxy(base, settings.proxyUrl, env);
  if (route?.url.password) log.addSecret(decodeURIComponent(route.url.password));

  const tls = tlsConnectOptions(settings, env, log);
  const proxyTls = proxyTlsOptions(settings.caPem, env, log);
  const ctx: ClientContext = {
    origin: base.origin,
    basePath: base.pathname.replace(/\/+$/, ''),
    hostLabel: base.host,
    apiKey,
    securityContext,
    trustedFingerprint: settings.trustedFingerprint || null,
    proxy: route,
    probeTarget: { host: base.hostname.replace(/^\[|\]$/g, ''), port: Number(base.port) || 443, proxy: route, proxyTls },
    redact: (t) => log.redact(t),
  };
  const dispatcher = createDispatcher({
    route,
    tls,
    proxyTls,
    timeouts: { connectMs: timeouts.connectMs, headersMs: timeouts.headersMs, bodyIdleMs: timeouts.bodyIdleMs },
  });
  const transport: Transport = createTransport({ ctx, dispatcher, log, timeouts, limits, retry });
  if (!settings.verifyTls) log.warn(`gaia: certificate verification is OFF for ${base.host} (by the user's choice)`);
  if (route) log.info(`gaia: traffic to ${base.host} goes through the proxy ${route.label} (${route.source})`);

  const get = (path: string, routeLabel: string, failure?: Exchange['failure']): Exchange => ({
    method: 'GET',
    path,
    route: routeLabel,
    idempotent: true,
    deadlineMs: timeouts.deadlineMs,
    failure,
  });

  const shapeError = (routeLabel: string, detail: unknown): AppError => {
    log.warn(`gaia ${routeLabel}: answer not in the expected shape`, detail);
    return unexpectedBody(200, {}, '', failureContextFor(ctx), 'shape');
  };

  const asObject = (value: unknown, routeLabel: string): Record<string, unknown> => {
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    throw shapeError(routeLabel, { type: Array.isArray(value) ? 'array' : typeof value });
  };

  /** A list that may come bare or under one of a few keys. */
  const listIn = (value: unknown, keys: string[], routeLabel: string): unknown[] => {
    if (Array.isArray(value)) return value;
    const o = asObject(value, routeLabel);
    for (const key of keys) if (Array.isArray(o[key])) return o[key] as unknown[];
    if (keys.some((k) => o[k] === null)) return [];
    throw shapeError(routeLabel, { keys: Object.keys(o).slice(0, 20) });
  };

  const toAnswer = (value: unknown, routeLabel: string): AskResult => {
    const parsed = WireAnswer.safeParse(asObject(value, routeLabel));
    if (!parsed.success || typeof parsed.data.responseString !== 'string') throw shapeError(routeLabel, parsed.success ? 'no responseString' : parsed.error.issues.slice(0, 5));
    const w = parsed.data;
    return {
      responseString: w.responseString ?? '',
      queryUid: w.queryUid ?? null,
      conversationId: w.conversationId ?? null,
      documents: toDocuments(w.documents),
      followUps: followUpsOf(w),
    };
  };

  // Gaia's own name of each model, by id: llmName travels with llmId.
  const llmNames = new Map<string, string>();
  const rememberLlms = (items: unknown[]) => {
    for (const item of items) {
      const w = WireLlm.safeParse(item);
      if (w.success && w.data.id && w.data.name) llmNames.set(w.data.id, w.data.name);
    }
  };
  const llmNameOf = async (llmId: string | null | undefined, o: CallOptions | undefined): Promise<string | null> => {
    if (!llmId) return null;
    if (!llmNames.has(llmId)) {
      try {
        await client.llms({ signal: o?.signal });
      } catch (err) {
        // The ask still goes out with llmId alone; Gaia will say if that is not enough.
        if (o?.signal?.aborted) throw err;
        log.warn('gaia: the model list could not be read, so llmName is not sent', err instanceof AppError ? err.info.kind : String(err));
      }
    }
    return llmNames.get(llmId) ?? null;
  };

  const askBody = (b: AskBody, llmName: string | null): WireAskBody => ({
    datasetNames: b.datasetNames,
    queryString: b.queryString,
    ...(b.llmId && llmName ? { llmName } : {}),
    ...(b.llmId ? { llmId: b.llmId } : {}),
    ...(b.queryLanguageCode ? { queryLanguageCode: b.queryLanguageCode } : {}),
    ...(b.conversationId ? { conversationId: b.conversationId } : {}),
  });

  const post = (path: string, routeLabel: string, body: unknown, extra: Partial<Exchange> = {}): Exchange => ({
    method: 'POST',
    path,
    route: routeLabel,
    body,
    idempotent: false,
    deadlineMs: timeouts.deadlineMs,
    ...extra,
  });

  const isMissingEndpoint = (err: unknown) => err instanceof AppError && (err.info.status === 404 || err.info.status === 405);

  /** A streamed call, or its non-streamed twin where the server has no stream. */
  const streamed = async (
    streamPath: string,
    fallbackPath: string,
    label: string,
    body: unknown,
    o: StreamCallOptions,
  ): Promise<AskResult> => {
    const onRetry = (info: RetryInfo) => {
      o.onRetry?.(info);
      o.onEvent({ type: 'retrying', ...info });
    };
    const x = post(gaiaPath(ctx, streamPath), `POST /${streamPath}`, body, { accept: 'text/event-stream', deadlineMs: timeouts.streamDeadlineMs });
    let res;
    try {
      res = await transport.open(x, { signal: o.signal, onRetry });
    } catch (err) {
      if (!isMissingEndpoint(err)) throw err;
      log.info(`gaia ${label}: no streaming endpoint here (HTTP ${(err as AppError).info.status}); asking without streaming`);
      const whole = toAnswer(
        await transport.json(post(gaiaPath(ctx, fallbackPath), `POST /${fallbackPath}`, body, { deadlineMs: timeouts.askDeadlineMs }), { signal: o.signal, onRetry }),
        `POST /${fallbackPath}`,
      );
      if (whole.responseString) o.onEvent({ type: 'delta', text: whole.responseString });
      if (whole.followUps.length) o.onEvent({ type: 'followUps', questions: whole.followUps });
      return whole;
    }
    const contentType = String(res.headers['content-type'] ?? '');
    if (!/event-stream/i.test(contentType)) {
      // Some servers answer a stream request with the whole JSON answer: accept it.
      try {
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const c of res.body) {
          size += (c as Buffer).length;
          if (size > limits.maxBodyBytes) throw appError('body-too-large', 'Gaia’s answer was too large to handle and was stopped.', 'Ask a narrower question.');
          chunks.push(c as Buffer);
        }
        const text = Buffer.concat(chunks).toString('utf8');
        if (looksLikeHtml(contentType, text)) throw unexpectedBody(res.status, res.headers, text, failureContextFor(ctx), 'not-json');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          throw unexpectedBody(res.status, res.headers, text, failureContextFor(ctx), 'not-json');
        }
        const whole = toAnswer(json, x.route);
        if (whole.responseString) o.onEvent({ type: 'delta', text: whole.responseString });
        if (whole.followUps.length) o.onEvent({ type: 'followUps', questions: whole.followUps });
        return whole;
      } catch (err) {
        throw err instanceof AppError ? err : await res.fail(err);
      } finally {
        res.body.destroy();
        res.done();
      }
    }
    // From here the quiet watchdog, not the overall deadline, decides: a stream that keeps
    // sending (keep-alives included) is never cut off (docs/gaia-api.md §Streaming).
    res.done();
    try {
      return await readAnswerStream(res.body, {
        onEvent: o.onEvent,
        maxBytes: limits.maxStreamBytes,
        trailingGraceMs: deps.trailingGraceMs ?? 2_000,
        quietMs: deps.streamQuietMs ?? timeouts.bodyIdleMs,
        fail: res.fail,
        // Gaia's end marker is undocumented: a clean close is an end, worth a note only.
        onIncompleteEnd: () => log.info(`gaia ${label}: the stream closed without an end marker; the answer is as sent`),
      });
    } finally {
      res.done();
    }
  };

  const keyWrite = (method: 'POST' | 'PUT' | 'DELETE', path: string, routeLabel: string, body?: unknown): Exchange => ({
    method,
    path,
    route: routeLabel,
    body,
    idempotent: false,
    deadlineMs: timeouts.deadlineMs,
    failure: { write: true, what: 'that API key' },
  });

  const permissionsOf = (value: unknown): string =>
    typeof value === 'string' ? value : Array.isArray(value) ? value.map(String).join(', ') : value == null ? 'unknown' : JSON.stringify(value);

  /** One page of GET /datasets, its shape checked; the items are converted by the caller. */
  /** The health filter, applied here: Gaia's `statuses` values are undocumented (docs/gaia-api.md). */
  const byStatus = (q: DatasetQuery) => {
    const wanted = q.statuses?.length ? new Set(q.statuses) : null;
    return (datasets: DatasetSummary[]) => (wanted ? datasets.filter((d) => wanted.has(d.health)) : datasets);
  };

  const fetchDatasetsPage = async (q: DatasetPageQuery, o?: CallOptions): Promise<{ items: unknown[]; paginationToken: string | null }> => {
    const pageSize = Math.min(DATASET_PAGE, Math.max(1, Math.floor(q.pageSize ?? DATASET_PAGE)));
    const path = gaiaPath(ctx, 'datasets', {
      // [C] names = name prefixes; the substring's name is [I] (wire.ts UNDOCUMENTED).
      // `statuses` is never sent: its values are undocumented (filtered by `byStatus` instead).
      names: q.namePrefix ? [q.namePrefix] : undefined,
      [UNDOCUMENTED.nameSubstringParam]: q.nameContains || undefined,
      sortField: q.sort?.field,
      sortOrder: q.sort?.order,
      pageSize,
      paginationToken: q.paginationToken || undefined,
    });
    const value = await transport.json(get(path, 'GET /datasets'), o);
    const parsed = WireDatasetPage.safeParse(value);
    if (!parsed.success) throw shapeError('GET /datasets', parsed.error.issues.slice(0, 5));
    return { items: parsed.data.datasets, paginationToken: parsed.data.paginationToken || null };
  };

  const client: GaiaClient = {
    async validate(o) {
      const value = await transport.json(
        get(gaiaPath(ctx, 'datasets'), 'GET /datasets (validate)', {
          notFound: {
            message: `No Gaia service answered at ${ctx.hostLabel}${ctx.basePath} (404).`,
            action: 'Check the base URL: for Helios it is https://helios.cohesity.com/v2/mcm/gaia; for a cluster, https://<cluster>/v2/mcm/gaia.',
          },
        }),
        o,
      );
      const parsed = WireDatasetPage.safeParse(value);
      if (!parsed.success) throw shapeError('GET /datasets (validate)', parsed.error.issues.slice(0, 5));
    },

    async listDatasetsPage(q, o) {
      const page = await fetchDatasetsPage(q, o);
      return { datasets: byStatus(q)(toDatasetList(page.items, log)), paginationToken: page.paginationToken };
    },

    async listAllDatasets(q, o = {}) {
      const all: DatasetSummary[] = [];
      const seenTokens = new Set<string>();
      const filter = byStatus(q);
      let next = fetchDatasetsPage({ ...q, pageSize: DATASET_PAGE, paginationToken: null }, o);
      for (let pages = 1; ; pages++) {
        const page = await next;
        const token = page.paginationToken;
        const repeated = token !== null && seenTokens.has(token);
        const more = token !== null && !repeated && pages < MAX_PAGES;
        if (more) {
          seenTokens.add(token);
          next = fetchDatasetsPage({ ...q, pageSize: DATASET_PAGE, paginationToken: token }, o);
          // Awaited on the next turn; until then a failure must not count as unhandled.
          next.catch(() => undefined);
        }
        const datasets = filter(toDatasetList(page.items, log));
        for (const d of datasets) all.push(d);
        o.onPage?.(all.length, pages, datasets);
        if (more) continue;
        if (repeated) log.warn('gaia GET /datasets: the server repeated a pagination token; stopping there');
        else if (token !== null) log.warn(`gaia GET /datasets: stopped after ${MAX_PAGES} pages`);
        return all;
      }
    },

    async datasetDetails(name, o) {
      const label = 'GET /dataset/{name}/details';
      const value = await transport.json(get(gaiaPath(ctx, `dataset/${segment(name)}/details`), label, { what: `the dataset “${name}”` }), o);
      return toDatasetDetails(asObject(value, label), name);
    },

    async datasetStats(o) {
      const value = await transport.json(get(gaiaPath(ctx, 'datasets/stats'), 'GET /datasets/stats'), o);
      return { stats: asObject(value, 'GET /datasets/stats') };
    },

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

    async llms(o) {
      const value = await transport.json(get(gaiaPath(ctx, 'llms'), 'GET /llms'), o);
      const items = listIn(value, ['llms', 'models'], 'GET /llms');
      rememberLlms(items);
      return toLlms(items);
    },

    async ask(body, o) {
      const wire = askBody(body, await llmNameOf(body.llmId, o));
      const value = await transport.json(post(gaiaPath(ctx, 'ask'), 'POST /ask', wire, { deadlineMs: timeouts.askDeadlineMs }), o);
      return toAnswer(value, 'POST /ask');
    },

    askStream: async (body, o) => streamed('ask/stream', 'ask', 'POST /ask/stream', askBody(body, await llmNameOf(body.llmId, o)), o),

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
        if (isMissingEndpoint(err)) return 'not-supported';
        throw err;
      }
    },

    apiKeys: {
      async list(o) {
        const label = 'GET /es/api/v1/credentials/api_keys/';
        const value = await transport.json(get(keyServicePath(), label), o);
        const parsed = WireApiKeyList.safeParse(value);
        if (!parsed.success) throw shapeError(label, parsed.error.issues.slice(0, 5));
        return parsed.data.flatMap((item) => {
          const k = WireApiKey.safeParse(item);
          if (!k.success) return [];
          log.addSecret(k.data.api_key);
          return [{ apiKey: k.data.api_key, permissions: permissionsOf(k.data.config?.permissions) }];
        });
      },
      async create(permissions, o) {
        const label = 'POST /es/api/v1/credentials/api_keys/';
        const body: WireKeyConfigBody = { config: { permissions } };
        const value = await transport.json(keyWrite('POST', keyServicePath(), label, body), o);
        const parsed = WireApiKeyResult.safeParse(value);
        if (!parsed.success) throw shapeError(label, parsed.error.issues.slice(0, 5).map((i) => i.message));
        log.addSecret(parsed.data.api_key);
        return parsed.data.api_key;
      },
      async update(key, permissions, o) {
        log.addSecret(key);
        const body: WireKeyConfigBody = { config: { permissions } };
        await transport.json(keyWrite('PUT', keyServicePath(segment(key)), 'PUT /es/api/v1/credentials/api_keys/{key}', body), o);
      },
      async delete(key, o) {
        log.addSecret(key);
        await transport.json(keyWrite('DELETE', keyServicePath(`delete/${segment(key)}`), 'DELETE /es/api/v1/credentials/api_keys/delete/{key}'), o);
      },
    },

    close: () => transport.close(),
  };
  return client;
}

export type { Timeouts, Limits } from './transport';
export type { RetryPolicy, Clock } from './retry';
