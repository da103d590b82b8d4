/**
 * Gaia's JSON as it travels, in zod. Tolerant on purpose: objects are loose (new fields
 * are fine), [I] fields are optional, and a field of the wrong type is dropped (`.catch`)
 * rather than failing a whole answer. Only what the app cannot work without is
 * required. convert.ts turns these into the contract's shapes, once.
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

/** Reads the declared keys that are present (absent ones stay absent, as in zod), keeping the rest as they are. */
function readLoose(v: Loose, fields: Record<string, (x: unknown) => unknown>): Loose {
  const out: Loose = { ...v };
  for (const key in fields) if (key in v) out[key] = fields[key](v[key]);
  return out;
}
const RUN_FIELDS = { startTimeUsecs: readNum, endTimeUsecs: readNum, stats: readRecord };
const WINDOW_FIELDS = { startTimeUsecs: readNum, endTimeUsecs: readNum };
const DATASET_FIELDS = {
  id: readIdent,
  description: readText,
  numObjects: readNum,
  numQueries: readNum,
  dataSources: readList,
  baasSnapshots: readList,
  indexingWindow: (x: unknown) => (isObject(x) ? readLoose(x, WINDOW_FIELDS) : undefined),
  userIds: readList,
  lastIndexingRun: (x: unknown) => (isObject(x) ? readLoose(x, RUN_FIELDS) : undefined),
};

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
  /** [I] markers some streams put on their last event. */
  final: flag,
  isFinal: flag,
  done: flag,
  isLast: flag,
});
export type WireAnswer = z.infer<typeof WireAnswer>;

export const WireExhaustivePage = z.looseObject({ documents: list, paginationToken: text });

export const WireApiKey = z.looseObject({
  api_key: z.string().min(1),
  config: opt(z.looseObject({ permissions: z.unknown().optional() })),
});
export const WireApiKeyList = z.union([z.array(z.unknown()), z.looseObject({ api_keys: z.array(z.unknown()) }).transform((o) => o.api_keys)]);
export const WireApiKeyResult = z.looseObject({ api_key: z.string().min(1), result: text });

// ---------------------------------------------------------------------------
// Request bodies: one place for the field names Gaia expects.

export interface WireAskBody {
  datasetNames: string[];
  queryString: string;
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
  pageSize: number;
  paginationToken?: string;
}

/** [I]: the feedback body is not documented; thumbs as a boolean, plus an optional comment. */
export interface WireFeedbackBody {
  queryUid: string;
  isPositive: boolean;
  comment?: string;
}

export interface WireKeyConfigBody {
  config: { permissions: 'read' | 'write' };
}
