/**
 * Gaia's wire shapes → the contract's shapes, in one place: microseconds become
 * milliseconds, names are unified, and strings are clipped to the contract's limits so
 * an over-long field from the server never makes the IPC bridge refuse a whole answer.
 * Names are never trimmed: Gaia matches them exactly (docs/gaia-api.md §Datasets).
 */
import { z } from 'zod';
import {
  Citation,
  DatasetSummary,
  Llm,
  SourceDocument,
  Topic,
  TopicSummary,
  type DatasetDetails,
} from '../../../preload/contract';
import type { Log } from '../platform/log';
import { datasetHealth } from './health';
import { wireField, WireAnswer, WireDataset, WireDocument, WireLlm, WireTopic, WireTopicSummary, WireCitation } from './wire';

/** A string limit, read from the contract's own schema (zod's public maxLength) so the two never drift. */
function limitOf(schema: z.ZodString | z.ZodNullable<z.ZodString>): number {
  return (schema instanceof z.ZodNullable ? schema.unwrap() : schema).maxLength ?? Number.MAX_SAFE_INTEGER;
}

function clipper(schema: z.ZodString | z.ZodNullable<z.ZodString>) {
  const max = limitOf(schema);
  return (value: string) => (value.length > max ? `${value.slice(0, max - 1)}…` : value);
}

const clip = {
  datasetName: clipper(DatasetSummary.shape.name),
  datasetId: clipper(DatasetSummary.shape.id),
  description: clipper(DatasetSummary.shape.description),
  dataSource: clipper(DatasetSummary.shape.dataSources.element),
  topicName: clipper(Topic.shape.name),
  topicUuid: clipper(Topic.shape.uuid),
  topicDescription: clipper(Topic.shape.description),
  subTheme: clipper(Topic.shape.subThemes.element),
  question: clipper(Topic.shape.suggestedQuestions.element),
  summary: clipper(TopicSummary.shape.description),
  llmId: clipper(Llm.shape.id),
  llmName: clipper(Llm.shape.name),
  llmType: clipper(Llm.shape.type),
  docId: clipper(SourceDocument.shape.documentId),
  docName: clipper(SourceDocument.shape.name),
  docPath: clipper(SourceDocument.shape.path),
  docType: clipper(SourceDocument.shape.type),
  objectName: clipper(SourceDocument.shape.objectName),
  environment: clipper(SourceDocument.shape.environment),
  cluster: clipper(SourceDocument.shape.cluster),
  snippet: clipper(Citation.shape.snippet),
};
const MAX_DATA_SOURCES = 10_000;
const DATA_SOURCE_KEYS = ['name', 'displayName', 'sourceName', 'environment', 'type'];
const QUESTION_KEYS = ['question', 'text', 'query'];

export const usecsToMs = (v: number | null | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.round(v / 1000) : null);

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : typeof v === 'number' ? String(v) : null);
const nonNeg = (v: number | null | undefined) => (typeof v === 'number' && v >= 0 ? v : 0);

/** A list of strings, or of objects naming one (a `name`, `question`, `text`…); at most `max`, each through `clipTo`. */
function strings(items: unknown[] | undefined, keys: readonly string[], clipTo: (s: string) => string, max = Infinity): string[] {
  const out: string[] = [];
  if (!items) return out;
  // A loop, not flatMap: this runs for each of 100,000 datasets.
  for (let i = 0; i < items.length && out.length < max; i++) {
    const item = items[i];
    let found = str(item);
    if (!found && item && typeof item === 'object') {
      for (const key of keys) {
        found = str((item as Record<string, unknown>)[key]);
        if (found) break;
      }
    }
    if (found) out.push(clipTo(found));
  }
  return out;
}

// ---------------------------------------------------------------------------
// Datasets

export function toDatasetSummary(w: z.infer<typeof WireDataset>): DatasetSummary {
  const run = w.lastIndexingRun;
  const { health, progress } = datasetHealth({
    health: run?.health,
    progress: run?.progress,
    startTimeUsecs: run?.startTimeUsecs,
    endTimeUsecs: run?.endTimeUsecs,
    datasetStatus: w.status,
  });
  return {
    // Discovery needs the hex id; a deployment without ids at least gets a stable key.
    id: clip.datasetId(w.id ?? w.name),
    name: clip.datasetName(w.name),
    description: w.description ? clip.description(w.description) : null,
    numObjects: nonNeg(w.numObjects),
    numQueries: nonNeg(w.numQueries),
    dataSources: strings(w.dataSources, DATA_SOURCE_KEYS, clip.dataSource, MAX_DATA_SOURCES),
    health,
    progress,
    lastIndexedAt: usecsToMs(run?.endTimeUsecs) ?? usecsToMs(w.indexingWindow?.endTimeUsecs),
  };
}

