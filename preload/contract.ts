/**
 * The one contract between the renderer and the main process.
 *
 * Every channel is `gaia:<area>.<verb>` with a zod schema for its request and its
 * response; every push event is `gaia:<area>.<name>` with a schema for its payload.
 * The TypeScript types are derived from these schemas and written nowhere else: the
 * handler table in main, the preload bridge, the renderer and the preview transport all
 * take their types from here.
 *
 * Requests are strict (an unknown key is refused, so nothing smuggles extra fields into
 * a handler); responses are stripped to their schema on the way out, so a field a
 * handler adds by mistake never crosses the bridge.
 *
 * This file must stay free of Node and Electron imports: the sandboxed preload and the
 * renderer both load it.
 */
import { z } from 'zod';
import { PAGE_NAMES, type ChannelName, type EventChannelName } from './names';

export { GaiaError } from './gaia-error';
export { CHANNEL_NAMES, EVENT_NAMES, eventMethodName, splitChannel } from './names';

// ---------------------------------------------------------------------------
// Building blocks

const text = (max: number) => z.string().max(max);
/** A millisecond timestamp (Gaia's microseconds are converted once, in main's client). */
const millis = z.number().finite();
/**
 * A calendar day the user gives (ms): from 1970 to the end of year 9999. Wider values are
 * finite numbers yet no Date the page can show (`toISOString` and `Intl` throw on them), so a
 * stored one would break the page that shows it at every start.
 */
export const DAY_MILLIS_MAX = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const dayMillis = z.number().int().min(0).max(DAY_MILLIS_MAX);
const id = z.string().min(1).max(128).regex(/^[A-Za-z0-9_.:-]+$/, 'an id holds only letters, digits and _ . : -');
/**
 * A connection profile's id. Its own schema (not `id`), so tests can find every request
 * that names a profile by walking the contract (test/integration/key-redirect.test.ts).
 */
export const ProfileId = id.describe('profile id');
/** Opaque handle a renderer can pass back (never a secret). */
export const KeyHandle = id.describe('key handle');
const handle = KeyHandle;
/** A renderer-chosen id that ties events and cancellation to one call. */
const requestId = z.string().min(8).max(64).regex(/^[A-Za-z0-9_-]+$/);

export const ErrorKind = z.enum([
  // bridge and validation
  'invalid-request',
  'unknown-channel',
  'forbidden-sender',
  'invalid-response',
  // Gaia's answers
  'unauthorized',
  'forbidden',
  'not-found',
  'rate-limited',
  'server-error',
  'validation-failed',
  'html-response',
  'unexpected-response',
  'unsupported',
  // transport
  'tls-unknown-ca',
  'tls-self-signed',
  'tls-hostname-mismatch',
  'tls-expired',
  'tls-fingerprint-changed',
  'tls-other',
  'dns',
  'connection-refused',
  'connection-reset',
  'timeout',
  'proxy',
  'aborted',
  'stream-dropped',
  'body-too-large',
  'network',
  // local
  'bad-url',
  'bad-key',
  'bad-certificate',
  'keychain-unavailable',
  'keychain-timeout',
  'keychain-failed',
  'storage',
  'not-connected',
  /** The change would send the stored key somewhere new: the key must be typed again. */
  'key-required',
  'no-such-profile',
  'no-such-conversation',
  /** A local assistant asked for a connection the user has not allowed it to use. */
  'not-allowed',
  'internal',
]);
export type ErrorKind = z.infer<typeof ErrorKind>;

/** Groups of error kinds, each written once, for main and the page alike. */
export const ErrorKindGroups = {
  /** Gaia could not be reached: DNS, the network, the proxy or the connection itself. */
  network: ['dns', 'connection-refused', 'connection-reset', 'timeout', 'network', 'proxy', 'stream-dropped'],
  /** The TLS connection was refused: the certificate, its host name, or a pinned fingerprint. */
  tls: ['tls-unknown-ca', 'tls-self-signed', 'tls-hostname-mismatch', 'tls-expired', 'tls-fingerprint-changed', 'tls-other'],
  /** Gaia (or a gateway or captive portal in front of it) answered, but not with what was asked for. */
  unwell: ['server-error', 'rate-limited', 'html-response'],
  /** A streamed answer broke off part-way, so what arrived is worth keeping. */
  brokeOff: ['stream-dropped', 'timeout', 'aborted', 'connection-reset', 'network', 'body-too-large'],
} as const satisfies Record<string, readonly ErrorKind[]>;
export type ErrorKindGroup = keyof typeof ErrorKindGroups;

