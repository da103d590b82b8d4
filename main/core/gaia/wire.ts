/**
 * Gaia's JSON as it travels, in zod. Tolerant on purpose: objects are loose (new fields
 * are fine), [I] fields are optional, and a field of the wrong type is dropped (`.catch`)
 * rather than failing a whole answer. Only what the app cannot work without is
 * required. convert.ts turns these into the contract's shapes, once. The [C]/[I] marks
 * are those of docs/gaia-api.md.
 */
import { z } from 'zod';

/** A field that is dropped, not fatal, when it has an unexpected type. */
const opt = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

export const text = opt(z.string().nullable());
/** Counts and scores sometimes arrive as strings. */
export const num = opt(z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/).transform(Number)]).nullable());
export const flag = opt(z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).nullable());
/** Microseconds since the epoch (numbers or digit strings). */
export const usecs = num;
/** Ids are strings in some answers and numbers in others. */
export const ident = opt(z.union([z.string(), z.number().transform(String)]).nullable());
const list = opt(z.array(z.unknown()));
const record = opt(z.record(z.string(), z.unknown()));

export const WireIndexingRun = z.looseObject({
  startTimeUsecs: usecs,
  endTimeUsecs: usecs,
  stats: record,
  health: z.unknown().optional(),
  progress: z.unknown().optional(),
});

export const WireDataset = z.looseObject({
  name: z.string().min(1),
  id: ident,
  description: text,
  numObjects: num,
  numQueries: num,
  dataSources: list,
  baasSnapshots: list,
  indexingWindow: opt(z.looseObject({ mostRecent: z.unknown().optional(), startTimeUsecs: usecs, endTimeUsecs: usecs })),
  userIds: list,
  lastIndexingRun: opt(WireIndexingRun),
  status: z.unknown().optional(),
});
export type WireDataset = z.infer<typeof WireDataset>;

// WireDataset by hand, for the list: datasets arrive by the 100,000, and zod's wrappers
// per field (optional, catch, nullable, union) cost about ten microseconds a dataset —
// more than fetching it. Same rules, same output (the zod schema above stays the
// reference: test/unit/gaia-wire-dataset.test.ts checks the two agree on arbitrary input).
type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);
const NUMERIC = /^-?\d+(\.\d+)?$/;
const readText = (v: unknown) => (typeof v === 'string' || v === null ? v : undefined);
const readNum = (v: unknown) =>
  typeof v === 'number' ? (Number.isFinite(v) ? v : undefined) : typeof v === 'string' && NUMERIC.test(v) ? Number(v) : v === null ? null : undefined;
const readIdent = (v: unknown) => (typeof v === 'string' || v === null ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined);
const readList = (v: unknown) => (Array.isArray(v) ? v : undefined);
const readRecord = (v: unknown) => (isObject(v) ? v : undefined);

/** The same field rules, for convert.ts's straight-line read of a listed dataset (readDatasetSummary). */
export const wireField = { isObject, text: readText, num: readNum, ident: readIdent, list: readList } as const;

type Fields = ReadonlyArray<readonly [key: string, read: (x: unknown) => unknown]>;
/**
 * Reads the declared keys that are present (absent ones stay absent, as in zod), keeping
 * the rest as they are. A well-formed dataset comes back as it came, uncopied: only a
 * field that reads differently (a digit string, a wrong type) makes a copy.
 */
function readLoose(v: Loose, fields: Fields): Loose {
  let out: Loose | null = null;
  for (const [key, read] of fields) {
    if (!(key in v)) continue;
    const before = v[key];
    const after = read(before);
    if (after !== before) {
      out ??= { ...v };
      out[key] = after;
    }
  }
  return out ?? v;
}
const RUN_FIELDS: Fields = [
  ['startTimeUsecs', readNum],
  ['endTimeUsecs', readNum],
  ['stats', readRecord],
];
const WINDOW_FIELDS: Fields = [
  ['startTimeUsecs', readNum],
  ['endTimeUsecs', readNum],
];
const DATASET_FIELDS: Fields = [
  ['id', readIdent],
  ['description', readText],
  ['numObjects', readNum],
  ['numQueries', readNum],
  ['dataSources', readList],
  ['baasSnapshots', readList],
  ['indexingWindow', (x: unknown) => (isObject(x) ? readLoose(x, WINDOW_FIELDS) : undefined)],
  ['userIds', readList],
  ['lastIndexingRun', (x: unknown) => (isObject(x) ? readLoose(x, RUN_FIELDS) : undefined)],
];

