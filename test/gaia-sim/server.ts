/**
 * A Gaia-compatible HTTPS server for tests, demos and development. It speaks every
 * endpoint of docs/gaia-api.md marked [C], plus the [I] conversation delete, under
 * /v2/mcm/gaia, and the API-key service the client expects at the origin's root
 * (/es/api/v1/credentials/api_keys/...) — a stand-in, since those paths come from another
 * product's page, not Cohesity's (docs/gaia-api.md §API key management).
 *
 * It refuses what Gaia refuses rather than accepting what the app sends, and on purpose
 * more: bodies with unknown, missing or mistyped fields and unknown query parameters get
 * FastAPI-style 422s (a real Gaia likely ignores unknown ones), `statuses` takes k-values
 * only, feedback takes the documented enum, the topic summary wants its required flag,
 * and writes need a write key (GAIA_MODIFY) while deleting a conversation does not.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { compose, followUpsFor, newQueryUid, search, wireDocuments, type Hit } from './answers';
import { createPki, type TlsVariant } from './certs';
import { corpus, demoCatalog, generatedCatalog, topicsOf, wireDataset, type Catalog, type DatasetEntry } from './corpus';
import { enterpriseCatalog } from './enterprise';
import { Faults, type FaultSettings } from './faults';

export const BASE_PATH = '/v2/mcm/gaia';
export const KEY_SERVICE_PATH = '/es/api/v1/credentials/api_keys';

export interface SimOptions {
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /**
   * 'demo' (default): the few dozen hand-made datasets the tests rely on; 'enterprise': the
   * realistic catalog `npm run demo` shows (enterprise.ts); a number: that many generated ones.
   */
  datasets?: 'demo' | 'enterprise' | number;
  tls?: TlsVariant;
  latencyMs?: number;
  /** Where the CA file goes; a temporary directory (removed at stop) by default. */
  dataDir?: string;
  /** Faults active from the start. */
  faults?: FaultSettings;
  /** More demo datasets, named exactly so (runs of spaces, leading and trailing ones). */
  extraDatasets?: Array<{ name: string; health?: 'healthy' | 'indexing' | 'warning' | 'failed' | 'unknown' }>;
}

export interface LoggedRequest {
  method: string;
  /** Percent-decoded path. */
  path: string;
  /** The path exactly as it arrived. */
  rawPath: string;
  query: Record<string, string | string[]>;
  headers: IncomingHttpHeaders;
  /** Header names as sent, case preserved: [name, value, name, value, ...]. */
  rawHeaders: string[];
  body: unknown;
  at: number;
}

export interface FeedbackRecord {
  queryUid: string;
  /** The enum as sent: 'true', 'false' or 'noFeedback'. */
  value: string;
  /** 'true' → true, 'false' → false, 'noFeedback' → null. */
  positive: boolean | null;
  body: unknown;
}

export interface ConversationTurn {
  question: string;
  queryUid: string;
}

export interface Simulator {
  /** https://127.0.0.1:PORT/v2/mcm/gaia */
  baseUrl: string;
  origin: string;
  /** The root CA (PEM). */
  caPem: string;
  intermediatePem: string;
  /** The leaf the server presents (PEM). */
  leafPem: string;
  caFile: string;
  /** A key with write permissions. */
  demoKey: string;
  /** A read-only key. */
  readKey: string;
  faults: Faults;
  requestLog: LoggedRequest[];
  feedback: FeedbackRecord[];
  conversations: Map<string, ConversationTurn[]>;
  keys(): Array<{ apiKey: string; permissions: string }>;
  /** TLS connections accepted so far (keep-alive reuse shows as a small number). */
  connections(): number;
  stop(): Promise<void>;
}

interface QueryRecord {
  hits: Hit[];
  question: string;
  datasets: DatasetEntry[];
  conversationId: string;
}

class Reply {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}

const fastApi422 = (loc: Array<string | number>, msg: string, type = 'value_error') => new Reply(422, { detail: [{ loc, msg, type }] });

/**
 * A body FastAPI could not decode as JSON. It answers so only when an endpoint that takes
 * a body is reached (routing, 404 and 405, come first), with the decoder's position.
 */
class Unparsable {
  readonly reply: Reply;
  constructor(pos: number, msg: string) {
    this.reply = fastApi422(['body', pos], msg, 'value_error.jsondecode');
  }
}

/** JSON.parse's complaint as Python's json module words it, with its position. */
function jsonDecodeError(text: string, err: unknown): Unparsable {
  const m = /position (\d+)/.exec(String(err));
  const pos = m ? Number(m[1]) : text.length;
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const col = pos - before.lastIndexOf('\n');
  return new Unparsable(pos, `JSON decode error: line ${line} column ${col} (char ${pos})`);
}

/** FastAPI decodes a body as JSON when it says JSON (or says nothing); other bodies stay bytes, which no model accepts. */
const saysJson = (contentType: string | undefined) => !contentType || /^application\/([\w.+-]*\+)?json\s*(;|$)/i.test(contentType.trim());

/**
 * A JSON body checked as FastAPI checks a model that forbids extra fields: every
 * required field present, no field it does not know. Null when the body is acceptable.
 */
function checkFields(body: unknown, allowed: readonly string[], required: readonly string[]): Reply | null {
  if (body instanceof Unparsable) return body.reply;
  if (body === undefined) return new Reply(422, { detail: [{ loc: ['body'], msg: 'field required', type: 'value_error.missing' }] });
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return new Reply(422, { detail: [{ loc: ['body'], msg: 'value is not a valid dict', type: 'type_error.dict' }] });
  }
  const keys = Object.keys(body);
  const detail = [
    ...required.filter((f) => !keys.includes(f)).map((f) => ({ loc: ['body', f], msg: 'field required', type: 'value_error.missing' })),
    ...keys.filter((k) => !allowed.includes(k)).map((k) => ({ loc: ['body', k], msg: 'extra fields not permitted', type: 'value_error.extra' })),
  ];
  return detail.length ? new Reply(422, { detail }) : null;
}

/** `objects`: an array whose items are dicts (the reference's "array of objects" for `history`). */
type FieldType = 'string' | 'object' | 'strings' | 'objects';
const isDict = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
const typeMsg: Record<'string' | 'object' | 'list', [string, string]> = {
  string: ['str type expected', 'type_error.str'],
  object: ['value is not a valid dict', 'type_error.dict'],
  list: ['value is not a valid list', 'type_error.list'],
};
const typeError = (loc: Array<string | number>, kind: keyof typeof typeMsg) => ({ loc, msg: typeMsg[kind][0], type: typeMsg[kind][1] });

