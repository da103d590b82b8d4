/**
 * The Gaia client: one per connection profile, plain Node (no Electron), so the IPC
 * handlers, the CLI tools and the tests all drive Gaia the same way.
 *
 * The layer, one concept per module:
 *   client.ts       what the app can ask of Gaia (this file): the settings checked once,
 *                   then the endpoints composed over one transport
 *   endpoints/      the calls by concern: datasets, discovery (topics), models (llms), ask,
 *                   conversations, keys; answer.ts reads an answer whole or streamed,
 *                   kit.ts is what they all share
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
import { cleanApiKey } from '../validate/api-key';
import { checkSecurityContext, parseBaseUrl, type ClientContext } from './context';
import { createDispatcher } from './dispatcher';
import { answerReader } from './endpoints/answer';
import { askEndpoints } from './endpoints/ask';
import { conversationEndpoints } from './endpoints/conversations';
import { datasetEndpoints } from './endpoints/datasets';
import { discoveryEndpoints } from './endpoints/discovery';
import { keyEndpoints } from './endpoints/keys';
import { createKit } from './endpoints/kit';
import { modelEndpoints } from './endpoints/models';
import { resolveProxy } from './proxy';
import { defaultRetryPolicy, type RetryPolicy } from './retry';
import type { AskResult, StreamEvent } from './stream';
import { proxyTlsOptions, tlsConnectOptions } from './trust';
import { createTransport, defaultLimits, defaultTimeouts, type CallOptions, type Limits, type Timeouts } from './transport';
import type { DatasetSortField, SortOrder } from './wire';

export type { AskResult, StreamEvent } from './stream';
export { GaiaStreamError } from './stream';
export type { RetryInfo } from './retry';
export type { CallOptions } from './transport';

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
   * the next. `onPage` gets each page's datasets as they are converted, in order. Pages
   * that arrive are not logged one by one (failures and retries are): the caller logs the list.
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
  /**
   * Gaia answered a request with a 2xx: the key was accepted ("last used"). Told by the
   * transport as the answer arrives, not by wrapping every method: a wrapper cost a closure
   * and a promise on every call.
   */
  onAnswered?: () => void;
}

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
  const transport = createTransport({ ctx, dispatcher, log, timeouts, limits, retry, onAnswered: deps.onAnswered });
  if (!settings.verifyTls) log.warn(`gaia: certificate verification is OFF for ${base.host} (by the user's choice)`);
  if (route) log.info(`gaia: traffic to ${base.host} goes through the proxy ${route.label} (${route.source})`);

  const kit = createKit({ ctx, transport, log, timeouts, limits });
  const models = modelEndpoints(kit);
  return {
    ...datasetEndpoints(kit),
    ...discoveryEndpoints(kit),
    llms: models.llms,
    ...askEndpoints(kit, answerReader(kit, deps), models),
    ...conversationEndpoints(kit),
    apiKeys: keyEndpoints(kit),
    close: () => transport.close(),
  };
}

export type { Timeouts, Limits } from './transport';
export type { RetryPolicy, Clock } from './retry';