/** WireDataset.safeParse(value), fast: the dataset, or null when it has no usable name. */
export function readWireDataset(value: unknown): WireDataset | null {
  if (!isObject(value) || typeof value.name !== 'string' || value.name.length === 0) return null;
  return readLoose(value, DATASET_FIELDS) as WireDataset;
}

/** Items are checked one by one (see convert.ts), so one odd dataset cannot hide the rest. */
export const WireDatasetPage = z.looseObject({
  datasets: z.array(z.unknown()).nullable().transform((v) => v ?? []),
  paginationToken: text,
});
export type WireDatasetPage = z.infer<typeof WireDatasetPage>;

/**
 * WireDatasetPage.safeParse(value), by hand: every page of every list goes through it,
 * and zod's parse (which copies the page and its array to hand back the same values)
 * was a good part of what the client adds to a page. The same rules: an object whose
 * `datasets` is an array or null (read as []) — anything else is refused (null) — and a
 * `paginationToken` kept when it is a string or null, dropped otherwise. The zod schema
 * stays the reference: test/unit/gaia-wire-dataset.test.ts checks the two agree.
 */
export function readWireDatasetPage(value: unknown): WireDatasetPage | null {
  if (!isObject(value)) return null;
  const datasets = value.datasets;
  if (datasets !== null && !Array.isArray(datasets)) return null;
  const hasToken = 'paginationToken' in value;
  const token = hasToken ? readText(value.paginationToken) : undefined;
  // A well-formed page (every page of every list: JSON.parse's plain objects) comes back as it came, uncopied.
  if (datasets !== null && token === value.paginationToken && Object.getPrototypeOf(value) === Object.prototype) return value as WireDatasetPage;
  const page: Loose = { ...value, datasets: datasets ?? [] };
  if (hasToken) page.paginationToken = token;
  return page as WireDatasetPage;
}

export const WireTopic = z.looseObject({
  uuid: ident,
  id: ident,
  name: text,
  title: text,
  description: text,
  percentage: num,
  subThemes: list,
  suggestedQuestions: list,
});

export const WireTopicSummary = z.looseObject({
  description: text,
  summary: text,
  suggestedQuestions: list,
});

export const WireLlm = z.looseObject({
  id: ident,
  name: text,
  displayName: text,
  type: text,
  isDefault: flag,
  isDisabled: flag,
});

export const WireCitation = z.looseObject({ cosineScore: num, score: num, textSnippet: text, snippet: text });

export const WireDocument = z.looseObject({
  documentId: ident,
  id: ident,
  name: text,
  absolutePath: text,
  path: text,
  type: text,
  datasetId: ident,
  datasetName: text,
  folderId: ident,
  citations: list,
  objectInfo: opt(z.looseObject({ name: text, objectId: ident, environment: text, clusterIdentifier: z.unknown().optional() })),
  baasSnapshot: opt(z.looseObject({ regionId: text, snapshotInfo: opt(z.looseObject({ runInstanceId: ident, runStartTimeUsecs: usecs })) })),
});

/**
 * The answer of POST /ask (and the payload of streamed `data` events, where [I] the
 * fields may sit under `data` or at the top level).
 */
export const WireAnswer = z.looseObject({
  responseString: text,
  queryUid: ident,
  conversationId: ident,
  status: z.unknown().optional(),
  documents: list,
  followUpQuestions: list,
  followUps: list,
  /** [I] the tutorial stream's last event carries one. */
  finishReason: text,
  /** [I] markers some streams put on their last event. */
  final: flag,
  isFinal: flag,
  done: flag,
  isLast: flag,
});
export type WireAnswer = z.infer<typeof WireAnswer>;