export function isKindIn(kind: ErrorKind, ...groups: ErrorKindGroup[]): boolean {
  return groups.some((group) => (ErrorKindGroups[group] as readonly ErrorKind[]).includes(kind));
}

export const CertificateSummary = z.object({
  subject: text(2048),
  issuer: text(2048),
  validFrom: millis,
  validTo: millis,
  fingerprint256: text(128),
  isCA: z.boolean(),
  selfSigned: z.boolean(),
  /** PEM text of the certificate: public material, needed for "trust this certificate". */
  pem: text(64 * 1024),
});
export type CertificateSummary = z.infer<typeof CertificateSummary>;

export const FieldProblem = z.object({ field: text(512), message: text(2048) });
export type FieldProblem = z.infer<typeof FieldProblem>;

/** What went wrong, in the user's words, and what to do about it. */
export const AppErrorInfo = z.object({
  kind: ErrorKind,
  /** What happened, in plain words. Never holds a key or raw HTML. */
  message: text(4096),
  /** The next step for the user. */
  action: text(4096),
  status: z.number().int().optional(),
  retryAfterMs: z.number().nonnegative().optional(),
  /** Field-level problems (Gaia's 422 details, or request validation). */
  fields: z.array(FieldProblem).max(200).optional(),
  /** The chain the server presented, when TLS verification failed. */
  certificates: z.array(CertificateSummary).max(16).optional(),
  /** The host the failure concerns, when there is one. */
  host: text(512).optional(),
  /** What Gaia's error body said, redacted and shortened (shown beside `message`). */
  serverMessage: text(512).optional(),
});
export type AppErrorInfo = z.infer<typeof AppErrorInfo>;

/** Every handler answers with this envelope, so typed errors survive the bridge. */
export const envelope = <T extends z.ZodType>(value: T) =>
  z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }),
    z.object({ ok: z.literal(false), error: AppErrorInfo }),
  ]);
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: AppErrorInfo };

const Empty = z.strictObject({});

// ---------------------------------------------------------------------------
// App and settings

export const StorageProblem = z.object({
  file: text(4096),
  /** Where the unreadable file was moved, so nothing is lost. */
  movedTo: text(4096).nullable(),
  message: text(4096),
});
export type StorageProblem = z.infer<typeof StorageProblem>;

export const AppInfo = z.object({
  name: text(128),
  version: text(64),
  platform: text(32),
  arch: text(32),
  shell: z.enum(['electron', 'preview', 'cli']),
  versions: z.object({ node: text(64), electron: text(64).nullable(), chrome: text(64).nullable() }),
  dataDir: text(4096),
  /** What went wrong with the data folder or settings at start (a reset file, a folder that cannot be written). */
  problems: z.array(StorageProblem).max(20),
  logDir: text(4096),
});
export type AppInfo = z.infer<typeof AppInfo>;

/** What the app menu asks the window to do; the same commands as the keyboard shortcuts. */
export const MenuCommand = z.enum(['palette', 'new-conversation', 'find', 'connections', 'datasets', 'ask', 'keys', 'settings']);
export type MenuCommand = z.infer<typeof MenuCommand>;

export const Theme = z.enum(['system', 'light', 'dark']);
export type Theme = z.infer<typeof Theme>;

/** The sidebar's pages, in their order. */
export const PageName = z.enum(PAGE_NAMES);
export type PageName = z.infer<typeof PageName>;

/** Where the user left the app, so it reopens there. */
export const Resume = z.object({
  page: PageName,
  /** The profile the conversation and the draft belong to. */
  profileId: id.nullable(),
  /** The conversation open on Ask. */
  conversationId: id.nullable(),
  /** The question typed and not sent yet. */
  draft: text(32 * 1024),
});
export type Resume = z.infer<typeof Resume>;

const SettingsFields = {
  theme: Theme,
  keepHistory: z.boolean(),
  /** Remind the user to rotate a key older than this. */
  keyAgeWarningDays: z.number().int().min(1).max(3650),
  openAtLogin: z.boolean(),
  /**
   * The connections (profile ids) local assistants may use through `gaia-desktop mcp`.
   * Absent or empty: the MCP server refuses every call. (Optional, not defaulted: a
   * default would reset it on every partial update.)
   */
  localAssistants: z.array(id).max(1000).optional(),
  resume: Resume,
};
export const Settings = z.object({
  ...SettingsFields,
  // A settings file from before `resume` existed still loads, opening on Connections.
  resume: Resume.default({ page: 'connections', profileId: null, conversationId: null, draft: '' }),
});
export type Settings = z.infer<typeof Settings>;