/**
 * Fields of a model, by type: absent or null is fine (the reference gives them all as
 * `… | null`), any other type is FastAPI's 422 — for a list, naming the first item that
 * is not of the item type.
 */
function checkTypes(body: Record<string, unknown>, types: Record<string, FieldType>, loc: string[] = ['body']): Reply | null {
  const detail = Object.entries(types).flatMap(([field, type]) => {
    const v = body[field];
    if (v === undefined || v === null) return [];
    if (type === 'string') return typeof v === 'string' ? [] : [typeError([...loc, field], 'string')];
    if (type === 'object') return isDict(v) ? [] : [typeError([...loc, field], 'object')];
    if (!Array.isArray(v)) return [typeError([...loc, field], 'list')];
    const bad = v.findIndex((item) => (type === 'strings' ? typeof item !== 'string' : !isDict(item)));
    return bad < 0 ? [] : [typeError([...loc, field, bad], type === 'strings' ? 'string' : 'object')];
  });
  return detail.length ? new Reply(422, { detail }) : null;
}

/** What each body may hold, after Cohesity's reference (docs/gaia-api.md). */
const ASK_FIELDS = ['datasetNames', 'queryString', 'llmName', 'llmId', 'llm', 'queryLanguageCode', 'conversationId', 'history', 'metadata'];
/**
 * The types queryllm-1 gives /ask's fields: strings, `llm` an object, `history` an "array
 * of objects", `metadata` an object (every one `… | null`); `datasetNames` a list of names.
 */
const ASK_TYPES: Record<string, FieldType> = {
  datasetNames: 'strings',
  llmName: 'string',
  llmId: 'string',
  queryLanguageCode: 'string',
  conversationId: 'string',
  llm: 'object',
  history: 'objects',
  metadata: 'object',
};
const REFINE_FIELDS = ['queryUid', 'documentUids'];
/** [C] refinesources-1: the query uid a string, `documentUids` a list (of uids: strings). */
const REFINE_TYPES: Record<string, FieldType> = { queryUid: 'string', documentUids: 'strings' };
const EXHAUSTIVE_FIELDS = ['datasetName', 'queryString', 'pageSize', 'paginationToken', 'conversationId'];
const EXHAUSTIVE_TYPES: Record<string, FieldType> = { datasetName: 'string', queryString: 'string', paginationToken: 'string', conversationId: 'string' };
/** The feedback body: the query uid and the feedback enum (names [I], see wire.ts). */
const FEEDBACK_FIELDS = ['queryUid', 'feedback'];
const FEEDBACK_ENUM = ['true', 'false', 'noFeedback'];
/** The simulator's stand-in for Gaia's dataset statuses: Cohesity-style k-values. */
const GAIA_STATUSES = ['kHealthy', 'kRunning', 'kWarning', 'kFailed'];
const SORT_FIELDS = ['name', 'numObjects', 'numQueries', 'lastIndexedTime'];
const SORT_ORDERS = ['asc', 'desc'];
/** The topic summary's required boolean (its name is [I], see wire.ts). */
const ALL_QUESTIONS_PARAM = 'allSuggestedQuestions';
const TENANT_CONTEXT_403 = {
  errorCode: 'KStatusForbidden',
  message: 'Access denied: this cluster serves several tenants and the request carries no tenant security context (X-GAIA-SECURITY-CTX).',
};
/** The connector's LLM, every field of it (docs/gaia-api.md §Asking). */
const LLMS = [
  { id: 'sim-gpt-4o', name: 'GPT-4o (simulated)', type: 'kAzureOpenAI', buildType: 'kManaged', isDefault: true, isDisabled: false, deploymentName: 'gpt-4o', apiVersion: '2024-06-01', url: 'https://llm.invalid/openai' },
  { id: 'sim-claude', name: 'Claude Sonnet (simulated)', type: 'kBedrock', buildType: 'kManaged', isDefault: false, isDisabled: false, deploymentName: 'claude-sonnet', apiVersion: 'bedrock-2023-05-31', url: 'https://llm.invalid/bedrock' },
  { id: 'sim-llama', name: 'Llama 3 70B (simulated)', type: 'kSelfHosted', buildType: 'kCustom', isDefault: false, isDisabled: true, deploymentName: 'llama-3-70b', apiVersion: 'v1', url: 'https://llm.invalid/llama' },
];
/** Starlette's 405: FastAPI's JSON detail, with the methods the path takes in `Allow`. */
const methodNotAllowed = (methods: string[]) => new Reply(405, { detail: 'Method Not Allowed' }, { allow: methods.join(', ') });

/**
 * Gaia's routes below the base path (`*`: one path segment), the methods each takes and
 * the query parameters it knows: those of the reference page, under the names
 * docs/gaia-api.md gives them (`uuid`, the discovery page's optional result uuid, is
 * second-hand: the MCP connector's hidden parameter; the datasets page's "federated search datasets only" flag has no known name, so
 * it is not here).
 */
const ROUTES: Array<[parts: string[], methods: string[], query: string[]]> = [
  [['datasets'], ['GET'], ['names', 'statuses', 'nameSubstring', 'sortField', 'sortOrder', 'pageSize', 'paginationToken']],
  [['datasets', 'stats'], ['GET'], []],
  [['dataset', '*', 'details'], ['GET'], []],
  [['dataset', '*', 'discovery'], ['GET'], ['level', 'uuid', 'numLevels']],
  [['dataset', '*', 'discovery', '*', 'summary'], ['GET'], [ALL_QUESTIONS_PARAM]],
  [['llms'], ['GET'], []],
  [['ask'], ['POST'], []],
  [['ask', 'stream'], ['POST'], []],
  [['ask', 'refine'], ['POST'], []],
  [['ask', 'refine', 'stream'], ['POST'], []],
  [['ask', 'exhaustive'], ['PUT'], []],
  [['ask', 'feedback'], ['POST'], []],
  [['conversations', '*'], ['DELETE'], []],
];

const routeOf = (r: string[]) => ROUTES.find(([parts]) => parts.length === r.length && parts.every((p, i) => p === '*' || p === r[i]));

/** The methods a Gaia path takes, or null when no route has it (a 404). */
function allowedMethods(r: string[]): string[] | null {
  return routeOf(r)?.[1] ?? null;
}

