/**
 * The words a dataset row shows, formatted once per dataset (per `now` for the relative
 * time): a search keystroke shows other datasets in the same rows, and formatting every
 * number and date of every row again on each one was a good part of its script time.
 */
import type { DatasetSummary } from '../../../preload/contract';
import { formatCount, formatExact, formatRelative } from './format';

export interface RowText {
  objects: string;
  queries: string;
  sources: string;
  nameTitle: string;
  /** Null when never indexed. */
  indexed: { iso: string; exact: string; relative: string; now: number } | null;
}

const texts = new WeakMap<DatasetSummary, RowText>();

export function rowText(d: DatasetSummary, now: number): RowText {
  let t = texts.get(d);
  if (!t) {
    t = {
      objects: formatCount(d.numObjects),
      queries: formatCount(d.numQueries),
      sources: d.dataSources.join(', '),
      nameTitle: d.description ? `${d.name}\n${d.description}` : d.name,
      indexed: d.lastIndexedAt === null ? null : { iso: new Date(d.lastIndexedAt).toISOString(), exact: formatExact(d.lastIndexedAt), relative: formatRelative(d.lastIndexedAt, now), now },
    };
    texts.set(d, t);
  } else if (t.indexed && t.indexed.now !== now) {
    t.indexed = { ...t.indexed, relative: formatRelative(d.lastIndexedAt!, now), now };
  }
  return t;
}