export const Diagnostics = z.object({ text: text(1024 * 1024) });
export type Diagnostics = z.infer<typeof Diagnostics>;

// ---------------------------------------------------------------------------
// Keychain and profiles

export const KeychainStatus = z.object({
  /** The OS keychain answered and can hold keys. */
  available: z.boolean(),
  /** e.g. "Secret Service (GNOME Keyring)", "macOS Keychain", "Windows Credential Manager". */
  backend: text(256),
  /** Keys are held in memory until the app quits, by the user's choice. */
  sessionOnly: z.boolean(),
  /** When unavailable: what is missing and how to fix it on this OS. */
  problem: z.object({ message: text(4096), action: text(4096) }).nullable(),
});
export type KeychainStatus = z.infer<typeof KeychainStatus>;

/** Where a stored key lives: the OS keychain, or this session's memory only. */
export const KeyStorageLocation = z.enum(['keychain', 'session']);
export type KeyStorageLocation = z.infer<typeof KeyStorageLocation>;

export const KeyInfo = z.object({
  /** The last four characters, cut in main. The key itself never crosses the bridge. */
  last4: z.string().max(4).nullable(),
  storage: z.enum([...KeyStorageLocation.options, 'none']),
  addedAt: millis.nullable(),
});
export type KeyInfo = z.infer<typeof KeyInfo>;

export const Profile = z.object({
  id: ProfileId,
  name: text(200),
  baseUrl: text(2048),
  securityContext: text(4096).nullable(),
  /** The profile's own CA bundle (or a certificate trusted on first use), summarised. */
  ca: z.array(CertificateSummary).max(16),
  /** Set when the CA came from "trust this certificate": the pinned SHA-256 fingerprint. */
  trustedFingerprint: text(128).nullable(),
  proxyUrl: text(2048).nullable(),
  /** False only by the user's choice, for this profile's host only; the UI shows it in red. */
  verifyTls: z.boolean(),
  createdAt: millis,
  lastUsedAt: millis.nullable(),
  /** When the user said the key expires (local midnight of that day), to remind and to explain a 401. */
  keyExpiresAt: millis.nullable().default(null),
  key: KeyInfo,
});
export type Profile = z.infer<typeof Profile>;

export const ProfileList = z.object({
  profiles: z.array(Profile),
  activeId: ProfileId.nullable(),
  problems: z.array(StorageProblem),
});
export type ProfileList = z.infer<typeof ProfileList>;

/**
 * What a connection is made of. Every field but the name and security context decides
 * where a key goes or under which trust (key-binding.ts); exported so tests can find
 * every request that carries one.
 */
export const ConnectionFields = {
  name: text(200).min(1),
  baseUrl: text(2048).min(1),
  securityContext: text(4096).nullable().optional(),
  /** PEM text (one file may hold a chain). Null clears the profile's CA. */
  caPem: text(1024 * 1024).nullable().optional(),
  /** Pins a certificate accepted with "trust this certificate". */
  trustedFingerprint: text(128).nullable().optional(),
  proxyUrl: text(2048).nullable().optional(),
  verifyTls: z.boolean().optional(),
  /** The key's expiry date as the user knows it (ms); null clears it. Not checked with Gaia. */
  keyExpiresAt: dayMillis.nullable().optional(),
};

export const UrlCheck = z.object({
  normalized: text(2048).nullable(),
  warnings: z.array(text(1024)),
  error: AppErrorInfo.nullable(),
});
export type UrlCheck = z.infer<typeof UrlCheck>;

// ---------------------------------------------------------------------------
// Datasets

export const DatasetHealth = z.enum(['healthy', 'indexing', 'warning', 'failed', 'unknown']);
export type DatasetHealth = z.infer<typeof DatasetHealth>;

export const DatasetSummary = z.object({
  id: text(256),
  name: text(1024),
  description: text(8192).nullable(),
  numObjects: z.number().nonnegative(),
  numQueries: z.number().nonnegative(),
  dataSources: z.array(text(1024)).max(10_000),
  health: DatasetHealth,
  /** 0..100 while an indexing run is in progress, else null. */
  progress: z.number().min(0).max(100).nullable(),
  lastIndexedAt: millis.nullable(),
});
export type DatasetSummary = z.infer<typeof DatasetSummary>;