/**
 * toDatasetSummary(readWireDataset(value)) in one straight read (null when the dataset has
 * no usable name): only the fields a summary uses, each read by the wire's own rule,
 * without building the WireDataset between (a copy, for a field that reads differently).
 * Every dataset of every list goes through here; test/unit/gaia-convert.test.ts holds it
 * to the two-step answer on arbitrary input.
 */
export function readDatasetSummary(value: unknown): DatasetSummary | null {
  const { isObject, text, num, ident, list } = wireField;
  if (!isObject(value)) return null;
  const name = value.name;
  if (typeof name !== 'string' || name.length === 0) return null;
  const run = isObject(value.lastIndexingRun) ? value.lastIndexingRun : undefined;
  const window = isObject(value.indexingWindow) ? value.indexingWindow : undefined;
  const endTimeUsecs = run ? num(run.endTimeUsecs) : undefined;
  const { health, progress } = datasetHealth({
    health: run?.health,
    progress: run?.progress,
    startTimeUsecs: run ? num(run.startTimeUsecs) : undefined,
    endTimeUsecs,
    datasetStatus: value.status,
  });
  const id = ident(value.id);
  const description = text(value.description);
  return {
    id: clip.datasetId(id ?? name),
    name: clip.datasetName(name),
    description: description ? clip.description(description) : null,
    numObjects: nonNeg(num(value.numObjects)),
    numQueries: nonNeg(num(value.numQueries)),
    dataSources: strings(list(value.dataSources), DATA_SOURCE_KEYS, clip.dataSource, MAX_DATA_SOURCES),
    health,
    progress,
    lastIndexedAt: usecsToMs(endTimeUsecs) ?? usecsToMs(window ? num(window.endTimeUsecs) : undefined),
  };
}

/** Parses each item on its own; an item Gaia garbled is logged and skipped. */
export function toDatasetList(items: unknown[], log: Log): DatasetSummary[] {
  const out: DatasetSummary[] = [];
  let skipped = 0;
  for (let i = 0; i < items.length; i++) {
    const summary = readDatasetSummary(items[i]);
    if (summary) out.push(summary);
    else skipped++;
  }
  if (skipped) log.warn(`gaia: skipped ${skipped} dataset(s) without a usable name in the answer`);
  return out;
}

const asRecord = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

export function toDatasetDetails(raw: Record<string, unknown>, requestedName: string): DatasetDetails {
  // [C] says "details with indexing-run details" and no more: the dataset may sit under
  // `dataset` or be the answer itself.
  const inner = asRecord(raw.dataset ?? raw.datasetInfo);
  const source = Object.keys(inner).length ? inner : raw;
  const parsed = WireDataset.safeParse({ name: requestedName, ...source });
  const w = parsed.success ? parsed.data : WireDataset.parse({ name: requestedName });
  const run = w.lastIndexingRun ?? null;
  return {
    dataset: toDatasetSummary(w),
    indexingWindow: {
      mostRecent: typeof w.indexingWindow?.mostRecent === 'boolean' ? w.indexingWindow.mostRecent : null,
      start: usecsToMs(w.indexingWindow?.startTimeUsecs),
      end: usecsToMs(w.indexingWindow?.endTimeUsecs),
    },
    lastRun: run
      ? {
          start: usecsToMs(run.startTimeUsecs),
          end: usecsToMs(run.endTimeUsecs),
          health: typeof run.health === 'string' ? run.health.slice(0, 256) : null,
          progress: typeof run.progress === 'number' ? run.progress : null,
          stats: run.stats ?? {},
        }
      : null,
    dataSources: (w.dataSources ?? []).map((d) => (typeof d === 'string' ? { name: d } : asRecord(d))),
    protectedObjects: (w.baasSnapshots ?? []).flatMap((s) => {
      const snap = asRecord(s);
      const object = asRecord(snap.objectInfo ?? snap.object);
      const name = str(object.name) ?? str(snap.objectName) ?? str(snap.name);
      if (!name) return [];
      const info = asRecord(snap.snapshotInfo);
      const at = Number(info.runStartTimeUsecs ?? snap.runStartTimeUsecs ?? snap.snapshotTimeUsecs);
      return [{ name: clip.objectName(name), environment: str(object.environment ?? snap.environment), snapshotAt: usecsToMs(Number.isFinite(at) ? at : null) }];
    }),
    raw,
  };
}