/**
 * A query parameter the route does not know is refused, as an unknown body field is.
 * This is the simulator's tripwire, not documented Gaia behaviour (FastAPI ignores
 * unknown query parameters, so a misspelt one would silently change nothing on a real
 * Gaia — which is exactly what a test should hear about).
 */
function checkQuery(r: string[], query: Record<string, string | string[]>): Reply | null {
  const known = routeOf(r)?.[2];
  if (!known) return null;
  const detail = Object.keys(query)
    .filter((k) => !known.includes(k))
    .map((k) => ({ loc: ['query', k], msg: 'extra fields not permitted', type: 'value_error.extra' }));
  return detail.length ? new Reply(422, { detail }) : null;
}

/** Bodies larger than this are refused (the app's largest, an ask with its history, is far smaller). */
const MAX_BODY_BYTES = 1024 * 1024;
const BODY_TOO_LARGE_413 = { errorCode: 'KStatusRequestEntityTooLarge', message: 'The request body is larger than the 1 MiB the service accepts.' };
const notFound = (message: string) => new Reply(404, { message, errorCode: 'kNotFound' });

/** The path's segments, each percent-decoded: an encoded "/" (%2F) stays inside its segment. */
function decodeSegments(rawPath: string): string[] | null {
  try {
    return rawPath.split('/').slice(1).map((s) => decodeURIComponent(s));
  } catch {
    return null;
  }
}

/**
 * The path as Starlette routes it (fault `decodedPathRouting`): percent-decoded first
 * (uvicorn's scope path), then split, so a %2F inside a name is a separator like any other
 * and `/dataset/a%2Fb/details` matches no route (Go's net/http muxes do the same).
 */
function decodeThenSplit(rawPath: string): string[] | null {
  try {
    return decodeURIComponent(rawPath).split('/').slice(1);
  } catch {
    return null;
  }
}

function parseQuery(raw: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/** What pydantic reads as an int from text (Python's int(): a sign and surrounding spaces allowed; "2.0" is not one). */
const INT_TEXT = /^\s*[+-]?\d+\s*$/;

const asList = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
/** A scalar query parameter given more than once: FastAPI (Starlette's QueryParams) reads the last. */
const scalar = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[v.length - 1] : v);

/**
 * Paging tokens are opaque, as Gaia's are: they carry where the next page starts and
 * which listing they continue (its filters and sort), so a token the server did not give,
 * or one replayed with other filters, is refused instead of paging something else.
 */
function pageToken(kind: string, listing: string, offset: number): string {
  return Buffer.from(JSON.stringify({ k: kind, l: createHash('sha256').update(listing).digest('base64url').slice(0, 16), o: offset })).toString('base64url');
}
function readPageToken(token: string, kind: string, listing: string, limit: number): number | null {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { k?: unknown; o?: unknown };
    if (t.k !== kind || token !== pageToken(kind, listing, Number(t.o))) return null;
    const o = Number(t.o);
    return Number.isInteger(o) && o > 0 && o <= limit ? o : null;
  } catch {
    return null;
  }
}

const wantsEvents = (req: IncomingMessage) => /text\/event-stream/i.test(String(req.headers.accept ?? ''));

/** `chars` of Markdown from the corpus (titles as headings, then paragraphs), repeated as needed. */
function corpusText(chars: number): string {
  const parts = corpus().flatMap((d) => [`## ${d.title}`, ...d.paragraphs]);
  let out = '';
  for (let i = 0; out.length < chars; i++) out += `${parts[i % parts.length]}\n\n`;
  return out.slice(0, chars);
}

function normalizeStatus(s: string): string {
  return s.replace(/^k(?=[A-Z])/, '').toLowerCase();
}