export const DatasetStatusFilter = z.enum(['healthy', 'indexing', 'warning', 'failed']);
export type DatasetStatusFilter = z.infer<typeof DatasetStatusFilter>;

export const DatasetList = z.object({
  datasets: z.array(DatasetSummary),
  fetchedAt: millis,
  source: z.enum(['network', 'cache']),
  /** Why the cached list is shown (offline, error), when it is. */
  error: AppErrorInfo.nullable(),
  /**
   * Set when the datasets went out as gaia:datasets.page events as they arrived (asked
   * with `pages`): how many, and `datasets` is then empty — 100,000 of them cross once.
   */
  streamed: z.number().int().nonnegative().optional(),
});
export type DatasetList = z.infer<typeof DatasetList>;

const LooseRecord = z.record(z.string(), z.unknown());

export const DatasetDetails = z.object({
  dataset: DatasetSummary,
  indexingWindow: z.object({ mostRecent: z.boolean().nullable(), start: millis.nullable(), end: millis.nullable() }),
  lastRun: z
    .object({ start: millis.nullable(), end: millis.nullable(), health: text(256).nullable(), progress: z.number().nullable(), stats: LooseRecord })
    .nullable(),
  dataSources: z.array(LooseRecord),
  protectedObjects: z.array(z.object({ name: text(1024), environment: text(256).nullable(), snapshotAt: millis.nullable() })),
  raw: LooseRecord,
});
export type DatasetDetails = z.infer<typeof DatasetDetails>;

export const DatasetStats = z.object({ stats: LooseRecord });
export type DatasetStats = z.infer<typeof DatasetStats>;

export const Topic = z.object({
  uuid: text(256),
  name: text(1024),
  description: text(8192).nullable(),
  percentage: z.number().nullable(),
  subThemes: z.array(text(1024)),
  suggestedQuestions: z.array(text(4096)),
});
export type Topic = z.infer<typeof Topic>;

export const TopicSummary = z.object({ description: text(16384).nullable(), suggestedQuestions: z.array(text(4096)) });
export type TopicSummary = z.infer<typeof TopicSummary>;

export const Llm = z.object({
  id: text(256),
  name: text(512),
  type: text(128).nullable(),
  isDefault: z.boolean(),
  isDisabled: z.boolean(),
});
export type Llm = z.infer<typeof Llm>;

// ---------------------------------------------------------------------------
// Asking

export const Citation = z.object({ score: z.number().nullable(), snippet: text(64 * 1024) });
export type Citation = z.infer<typeof Citation>;
export const SourceDocument = z.object({
  documentId: text(1024),
  name: text(2048),
  path: text(8192).nullable(),
  type: text(256).nullable(),
  datasetId: text(256).nullable(),
  datasetName: text(1024).nullable(),
  objectName: text(2048).nullable(),
  environment: text(256).nullable(),
  cluster: text(512).nullable(),
  snapshotAt: millis.nullable(),
  citations: z.array(Citation),
});
export type SourceDocument = z.infer<typeof SourceDocument>;

/** Where a question was asked when not in the app's window: the command line or a local assistant (MCP). */
export const AskOrigin = z.enum(['cli', 'mcp']);
export type AskOrigin = z.infer<typeof AskOrigin>;

export const TurnStatus = z.enum(['streaming', 'complete', 'incomplete', 'cancelled', 'error']);
export type TurnStatus = z.infer<typeof TurnStatus>;
export const Turn = z.object({
  id,
  question: text(32 * 1024),
  datasetNames: z.array(text(1024)),
  llmId: text(256).nullable(),
  languageCode: text(35).nullable(),
  /** Markdown, as Gaia wrote it. Rendered without raw HTML. */
  answer: text(4 * 1024 * 1024),
  status: TurnStatus,
  error: AppErrorInfo.nullable(),
  progress: z.array(text(4096)),
  followUps: z.array(text(4096)),
  documents: z.array(SourceDocument),
  queryUid: text(256).nullable(),
  feedback: z.enum(['up', 'down']).nullable(),
  /** Set when this turn re-asked using only some sources of an earlier answer. */
  refinedFrom: text(256).nullable(),
  askedAt: millis,
  answeredAt: millis.nullable(),
  /** Absent when asked in the app. */
  origin: AskOrigin.optional(),
  /**
   * True while this answer is held in memory only, because writing it to the history
   * failed (a full disk); main saves it, and clears this, when writing works again.
   */
  notSaved: z.boolean().optional(),
});
export type Turn = z.infer<typeof Turn>;