// ---------------------------------------------------------------------------
// Discovery

export function toTopics(items: unknown[]): Topic[] {
  return items.flatMap((item, i) => {
    const parsed = WireTopic.safeParse(item);
    if (!parsed.success) return [];
    const t = parsed.data;
    const name = t.name ?? t.title;
    if (!name) return [];
    return [
      {
        uuid: clip.topicUuid(t.uuid ?? t.id ?? `topic-${i}`),
        name: clip.topicName(name),
        description: t.description ? clip.topicDescription(t.description) : null,
        percentage: typeof t.percentage === 'number' ? t.percentage : null,
        subThemes: strings(t.subThemes, ['name', 'title', 'theme'], clip.subTheme),
        suggestedQuestions: strings(t.suggestedQuestions, QUESTION_KEYS, clip.question),
      },
    ];
  });
}

export function toTopicSummary(raw: unknown): TopicSummary {
  const parsed = WireTopicSummary.safeParse(raw);
  const t = parsed.success ? parsed.data : {};
  const description = ('description' in t && t.description) || ('summary' in t && t.summary) || null;
  return {
    description: description ? clip.summary(description) : null,
    suggestedQuestions: strings('suggestedQuestions' in t ? t.suggestedQuestions : [], QUESTION_KEYS, clip.question),
  };
}

// ---------------------------------------------------------------------------
// Models

export function toLlms(items: unknown[]): Llm[] {
  return items.flatMap((item) => {
    const parsed = WireLlm.safeParse(item);
    if (!parsed.success) return [];
    const l = parsed.data;
    const id = l.id ?? l.name;
    if (!id) return [];
    return [
      {
        id: clip.llmId(id),
        name: clip.llmName(l.displayName ?? l.name ?? id),
        type: l.type ? clip.llmType(l.type) : null,
        isDefault: l.isDefault ?? false,
        isDisabled: l.isDisabled ?? false,
      },
    ];
  });
}

// ---------------------------------------------------------------------------
// Answers

function clusterLabel(v: unknown): string | null {
  const direct = str(v);
  if (direct) return clip.cluster(direct);
  const o = asRecord(v);
  const parts = [o.clusterName, o.clusterId, o.clusterIncarnationId].map(str).filter(Boolean);
  return parts.length ? clip.cluster(parts.join(':')) : null;
}

function toCitations(items: unknown[] | undefined): Citation[] {
  return (items ?? []).flatMap((item) => {
    const direct = str(item);
    if (direct) return [{ score: null, snippet: clip.snippet(direct) }];
    const parsed = WireCitation.safeParse(item);
    if (!parsed.success) return [];
    const snippet = parsed.data.textSnippet ?? parsed.data.snippet;
    if (!snippet) return [];
    return [{ score: parsed.data.cosineScore ?? parsed.data.score ?? null, snippet: clip.snippet(snippet) }];
  });
}

export function toDocuments(items: unknown[] | undefined): SourceDocument[] {
  return (items ?? []).flatMap((item, i) => {
    const parsed = WireDocument.safeParse(item);
    if (!parsed.success) return [];
    const d = parsed.data;
    const path = d.absolutePath ?? d.path ?? null;
    const name = d.name ?? (path ? path.split(/[\\/]/).filter(Boolean).pop() : null) ?? d.objectInfo?.name ?? `Document ${i + 1}`;
    return [
      {
        documentId: clip.docId(d.documentId ?? d.id ?? path ?? `doc-${i}`),
        name: clip.docName(name),
        path: path ? clip.docPath(path) : null,
        type: d.type ? clip.docType(d.type) : null,
        datasetId: d.datasetId ? clip.datasetId(d.datasetId) : null,
        datasetName: d.datasetName ? clip.datasetName(d.datasetName) : null,
        objectName: d.objectInfo?.name ? clip.objectName(d.objectInfo.name) : null,
        environment: d.objectInfo?.environment ? clip.environment(d.objectInfo.environment) : null,
        cluster: clusterLabel(d.objectInfo?.clusterIdentifier),
        snapshotAt: usecsToMs(d.baasSnapshot?.snapshotInfo?.runStartTimeUsecs),
        citations: toCitations(d.citations),
      },
    ];
  });
}

export function followUpsOf(w: Pick<WireAnswer, 'followUpQuestions' | 'followUps'>): string[] {
  return strings(w.followUpQuestions ?? w.followUps, QUESTION_KEYS, clip.question);
}