export async function startSimulator(o: SimOptions = {}): Promise<Simulator> {
  const host = o.host ?? '127.0.0.1';
  const pki = await createPki(o.tls ?? 'chain');
  const ownDir = !o.dataDir;
  const dir = o.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'gaia-sim-'));
  mkdirSync(dir, { recursive: true });
  const caFile = path.join(dir, 'gaia-sim-ca.pem');
  writeFileSync(caFile, pki.rootPem);

  const catalog: Catalog =
    typeof o.datasets === 'number' ? generatedCatalog(o.datasets) : o.datasets === 'enterprise' ? enterpriseCatalog() : demoCatalog(o.extraDatasets);
  const faults = new Faults(o.faults);
  const requestLog: LoggedRequest[] = [];
  const feedback: FeedbackRecord[] = [];
  const conversations = new Map<string, ConversationTurn[]>();
  const queries = new Map<string, QueryRecord>();
  const demoKey = `sim-demo-${randomBytes(6).toString('hex')}`;
  const readKey = `sim-read-${randomBytes(6).toString('hex')}`;
  const keys = new Map<string, string>([
    [demoKey, 'write'],
    [readKey, 'read'],
  ]);
  const sockets = new Set<Socket>();
  let connectionCount = 0;

  // ---------------------------------------------------------------------------
  // Gaia

  const listDatasets = (query: Record<string, string | string[]>): Reply => {
    const pageSizeRaw = scalar(query.pageSize);
    if (pageSizeRaw !== undefined && !INT_TEXT.test(pageSizeRaw)) return fastApi422(['query', 'pageSize'], 'value is not a valid integer', 'type_error.integer');
    const pageSize = pageSizeRaw === undefined ? 25 : Number(pageSizeRaw);
    if (pageSize < 1 || pageSize >= 100) {
      return fastApi422(['query', 'pageSize'], 'ensure this value is greater than 0 and less than 100', 'value_error.number.not_lt');
    }
    const prefixes = asList(query.names);
    const rawStatuses = asList(query.statuses);
    const badStatus = rawStatuses.find((v) => !GAIA_STATUSES.includes(v));
    if (badStatus !== undefined) {
      return fastApi422(['query', 'statuses'], `value is not a valid enumeration member; permitted: ${GAIA_STATUSES.map((v) => `'${v}'`).join(', ')}`, 'type_error.enum');
    }
    const statuses = rawStatuses.map(normalizeStatus).map((v) => (v === 'running' ? 'indexing' : v));
    const sortField = scalar(query.sortField);
    const sortOrder = scalar(query.sortOrder);
    if (sortField !== undefined && !SORT_FIELDS.includes(sortField)) return fastApi422(['query', 'sortField'], 'value is not a valid enumeration member', 'type_error.enum');
    if (sortOrder !== undefined && !SORT_ORDERS.includes(sortOrder)) return fastApi422(['query', 'sortOrder'], 'value is not a valid enumeration member', 'type_error.enum');
    const containsRaw = scalar(query.nameSubstring);
    const contains = containsRaw?.toLowerCase();
    // Which listing a token continues: everything that decides the rows but the page size.
    const listing = JSON.stringify([prefixes, rawStatuses, containsRaw ?? null, sortField ?? null, sortOrder ?? null]);
    const token = scalar(query.paginationToken);
    let start = 0;
    if (token) {
      const at = readPageToken(token, 'datasets', listing, catalog.size);
      if (at === null) return fastApi422(['query', 'paginationToken'], 'invalid pagination token: not one this listing gave (other filters or sort, or not issued)');
      start = at;
    }
    const filtered = prefixes.length > 0 || statuses.length > 0 || Boolean(contains);
    const matches = (e: DatasetEntry) =>
      (!prefixes.length || prefixes.some((p) => e.name.startsWith(p))) &&
      (!statuses.length || statuses.includes(e.health)) &&
      (!contains || e.name.toLowerCase().includes(contains));
    const look = { runningLooksHealthy: faults.current.runningLooksHealthy };
    const tokenAt = (offset: number) => ({ paginationToken: pageToken('datasets', listing, offset) });
    if (sortField !== undefined) {
      // Sorted lists are materialised (fine for the demo and test catalogs).
      const key: (e: DatasetEntry) => string | number =
        sortField === 'name' ? (e) => e.name : sortField === 'numObjects' ? (e) => e.numObjects : sortField === 'numQueries' ? (e) => e.numQueries : (e) => e.lastRunEndUsecs ?? -1;
      const all: DatasetEntry[] = [];
      for (let j = 0; j < catalog.size; j++) if (!filtered || matches(catalog.at(j))) all.push(catalog.at(j));
      const dir = sortOrder === 'desc' ? -1 : 1;
      all.sort((a, b) => {
        const x = key(a);
        const y = key(b);
        return (x < y ? -1 : x > y ? 1 : 0) * dir || a.index - b.index;
      });
      const page = all.slice(start, start + pageSize);
      return new Reply(200, { datasets: page.map((e) => wireDataset(e, look)), ...(start + pageSize < all.length ? tokenAt(start + pageSize) : {}) });
    }
    const page: DatasetEntry[] = [];
    let i = start;
    for (; i < catalog.size && page.length < pageSize; i++) {
      const e = catalog.at(i);
      if (!filtered || matches(e)) page.push(e);
    }
    // Look ahead so the last page says it is the last.
    let more = false;
    for (let j = i; j < catalog.size; j++) {
      if (!filtered || matches(catalog.at(j))) {
        more = true;
        break;
      }
    }
    return new Reply(200, { datasets: page.map((e) => wireDataset(e, look)), ...(more ? tokenAt(i) : {}) });
  };

  const datasetDetails = (name: string): Reply => {
    const e = catalog.byName(name);
    if (!e) return notFound(`Dataset '${name}' not found.`);
    const d = wireDataset(e, { runningLooksHealthy: faults.current.runningLooksHealthy });
    return new Reply(200, {
      ...d,
      // Each protected object as the connector types its parts: an objectInfo whose every
      // field is a string (objectId too) and a snapshotInfo of integers; pairing them in
      // one item is [I] (the connector leaves `baasSnapshots` untyped).
      baasSnapshots: e.docs.map((doc, i) => ({
        objectInfo: {
          cloudProvider: 'kAWS',
          clusterIdentifier: '8812:1700000000',
          environment: e.sources?.[0].environment ?? 'kGenericNas',
          globalId: `${e.id}-obj-${i + 1}`,
          name: e.sources ? `${e.sources[0].name} (${i + 1})` : `${e.name} share ${i + 1}`,
          objectId: String(7000 + i),
          regionId: 'eu-central-1',
        },
        regionId: 'eu-central-1',
        snapshotInfo: { runInstanceId: 100 + i, runStartTimeUsecs: (Date.now() - (i + 1) * 86_400_000) * 1000 },
      })),
      // [I] "with indexing run details": the field's name is the simulator's; the app reads only lastIndexingRun.
      indexingRuns: [d.lastIndexingRun].filter(Boolean),
    });
  };

  const stats = (): Reply => {
    const counts: Record<string, number> = { healthy: 0, indexing: 0, warning: 0, failed: 0, unknown: 0 };
    let objects = 0;
    const sample = Math.min(catalog.size, 1000);
    for (let i = 0; i < sample; i++) {
      const e = catalog.at(i);
      counts[e.health]++;
      objects += e.numObjects;
    }
    const scale = catalog.size / Math.max(1, sample);
    return new Reply(200, {
      numDatasets: catalog.size,
      numObjects: Math.round(objects * scale),
      numHealthy: Math.round(counts.healthy * scale),
      numIndexing: Math.round(counts.indexing * scale),
      numWarning: Math.round(counts.warning * scale),
      numFailed: Math.round(counts.failed * scale),
      lastUpdatedUsecs: Date.now() * 1000,
    });
  };

  interface AskInput {
    datasets: DatasetEntry[];
    question: string;
    conversationId: string;
    turn: number;
  }

  const checkAsk = (body: unknown, streamed: boolean): AskInput | Reply => {
    const refused = checkFields(body, ASK_FIELDS, ['queryString']);
    if (refused) return refused;
    const b = body as Record<string, unknown>;
    const mistyped = checkTypes(b, ASK_TYPES);
    if (mistyped) return mistyped;
    // [C] queryllmstream-1 types every field `… | null` but `history`, a plain "array of objects".
    if (streamed && b.history === null) return fastApi422(['body', 'history'], 'none is not an allowed value', 'type_error.none.not_allowed');
    if (b.llmId !== undefined) {
      const llm = LLMS.find((l) => l.id === b.llmId);
      if (!llm) return fastApi422(['body', 'llmId'], 'unknown LLM id');
      if (b.llmName !== undefined && b.llmName !== llm.name) return fastApi422(['body', 'llmName'], 'does not name the LLM with this llmId');
    }
    if (typeof b.queryString !== 'string') return fastApi422(['body', 'queryString'], 'str type expected', 'type_error.str');
    // [C] only queryString is required; an ask without datasets is refused here as the
    // simulator has no "all datasets" to search (what Gaia does then is undocumented).
    if (!Array.isArray(b.datasetNames) || b.datasetNames.length === 0) return fastApi422(['body', 'datasetNames'], 'ensure this value has at least 1 items', 'value_error.list.min_items');
    if (!b.queryString.trim()) return fastApi422(['body', 'queryString'], 'ensure this value has at least 1 characters', 'value_error.any_str.min_length');
    const datasets: DatasetEntry[] = [];
    for (const name of b.datasetNames as string[]) {
      const e = catalog.byName(name);
      if (!e) return notFound(`Dataset '${name}' not found.`);
      datasets.push(e);
    }
    const conversationId = typeof b.conversationId === 'string' && b.conversationId ? b.conversationId : randomUUID();
    const turns = conversations.get(conversationId) ?? [];
    return { datasets, question: b.queryString, conversationId, turn: turns.length + 1 };
  };

  const answerFor = (input: AskInput, hits: Hit[]) => {
    const queryUid = newQueryUid();
    const text = compose(input.question, hits, input.turn);
    queries.set(queryUid, { hits, question: input.question, datasets: input.datasets, conversationId: input.conversationId });
    const turns = conversations.get(input.conversationId) ?? [];
    turns.push({ question: input.question, queryUid });
    conversations.set(input.conversationId, turns);
    return {
      responseString: text,
      queryUid,
      status: 'kSuccess',
      // [C] the connector's QueryResponse has `result` beside responseString; its meaning is not given.
      result: 'kSuccess',
      conversationId: input.conversationId,
      sourceData: [],
      documents: wireDocuments(hits),
      followUpQuestions: followUpsFor(hits),
    };
  };

  const refineInput = (body: unknown): { input: AskInput; hits: Hit[] } | Reply => {
    const refused = checkFields(body, REFINE_FIELDS, REFINE_FIELDS);
    if (refused) return refused;
    const b = body as Record<string, unknown>;
    const mistyped = checkTypes(b, REFINE_TYPES);
    if (mistyped) return mistyped;
    // Both are required ([C]); null passes the type check above but is no value.
    if (typeof b.queryUid !== 'string') return fastApi422(['body', 'queryUid'], 'none is not an allowed value', 'type_error.none.not_allowed');
    if (!Array.isArray(b.documentUids)) return fastApi422(['body', 'documentUids'], 'none is not an allowed value', 'type_error.none.not_allowed');
    if (!b.documentUids.length) return fastApi422(['body', 'documentUids'], 'ensure this value has at least 1 items', 'value_error.list.min_items');
    const q = queries.get(b.queryUid);
    if (!q) return notFound(`Query '${b.queryUid}' not found.`);
    const hits = q.hits.filter((h) => (b.documentUids as unknown[]).includes(`${h.dataset.id}:${h.doc.file}`));
    if (!hits.length) return fastApi422(['body', 'documentUids'], 'none of these documents belong to the answer');
    const turns = conversations.get(q.conversationId) ?? [];
    return { input: { datasets: q.datasets, question: q.question, conversationId: q.conversationId, turn: turns.length + 1 }, hits };
  };

  const exhaustive = (body: unknown): Reply => {
    const refused = checkFields(body, EXHAUSTIVE_FIELDS, ['datasetName', 'queryString', 'pageSize']);
    if (refused) return refused;
    const b = body as Record<string, unknown>;
    const mistyped = checkTypes(b, EXHAUSTIVE_TYPES);
    if (mistyped) return mistyped;
    if (typeof b.datasetName !== 'string') return fastApi422(['body', 'datasetName'], 'none is not an allowed value', 'type_error.none.not_allowed');
    if (typeof b.queryString !== 'string') return fastApi422(['body', 'queryString'], 'none is not an allowed value', 'type_error.none.not_allowed');
    if (!b.queryString.trim()) return fastApi422(['body', 'queryString'], 'ensure this value has at least 1 characters', 'value_error.any_str.min_length');
    // pydantic reads an int from a number or a digit string; anything else is not one.
    const pageSize = typeof b.pageSize === 'number' || (typeof b.pageSize === 'string' && INT_TEXT.test(b.pageSize)) ? Number(b.pageSize) : NaN;
    if (!Number.isInteger(pageSize)) return fastApi422(['body', 'pageSize'], 'value is not a valid integer', 'type_error.integer');
    if (pageSize < 1) return fastApi422(['body', 'pageSize'], 'ensure this value is greater than or equal to 1', 'value_error.number.not_ge');
    if (pageSize > 100) return fastApi422(['body', 'pageSize'], 'ensure this value is less than or equal to 100', 'value_error.number.not_le');
    const e = catalog.byName(b.datasetName);
    if (!e) return notFound(`Dataset '${b.datasetName}' not found.`);
    const hits = search(b.queryString, [e], 1000).filter((h) => h.score > 0);
    const listing = JSON.stringify([b.datasetName, b.queryString]);
    let start = 0;
    if (typeof b.paginationToken === 'string' && b.paginationToken) {
      const at = readPageToken(b.paginationToken, 'exhaustive', listing, hits.length);
      if (at === null) return fastApi422(['body', 'paginationToken'], 'invalid pagination token: not one this search gave');
      start = at;
    }
    const page = hits.slice(start, start + pageSize);
    const next = start + pageSize < hits.length ? pageToken('exhaustive', listing, start + pageSize) : undefined;
    // [I] community material: {queryUid, documents, totalCount, paginationToken}.
    return new Reply(200, { queryUid: newQueryUid(), documents: wireDocuments(page), totalCount: hits.length, ...(next ? { paginationToken: next } : {}) });
  };

  const recordFeedback = (body: unknown, permission: string): Reply => {
    if (permission !== 'write') return new Reply(403, { errorCode: 'KStatusForbidden', message: 'Adding feedback needs the GAIA_MODIFY privilege.' });
    const refused = checkFields(body, FEEDBACK_FIELDS, ['queryUid']);
    if (refused) return refused;
    const b = body as Record<string, unknown>;
    if (typeof b.queryUid !== 'string') return fastApi422(['body', 'queryUid'], 'str type expected', 'type_error.str');
    // [C] `string | null`, default noFeedback: null is the default too.
    const value = b.feedback === undefined || b.feedback === null ? 'noFeedback' : b.feedback;
    if (typeof value !== 'string' || !FEEDBACK_ENUM.includes(value)) {
      return fastApi422(['body', 'feedback'], `value is not a valid enumeration member; permitted: ${FEEDBACK_ENUM.map((v) => `'${v}'`).join(', ')}`, 'type_error.enum');
    }
    if (!queries.has(b.queryUid)) return notFound(`Query '${b.queryUid}' not found.`);
    feedback.push({ queryUid: b.queryUid, value, positive: value === 'true' ? true : value === 'false' ? false : null, body });
    return new Reply(200, { result: 'recorded' });
  };

  // ---------------------------------------------------------------------------
  // Streaming

  const stream = async (req: IncomingMessage, res: ServerResponse, answer: ReturnType<typeof answerFor>, datasets: DatasetEntry[]) => {
    const f = faults.current;
    const eol = f.streamCrlf ? '\r\n' : '\n';
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    const send = async (text: string) => {
      if (res.destroyed) return;
      const bytes = Buffer.from(text, 'utf8');
      const slice = f.streamSliceBytes && f.streamSliceBytes > 0 ? f.streamSliceBytes : bytes.length;
      for (let i = 0; i < bytes.length; i += slice) {
        if (!res.write(bytes.subarray(i, i + slice))) await once(res, 'drain');
        if (f.streamSliceBytes) await delay(1);
      }
      if (f.streamDelayMs) await delay(f.streamDelayMs);
    };
    const tutorial = f.streamShape === 'tutorial';
    const write = (type: string, payload: unknown) => send(`event: ${type}${eol}data: ${JSON.stringify(payload)}${eol}${eol}`);
    // The tutorial's shape: `message` events, the fields unwrapped, nothing but the answer.
    const event = (type: string, payload: { data: Record<string, unknown> }) => {
      if (!tutorial) return write(type, payload);
      if (type !== 'data' && type !== 'error') return Promise.resolve();
      return write(type === 'data' ? 'message' : type, payload.data);
    };

    const bench = f.streamBench ?? {};
    const stamped = (step: string) => (bench.stamp ? `${step} @${(performance.timeOrigin + performance.now()).toFixed(3)}` : step);
    await send(`: gaia-sim stream${eol}`);
    await event('progress', { data: { step: stamped(`Searching ${datasets.length} dataset${datasets.length === 1 ? '' : 's'}`) } });
    await event('progress', { data: { step: stamped(`Reading ${answer.documents.length} relevant document${answer.documents.length === 1 ? '' : 's'}`) } });
    for (let i = 0; i < (bench.steps ?? 0); i++) await event('progress', { data: { step: stamped(`Step ${i + 1}`) } });
    const pace = f.streamPace && f.streamPace.msPerWord > 0 ? f.streamPace.msPerWord : 0;
    if (pace) await delay(pace * 10);
    const pieces: string[] = [];
    if (f.streamPieces) pieces.push(...f.streamPieces);
    else {
      const whole = bench.answerChars ? corpusText(bench.answerChars) : answer.responseString;
      const size = bench.chunkChars ?? Math.max(8, Math.ceil(whole.length / 6));
      if (pace && !bench.chunkChars) pieces.push(...(whole.match(/\s*\S+/g) ?? [whole]));
      else for (let i = 0; i < whole.length; i += size) pieces.push(whole.slice(i, i + size));
    }
    const text = pieces.join('');
    const cumulative = f.streamMode === 'cumulative';
    const ids = f.streamUidOnEveryPiece ? { queryUid: answer.queryUid, conversationId: answer.conversationId } : {};
    let sofar = '';
    for (let i = 0; i < pieces.length; i++) {
      if (f.streamDropAfter !== undefined && i >= f.streamDropAfter) {
        // Let what was written reach the wire, then cut the connection without the
        // final chunk, as a crashed server or a dropped network would.
        await new Promise<void>((resolve) => res.write('', () => resolve()));
        await delay(20);
        req.socket.destroy();
        return;
      }
      if (f.streamError && i >= f.streamError.afterChunks) {
        await event('error', { data: { message: f.streamError.message ?? 'The language model stopped responding.', errorCode: 'kLlmError' } });
        res.end();
        return;
      }
      if (f.streamPause && i === f.streamPause.afterChunks) {
        // The model thinks: nothing but (optionally) keep-alive comments for a while.
        const until = Date.now() + f.streamPause.ms;
        while (Date.now() < until && !res.destroyed) {
          const step = Math.min(f.streamPause.keepAliveMs ?? f.streamPause.ms, until - Date.now());
          await delay(Math.max(1, step));
          if (f.streamPause.keepAliveMs && Date.now() < until) await send(`: keep-alive${eol}`);
        }
      }
      sofar += pieces[i];
      await event('data', { data: { responseString: cumulative ? sofar : pieces[i], ...ids } });
      if (i === 0) await send(`: keep-alive${eol}`);
      if (pace) await delay(pace);
    }
    await event('follow_up', { data: { followUpQuestions: answer.followUpQuestions } });
    const last = { documents: answer.documents, queryUid: answer.queryUid, conversationId: answer.conversationId };
    const marker = f.streamNoEndMarker ? {} : tutorial ? { finishReason: 'stop' } : { status: 'kSuccess' };
    await event('data', { data: { ...(tutorial && !cumulative ? {} : { responseString: cumulative ? text : '' }), ...last, ...marker } });
    res.end();
  };

  // ---------------------------------------------------------------------------
  // The API-key service

  const keyService = (method: string, rest: string[], body: unknown, permission: string): Reply => {
    const list = () => [...keys].map(([api_key, permissions]) => ({ api_key, config: { permissions } }));
    if (method === 'GET' && rest.length === 0) return new Reply(200, list());
    if (permission !== 'write') {
      return new Reply(403, { errorCode: 'KStatusForbidden', message: 'This API key is read-only; managing keys needs write permission.' });
    }
    // A FastAPI service: its 404s carry `detail`, as its 422s do.
    const keyNotFound = () => new Reply(404, { detail: 'API key not found.' });
    /** The body of POST and PUT, `{config:{permissions}}` and nothing else. */
    const checkConfig = (): Reply | 'read' | 'write' => {
      const refused = checkFields(body, ['config'], ['config']);
      if (refused) return refused;
      const config = (body as { config: unknown }).config;
      if (!config || typeof config !== 'object' || Array.isArray(config)) return fastApi422(['body', 'config'], 'value is not a valid dict', 'type_error.dict');
      const nested = checkFields(config, ['permissions'], ['permissions']);
      if (nested) return new Reply(422, { detail: (nested.body as { detail: Array<{ loc: string[] }> }).detail.map((d) => ({ ...d, loc: ['body', 'config', ...d.loc.slice(1)] })) });
      const { permissions } = config as { permissions: unknown };
      if (permissions !== 'read' && permissions !== 'write') return fastApi422(['body', 'config', 'permissions'], "value is not a valid enumeration member; permitted: 'read', 'write'", 'type_error.enum');
      return permissions;
    };
    if (method === 'POST' && rest.length === 0) {
      const permissions = checkConfig();
      if (permissions instanceof Reply) return permissions;
      const api_key = `sim-${permissions}-${randomBytes(6).toString('hex')}`;
      keys.set(api_key, permissions);
      return new Reply(200, { api_key, result: 'created' });
    }
    if (method === 'PUT' && rest.length === 1) {
      // FastAPI validates the body before the handler looks the key up.
      const permissions = checkConfig();
      if (permissions instanceof Reply) return permissions;
      if (!keys.has(rest[0])) return keyNotFound();
      keys.set(rest[0], permissions);
      // As the key service's page shows it: the key it acted on, and the result.
      return new Reply(200, { api_key: rest[0], result: 'updated' });
    }
    if (method === 'DELETE' && rest.length === 2 && rest[0] === 'delete') {
      if (!keys.delete(rest[1])) return keyNotFound();
      return new Reply(200, { api_key: rest[1], result: 'deleted' });
    }
    const allowed = rest.length === 0 ? ['GET', 'POST'] : rest.length === 1 ? ['PUT'] : rest.length === 2 && rest[0] === 'delete' ? ['DELETE'] : null;
    return allowed ? methodNotAllowed(allowed) : new Reply(404, { detail: 'Not Found' });
  };

  // ---------------------------------------------------------------------------
  // Dispatch

  const route = async (req: IncomingMessage, res: ServerResponse, method: string, segments: string[], query: Record<string, string | string[]>, body: unknown, permission: string): Promise<Reply | null> => {
    const base = BASE_PATH.split('/').slice(1);
    const keyBase = KEY_SERVICE_PATH.split('/').slice(1);
    const trimmed = segments.length > 1 && segments[segments.length - 1] === '' ? segments.slice(0, -1) : segments;
    if (keyBase.every((s, i) => trimmed[i] === s)) return keyService(method, trimmed.slice(keyBase.length), body, permission);
    if (!base.every((s, i) => trimmed[i] === s)) return new Reply(404, { detail: 'Not Found' });
    const r = trimmed.slice(base.length);
    const is = (m: string, ...parts: Array<string | null>) => method === m && r.length === parts.length && parts.every((p, i) => p === null || p === r[i]);
    if (allowedMethods(r)?.includes(method)) {
      const refused = checkQuery(r, query);
      if (refused) return refused;
    }

    if (is('GET', 'datasets')) return listDatasets(query);
    if (is('GET', 'datasets', 'stats')) return stats();
    if (is('GET', 'dataset', null, 'details')) return datasetDetails(r[1]);
    if (is('GET', 'dataset', null, 'discovery')) {
      if (faults.current.discoveryNeedsModify && permission !== 'write') {
        return new Reply(403, { errorCode: 'KStatusForbidden', message: 'Getting dataset discovery results needs the GAIA_MODIFY privilege.' });
      }
      // [C] getdatasetdiscoveryresults-1: the number of levels is required.
      const levels = scalar(query.numLevels);
      if (levels === undefined) return fastApi422(['query', 'numLevels'], 'field required', 'value_error.missing');
      // [C] getdatasetdiscoveryresults-1: both int32, read as pydantic reads ints (the page gives no bounds).
      if (!INT_TEXT.test(levels)) return fastApi422(['query', 'numLevels'], 'value is not a valid integer', 'type_error.integer');
      const level = scalar(query.level);
      if (level !== undefined && !INT_TEXT.test(level)) return fastApi422(['query', 'level'], 'value is not a valid integer', 'type_error.integer');
      const e = catalog.byId(r[1]);
      if (!e) return notFound(`Dataset id '${r[1]}' not found.`);
      return new Reply(200, { results: topicsOf(e) });
    }
    if (is('GET', 'dataset', null, 'discovery', null, 'summary')) {
      // [C] the "all suggested questions in one go" flag is required.
      const all = scalar(query[ALL_QUESTIONS_PARAM]);
      if (all === undefined) return fastApi422(['query', ALL_QUESTIONS_PARAM], 'field required', 'value_error.missing');
      // FastAPI reads a boolean query value as pydantic does: true/false, 1/0, yes/no, on/off.
      const flag = /^(true|1|yes|on|t|y)$/i.test(all) ? true : /^(false|0|no|off|f|n)$/i.test(all) ? false : null;
      if (flag === null) return fastApi422(['query', ALL_QUESTIONS_PARAM], 'value could not be parsed to a boolean', 'type_error.bool');
      const e = catalog.byId(r[1]);
      const topic = e && topicsOf(e).find((t) => t.uuid === r[3]);
      if (!e || !topic) return notFound(`Topic '${r[3]}' not found.`);
      const doc = e.docs.find((d) => d.title === topic.name);
      const questions = topic.suggestedQuestions as unknown[];
      return new Reply(200, { description: doc?.paragraphs.slice(0, 2).join(' ') ?? topic.description, suggestedQuestions: flag ? questions : questions.slice(0, 1) });
    }
    if (is('GET', 'llms')) {
      return new Reply(200, { llms: LLMS });
    }
    if (is('POST', 'ask') || is('POST', 'ask', 'stream')) {
      const input = checkAsk(body, r.length === 2);
      if (input instanceof Reply) return input;
      const answer = answerFor(input, search(input.question, input.datasets));
      // [C] queryllmstream-1 answers JSON unless the client asks for text/event-stream.
      if (r.length === 1 || !wantsEvents(req)) return new Reply(200, answer);
      await stream(req, res, answer, input.datasets);
      return null;
    }
    if (is('POST', 'ask', 'refine') || is('POST', 'ask', 'refine', 'stream')) {
      const refined = refineInput(body);
      if (refined instanceof Reply) return refined;
      const answer = answerFor(refined.input, refined.hits);
      if (r.length === 2 || !wantsEvents(req)) return new Reply(200, answer);
      await stream(req, res, answer, refined.input.datasets);
      return null;
    }
    if (is('PUT', 'ask', 'exhaustive')) return exhaustive(body);
    if (is('POST', 'ask', 'feedback')) return recordFeedback(body, permission);
    // [C] deleteconversation needs GAIA_VIEW only (every key here has it); the path is [I].
    if (is('DELETE', 'conversations', null)) {
      if (!conversations.delete(r[1])) return notFound(`Conversation '${r[1]}' not found.`);
      return new Reply(204, null);
    }
    const allowed = allowedMethods(r);
    return allowed ? methodNotAllowed(allowed) : new Reply(404, { detail: 'Not Found' });
  };

  const sendJson = async (res: ServerResponse, reply: Reply, pathForFaults: string) => {
    if (reply.status === 204) {
      res.writeHead(204, reply.headers).end();
      return;
    }
    if (reply.status === 200 && faults.take('invalidJson', pathForFaults)) {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"datasets": [ {"name": "trunc');
      return;
    }
    if (reply.status === 200 && faults.take('runawayBody', pathForFaults)) {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 'x');
      res.write('{"datasets": [], "padding": "');
      while (!res.destroyed && !res.writableEnded) {
        // One listener each, removed once either fires: a race of two once() would leave the
        // loser's listeners behind on every wait (and Node warns past ten).
        if (!res.write(chunk)) {
          await new Promise<void>((resolve) => {
            const go = () => {
              res.off('drain', go);
              res.off('close', go);
              resolve();
            };
            res.on('drain', go);
            res.on('close', go);
          });
        }
      }
      return;
    }
    const payload = JSON.stringify(reply.body);
    res.writeHead(reply.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...reply.headers }).end(payload);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const [rawPath, rawQuery = ''] = (req.url ?? '/').split(/\?(.*)/s);
    const chunks: Buffer[] = [];
    let size = 0;
    // A body past the limit is refused as the gateway in front of Gaia would: a JSON 413
    // (its wording is the simulator's; Gaia's limit and body are undocumented), said as
    // soon as it is known (a declared length, or the bytes so far), and the connection
    // closed, since the rest of the upload is not read.
    const tooLarge = () => {
      requestLog.push({ method: req.method ?? 'GET', path: rawPath, rawPath, query: parseQuery(rawQuery), headers: req.headers, rawHeaders: req.rawHeaders, body: undefined, at: Date.now() });
      const payload = JSON.stringify(BODY_TOO_LARGE_413);
      res.writeHead(413, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), connection: 'close' }).end(payload);
    };
    if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
      tooLarge();
      return;
    }
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > MAX_BODY_BYTES) {
        tooLarge();
        return;
      }
      chunks.push(c as Buffer);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    // The log keeps what arrived (parsed when it is JSON); routes get what FastAPI would
    // hand a model: the decoded JSON, the bytes as text when the body says it is not
    // JSON (no model takes them), or the decoder's complaint.
    let body: unknown = text || undefined;
    let routed: unknown = body;
    if (text) {
      try {
        body = JSON.parse(text);
        routed = saysJson(req.headers['content-type']) ? body : text;
      } catch (err) {
        routed = saysJson(req.headers['content-type']) ? jsonDecodeError(text, err) : text;
      }
    }
    const segments = faults.current.decodedPathRouting ? decodeThenSplit(rawPath) : decodeSegments(rawPath);
    const query = parseQuery(rawQuery);
    requestLog.push({ method: req.method ?? 'GET', path: segments ? `/${segments.join('/')}` : rawPath, rawPath, query, headers: req.headers, rawHeaders: req.rawHeaders, body, at: Date.now() });

    const latency = (o.latencyMs ?? 0) + (faults.current.latencyMs ?? 0);
    if (latency) await delay(latency);
    if (faults.take('reset', rawPath)) {
      req.socket.destroy();
      return;
    }
    if (faults.take('hang', rawPath)) return; // the client's deadline, or stop(), ends it
    const limit = faults.take('rateLimit', rawPath);
    if (limit) {
      const retryAfter = limit.retryAfter ?? 1;
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(retryAfter) }).end(JSON.stringify({ errorCode: 'kTooManyRequests', message: 'Rate limit exceeded.' }));
      return;
    }
    const failure = faults.take('serverError', rawPath);
    if (failure) {
      res.writeHead(failure.status ?? 503, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'The Gaia orchestrator is temporarily unavailable.', errorCode: 'kServiceUnavailable' }));
      return;
    }
    const html = faults.take('htmlPage', rawPath);
    if (html) {
      res.writeHead(html.status ?? 200, { 'content-type': 'text/html; charset=utf-8' }).end(
        '<!DOCTYPE html><html><head><title>Sign in – Contoso Access</title></head><body><form action="/login"><input name="user"></form><script>var secret="do-not-show";</script></body></html>',
      );
      return;
    }
    const override = faults.take('bodyOverride', rawPath);
    if (override) {
      const payload = JSON.stringify(override.body);
      res.writeHead(override.status ?? 200, { 'content-type': 'application/json' }).end(payload);
      return;
    }
    const missing = faults.current.missingEndpoints?.some((m) => rawPath === `${BASE_PATH}${m}` || rawPath === m);
    if (missing) {
      const status = faults.current.missingStatus ?? 404;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ detail: status === 404 ? 'Not Found' : 'Method Not Allowed' }));
      return;
    }
    if (!segments) {
      await sendJson(res, new Reply(400, { message: 'Malformed path.' }), rawPath);
      return;
    }
    const apiKey = req.headers['apikey'];
    const permission = typeof apiKey === 'string' ? keys.get(apiKey) : undefined;
    if (!permission) {
      await sendJson(res, new Reply(401, { errorCode: 'KStatusUnauthorized' }), rawPath);
      return;
    }
    if (faults.current.requireSecurityContext && !req.headers['x-gaia-security-ctx'] && rawPath.startsWith(BASE_PATH)) {
      await sendJson(res, new Reply(403, TENANT_CONTEXT_403), rawPath);
      return;
    }
    // Starlette answers HEAD wherever it answers GET (Node leaves the body out).
    const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
    const reply = await route(req, res, method, segments, query, routed, permission);
    if (reply) await sendJson(res, reply, rawPath);
  };

  const server = https.createServer({ key: pki.keyPem, cert: pki.certChainPem }, (req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ message: `simulator bug: ${String(err)}` }));
      else res.destroy();
    });
  });
  server.on('secureConnection', () => connectionCount++);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  // A TLS failure test makes the client hang up mid-handshake; that is expected.
  server.on('tlsClientError', () => {});
  server.listen(o.port ?? 0, host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const origin = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    baseUrl: `${origin}${BASE_PATH}`,
    origin,
    caPem: pki.rootPem,
    intermediatePem: pki.intermediatePem,
    leafPem: pki.leafPem,
    caFile,
    demoKey,
    readKey,
    faults,
    requestLog,
    feedback,
    conversations,
    keys: () => [...keys].map(([apiKey, permissions]) => ({ apiKey, permissions })),
    connections: () => connectionCount,
    stop: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
      await closed;
      if (ownDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