export const ConversationSummary = z.object({
  id,
  title: text(512),
  datasetNames: z.array(text(1024)),
  createdAt: millis,
  updatedAt: millis,
  turnCount: z.number().int().nonnegative(),
  /** When listing with a query: a short excerpt around the first match. */
  match: text(1024).nullable(),
  /** Where the conversation was started, when not in the app (its first question's origin). */
  origin: AskOrigin.optional(),
});
export type ConversationSummary = z.infer<typeof ConversationSummary>;

export const Conversation = z.object({
  id,
  title: text(512),
  serverConversationId: text(256).nullable(),
  createdAt: millis,
  updatedAt: millis,
  turns: z.array(Turn),
});
export type Conversation = z.infer<typeof Conversation>;

/** A call that failed in a way worth repeating is being retried: which attempt, after how long, and why. */
export const RetryInfo = z.object({ attempt: z.number().int(), waitMs: z.number(), reason: text(1024) });
export type RetryInfo = z.infer<typeof RetryInfo>;

export const AskEvent = z.discriminatedUnion('type', [
  z.object({ requestId, type: z.literal('started'), conversationId: id, turnId: id }),
  z.object({ requestId, type: z.literal('progress'), step: text(4096) }),
  /** Appended text. Main turns Gaia's "whole text so far" into deltas. */
  z.object({ requestId, type: z.literal('delta'), text: text(4 * 1024 * 1024) }),
  z.object({ requestId, type: z.literal('followUps'), questions: z.array(text(4096)) }),
  z.object({ requestId, type: z.literal('retrying'), ...RetryInfo.shape }),
  /**
   * The answer's end. `streamedChars` present: the answer is exactly the text of this
   * request's delta events, that many characters, and `turn.answer` is '' here — a long
   * answer is not sent twice (listeners assemble it; one that missed deltas reads the
   * stored turn). Absent: `turn.answer` is the whole answer.
   */
  z.object({ requestId, type: z.literal('done'), turn: Turn, streamedChars: z.number().int().min(0).optional() }),
  /** The stream ended badly; the turn keeps the text received so far (`streamedChars` as for done). */
  z.object({ requestId, type: z.literal('error'), turn: Turn, error: AppErrorInfo, streamedChars: z.number().int().min(0).optional() }),
]);
export type AskEvent = z.infer<typeof AskEvent>;

/** What deleting a conversation did to Gaia's copy: deleted, not offered by this Gaia, failed, or there was none. */
export const ServerDelete = z.enum(['deleted', 'not-supported', 'failed', 'none']);
export type ServerDelete = z.infer<typeof ServerDelete>;

export const ComposerSettings = z.object({
  datasetNames: z.array(text(1024)).max(1000),
  llmId: text(256).nullable(),
  languageCode: text(35).nullable(),
});
export type ComposerSettings = z.infer<typeof ComposerSettings>;

export const ExhaustivePage = z.object({
  documents: z.array(SourceDocument),
  paginationToken: text(8192).nullable(),
});
export type ExhaustivePage = z.infer<typeof ExhaustivePage>;

// ---------------------------------------------------------------------------
// Gaia's API-key service

export const KeyPermission = z.enum(['read', 'write']);
export type KeyPermission = z.infer<typeof KeyPermission>;
export const ServiceKey = z.object({
  /** Opaque, per-session handle; the key itself stays in main. */
  handle,
  last4: z.string().max(4),
  permissions: text(256),
  /** This is the key the active profile uses. */
  isCurrent: z.boolean(),
});
export type ServiceKey = z.infer<typeof ServiceKey>;
export const RotateStep = z.enum(['create', 'validate', 'switch', 'delete-old']);
export type RotateStep = z.infer<typeof RotateStep>;
export const RotateProgress = z.object({
  requestId,
  step: RotateStep,
  state: z.enum(['running', 'done', 'failed', 'skipped']),
  message: text(4096),
});
export type RotateProgress = z.infer<typeof RotateProgress>;
export const RotateResult = z.object({
  profile: Profile,
  /** What is left to clean up by hand when a late step failed. */
  leftover: text(4096).nullable(),
});
export type RotateResult = z.infer<typeof RotateResult>;