/** Fields of WireAnswer that a string passes through unchanged (text and ident). */
const PLAIN_ANSWER_FIELDS = new Set(['responseString', 'queryUid', 'conversationId', 'finishReason']);

/**
 * WireAnswer.safeParse(value).data for the common streamed piece, fast: an object whose
 * every field is one of those, holding a string, reads as it is (WireAnswer would copy
 * it unchanged). Null for anything else, which goes through WireAnswer. A long answer
 * arrives as tens of thousands of such pieces.
 */
export function readPlainAnswerPiece(value: Record<string, unknown>): WireAnswer | null {
  for (const key in value) if (!PLAIN_ANSWER_FIELDS.has(key) || typeof value[key] !== 'string') return null;
  return value as WireAnswer;
}

export const WireExhaustivePage = z.looseObject({ documents: list, paginationToken: text });

export const WireApiKey = z.looseObject({
  api_key: z.string().min(1),
  config: opt(z.looseObject({ permissions: z.unknown().optional() })),
});
export const WireApiKeyList = z.union([z.array(z.unknown()), z.looseObject({ api_keys: z.array(z.unknown()) }).transform((o) => o.api_keys)]);
export const WireApiKeyResult = z.looseObject({ api_key: z.string().min(1), result: text });

// ---------------------------------------------------------------------------
// Request bodies: one place for the field names Gaia expects (docs/gaia-api.md).

/**
 * Names Cohesity's reference does not show (it gives type, requiredness and description
 * of a plain parameter, not its name). Each is our best reading, marked [I] in
 * docs/gaia-api.md §"Names the reference does not show"; change it here and only here
 * when a real server says otherwise (Gaia's 400/422 message is shown to the user).
 */
export const UNDOCUMENTED = {
  /** GET /datasets: the name-substring filter. */
  nameSubstringParam: 'nameSubstring',
  /** GET /dataset/{id}/discovery/{uuid}/summary: the required boolean "all suggested questions in one go". */
  allQuestionsParam: 'allSuggestedQuestions',
  /** POST /ask/feedback: the field holding the feedback enum. */
  feedbackField: 'feedback',
  /** POST /ask/feedback: the field holding the query uid (the name every other Gaia body uses). */
  feedbackQueryUidField: 'queryUid',
} as const;

/**
 * [C] addqueryfeedback-1: the feedback is a string enum whose default is `noFeedback`;
 * its description reads "true for correct, false for off-target", so those two strings
 * are taken as the other members [I].
 */
export const FEEDBACK_VALUES = { up: 'true', down: 'false', none: 'noFeedback' } as const;
export type WireFeedbackValue = (typeof FEEDBACK_VALUES)[keyof typeof FEEDBACK_VALUES];

/** [C] getdatasets-1 names sortField/sortOrder (Power Platform MCP connector); values [I]. */
export const DATASET_SORT_FIELDS = ['name', 'numObjects', 'numQueries', 'lastIndexedTime'] as const;
export type DatasetSortField = (typeof DATASET_SORT_FIELDS)[number];
export const SORT_ORDERS = ['asc', 'desc'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

export interface WireAskBody {
  datasetNames: string[];
  queryString: string;
  /** [C] Microsoft's Logic Apps client sends llmName together with llmId. */
  llmName?: string;
  llmId?: string;
  queryLanguageCode?: string;
  conversationId?: string;
}

export interface WireRefineBody {
  queryUid: string;
  documentUids: string[];
}

export interface WireExhaustiveBody {
  datasetName: string;
  queryString: string;
  /** 1..100 [I: community material gives 100 as the maximum]. */
  pageSize: number;
  paginationToken?: string;
}

/** The one shape of POST /ask/feedback: the query uid and the enum, nothing else. */
export function wireFeedbackBody(queryUid: string, value: WireFeedbackValue): Record<string, string> {
  return { [UNDOCUMENTED.feedbackQueryUidField]: queryUid, [UNDOCUMENTED.feedbackField]: value };
}

export interface WireKeyConfigBody {
  config: { permissions: 'read' | 'write' };
}