/** Datasets as their pages arrive; `offset` is the position of the first in the list. */
export const DatasetsPage = z.object({
  requestId,
  offset: z.number().int().nonnegative(),
  datasets: z.array(DatasetSummary).max(100_000),
});

export const DatasetsProgress = z.object({
  requestId,
  loaded: z.number().int().nonnegative(),
  pages: z.number().int().nonnegative(),
  retry: RetryInfo.nullable(),
});
export type DatasetsProgress = z.infer<typeof DatasetsProgress>;

// ---------------------------------------------------------------------------
// Local assistants (the MCP server, `gaia-desktop mcp`)

export const AssistantSnippet = z.object({
  /** e.g. "Claude Desktop". */
  client: text(128),
  /** Where the snippet goes, in that client's words. */
  where: text(1024),
  text: text(16 * 1024),
});

export const AssistantSetup = z.object({
  /** How a local tool starts Gaia Desktop's MCP server: the program and its arguments. */
  command: text(4096),
  args: z.array(text(4096)).max(32),
  snippets: z.array(AssistantSnippet).max(16),
});

export const AssistantCall = z.object({
  at: millis,
  /** The MCP tool called. */
  tool: text(128),
  /** The connection's name, when the call named or used one. */
  connection: text(200).nullable(),
  outcome: z.enum(['ok', 'refused', 'error']),
  /** What was asked, redacted and shortened; or why it was refused or failed. */
  summary: text(1024),
  durationMs: z.number().nonnegative(),
});
export type AssistantCall = z.infer<typeof AssistantCall>;

// ---------------------------------------------------------------------------
// The channels

type Schema = z.ZodType;
interface ChannelSpec {
  request: Schema;
  response: Schema;
}

export const channels = {
  'gaia:app.info': { request: Empty, response: AppInfo },
  /** Opens an https link in the OS browser after an allowlist check in main. */
  'gaia:app.openExternal': { request: z.strictObject({ url: text(8192) }), response: z.object({ opened: z.boolean() }) },
  /** Version, OS, profile settings (no secrets) and recent log lines, for a support ticket. */
  'gaia:app.diagnostics': { request: Empty, response: Diagnostics },
  /** Opens the data or the log folder in the OS file manager (Electron; the preview says where it is). */
  'gaia:app.openFolder': { request: z.strictObject({ folder: z.enum(['data', 'logs']) }), response: z.object({ opened: z.boolean() }) },

  'gaia:settings.get': { request: Empty, response: Settings },
  // Built from the fields without the default, which would otherwise fill in every patch.
  'gaia:settings.update': { request: z.strictObject({ ...SettingsFields, resume: Resume.strict() }).partial(), response: Settings },

  'gaia:keychain.status': { request: Empty, response: KeychainStatus },
  'gaia:keychain.useSessionOnly': { request: Empty, response: KeychainStatus },

  'gaia:profiles.list': { request: Empty, response: ProfileList },
  'gaia:profiles.checkUrl': { request: z.strictObject({ baseUrl: text(2048) }), response: UrlCheck },
  'gaia:profiles.inspectCa': {
    request: z.strictObject({ pem: text(1024 * 1024) }),
    response: z.object({ certificates: z.array(CertificateSummary) }),
  },
  /** Validates with GET /datasets, and only then stores the profile and its key. */
  'gaia:profiles.connect': {
    request: z.strictObject({ ...ConnectionFields, apiKey: text(8192) }),
    response: z.object({ profile: Profile }),
  },
  /**
   * Changes a profile's connection settings; re-validated with its stored key. A change
   * that moves the key to another origin or loosens its trust is refused ('key-required')
   * unless `apiKey` carries the key typed again, which is then checked like a new connection.
   */
  'gaia:profiles.update': {
    request: z.strictObject({
      id: ProfileId,
      ...ConnectionFields,
      name: ConnectionFields.name.optional(),
      baseUrl: ConnectionFields.baseUrl.optional(),
      apiKey: text(8192).optional(),
    }),
    response: z.object({ profile: Profile }),
  },
  'gaia:profiles.activate': { request: z.strictObject({ id: ProfileId }), response: z.object({ profile: Profile }) },
  'gaia:profiles.delete': {
    request: z.strictObject({ id: ProfileId }),
    response: z.object({
      deleted: z.boolean(),
      /** When the keychain entry could not be removed: that it is left behind, and how to remove it. */
      keyLeftBehind: text(4096).nullable(),
    }),
  },
  /** Validated before the old key is dropped. */
  'gaia:profiles.replaceKey': { request: z.strictObject({ id: ProfileId, apiKey: text(8192) }), response: z.object({ profile: Profile }) },
  'gaia:profiles.forgetKey': { request: z.strictObject({ id: ProfileId }), response: z.object({ profile: Profile }) },

  'gaia:datasets.list': {
    request: z.strictObject({
      requestId,
      /** Skip the cache and fetch every page again. */
      refresh: z.boolean().optional(),
      /** Send fetched datasets as they arrive (gaia:datasets.page), so the first rows show at once. */
      pages: z.boolean().optional(),
      /** Server-side filtering, for huge tenants. */
      server: z
        .strictObject({
          namePrefix: text(1024).optional(),
          nameContains: text(1024).optional(),
          statuses: z.array(DatasetStatusFilter).max(8).optional(),
        })
        .optional(),
    }),
    response: DatasetList,
  },
  'gaia:datasets.cancel': { request: z.strictObject({ requestId }), response: z.object({ cancelled: z.boolean() }) },
  'gaia:datasets.details': { request: z.strictObject({ name: text(1024).min(1) }), response: DatasetDetails },
  'gaia:datasets.stats': { request: Empty, response: DatasetStats },
  'gaia:datasets.topics': { request: z.strictObject({ id: text(256).min(1) }), response: z.object({ topics: z.array(Topic) }) },
  'gaia:datasets.topicSummary': {
    request: z.strictObject({ id: text(256).min(1), uuid: text(256).min(1) }),
    response: TopicSummary,
  },

  'gaia:llms.list': { request: Empty, response: z.object({ llms: z.array(Llm) }) },

  /** Starts a streamed answer; events follow on gaia:ask.event with the same requestId. */
  'gaia:ask.start': {
    request: z.strictObject({
      requestId,
      /** A local conversation id to continue, or null for a new conversation. */
      conversationId: id.nullable(),
      datasetNames: z.array(text(1024).min(1)).min(1).max(1000),
      question: text(32 * 1024).min(1),
      llmId: text(256).nullable().optional(),
      languageCode: text(35).nullable().optional(),
      /** Re-ask an earlier answer using only these of its sources (POST /ask/refine). */
      refine: z.strictObject({ turnId: id, documentIds: z.array(text(1024)).min(1).max(500) }).optional(),
    }),
    response: z.object({ conversationId: id, turnId: id }),
  },
  /** Closes the connection in main; the turn keeps what arrived, marked cancelled. */
  'gaia:ask.cancel': { request: z.strictObject({ requestId }), response: z.object({ cancelled: z.boolean() }) },
  'gaia:ask.exhaustive': {
    request: z.strictObject({
      datasetName: text(1024).min(1),
      question: text(32 * 1024).min(1),
      pageSize: z.number().int().min(1).max(100).optional(),
      paginationToken: text(8192).nullable().optional(),
    }),
    response: ExhaustivePage,
  },
  'gaia:ask.feedback': {
    request: z.strictObject({ conversationId: id, turnId: id, feedback: z.enum(['up', 'down']), comment: text(4096).optional() }),
    response: z.object({ turn: Turn }),
  },
  'gaia:composer.get': { request: Empty, response: ComposerSettings },
  'gaia:composer.save': { request: ComposerSettings.strict(), response: ComposerSettings },

  'gaia:history.list': {
    request: z.strictObject({ query: text(1024).optional() }),
    response: z.object({ conversations: z.array(ConversationSummary), problems: z.array(StorageProblem) }),
  },
  'gaia:history.get': { request: z.strictObject({ id }), response: Conversation },
  'gaia:history.rename': { request: z.strictObject({ id, title: text(512).min(1) }), response: ConversationSummary },
  'gaia:history.delete': {
    request: z.strictObject({ id }),
    response: z.object({
      /** Whether Gaia's copy was deleted too, or why not. */
      server: ServerDelete,
      message: text(4096),
    }),
  },
  /** Deletes every local conversation of the active connection (Gaia's copies stay). */
  'gaia:history.clear': { request: Empty, response: z.object({ deleted: z.number().int().nonnegative() }) },
  'gaia:history.export': {
    request: z.strictObject({ id }),
    response: z.object({ markdown: text(16 * 1024 * 1024), fileName: text(256) }),
  },

  /** The command and ready-made configuration snippets for common MCP clients. */
  'gaia:assistants.setup': { request: Empty, response: AssistantSetup },
  /** The most recent calls local assistants made, newest first (redacted). */
  'gaia:assistants.activity': { request: Empty, response: z.object({ calls: z.array(AssistantCall).max(500) }) },

  'gaia:keys.list': { request: Empty, response: z.object({ keys: z.array(ServiceKey) }) },
  /** The new key stays in main: the renderer gets a handle and its last four characters. */
  'gaia:keys.create': { request: z.strictObject({ permissions: KeyPermission }), response: ServiceKey },
  'gaia:keys.update': { request: z.strictObject({ handle, permissions: KeyPermission }), response: ServiceKey },
  'gaia:keys.delete': { request: z.strictObject({ handle }), response: z.object({ deleted: z.boolean() }) },
  /** Stores a key created in this session straight into the keychain for a profile. */
  'gaia:keys.useForProfile': { request: z.strictObject({ handle, profileId: ProfileId }), response: z.object({ profile: Profile }) },
  /** Main copies the new key to the clipboard (and clears it later); the renderer never sees it. */
  'gaia:keys.copy': { request: z.strictObject({ handle }), response: z.object({ copied: z.boolean(), clearsAfterMs: z.number().nullable(), message: text(1024) }) },
  /** Create, validate, switch, delete old; progress on gaia:keys.rotateProgress. */
  'gaia:keys.rotate': { request: z.strictObject({ requestId, profileId: ProfileId }), response: RotateResult },
} as const satisfies Record<ChannelName, ChannelSpec>;

export const events = {
  'gaia:app.command': z.object({ command: MenuCommand }),
  'gaia:ask.event': AskEvent,
  'gaia:datasets.progress': DatasetsProgress,
  'gaia:datasets.page': DatasetsPage,
  'gaia:keys.rotateProgress': RotateProgress,
} as const satisfies Record<EventChannelName, Schema>;

// ---------------------------------------------------------------------------
// Types derived from the schemas

export type Channels = typeof channels;
export type Channel = keyof Channels;
export type EventChannel = keyof typeof events;
/** What a caller sends (before defaults). */
export type Request<C extends Channel> = z.input<Channels[C]['request']>;
/** What a handler receives (after validation). */
export type ValidRequest<C extends Channel> = z.output<Channels[C]['request']>;
/** What a handler returns (before the outgoing check). */
export type ResponseIn<C extends Channel> = z.input<Channels[C]['response']>;
/** What a caller receives. */
export type Response<C extends Channel> = z.output<Channels[C]['response']>;
export type EventPayload<E extends EventChannel> = z.output<(typeof events)[E]>;

type AreaOf<C extends string> = C extends `gaia:${infer A}.${string}` ? A : never;
type VerbOf<C extends string, A extends string> = C extends `gaia:${A}.${infer V}` ? V : never;
export type Area = AreaOf<Channel> | AreaOf<EventChannel>;
type EventName<V extends string> = `on${Capitalize<V>}`;

/** window.gaia as the preload exposes it: every method answers with an envelope. */
export type RawGaiaApi = {
  [A in Area]: {
    [V in VerbOf<Channel, A>]: (request: Request<`gaia:${A}.${V}` & Channel>) => Promise<Envelope<Response<`gaia:${A}.${V}` & Channel>>>;
  } & {
    [V in VerbOf<EventChannel, A> as EventName<V>]: (
      listener: (payload: EventPayload<`gaia:${A}.${V}` & EventChannel>) => void,
    ) => () => void;
  };
};

/** The API the renderer calls: the same methods, throwing GaiaError instead of answering an envelope. */
export type GaiaApi = {
  [A in Area]: {
    [V in VerbOf<Channel, A>]: (request: Request<`gaia:${A}.${V}` & Channel>) => Promise<Response<`gaia:${A}.${V}` & Channel>>;
  } & {
    [V in VerbOf<EventChannel, A> as EventName<V>]: (
      listener: (payload: EventPayload<`gaia:${A}.${V}` & EventChannel>) => void,
    ) => () => void;
  };
};


export const isChannel = (value: unknown): value is Channel =>
  typeof value === 'string' && Object.prototype.hasOwnProperty.call(channels, value);
