/**
 * A dataset's health, from whatever its last indexing run says. Gaia's spelling of the
 * run's `health` is not documented (values like "kHealthy", "Running", "FAILED" all
 * appear in the wild), so words are matched loosely; what cannot be read is 'unknown',
 * never a guess of 'healthy'.
 */
import type { DatasetHealth } from '../../../preload/contract';

const WORDS: Record<Exclude<DatasetHealth, 'unknown'>, string[]> = {
  healthy: ['healthy', 'ok', 'good', 'success', 'succeeded', 'successful', 'completed', 'complete', 'done', 'green', 'ready', 'indexed', 'active', 'available'],
  indexing: ['indexing', 'running', 'inprogress', 'accepted', 'queued', 'pending', 'started', 'scheduled', 'building', 'updating', 'processing'],
  warning: ['warning', 'warn', 'warnings', 'degraded', 'partial', 'partialsuccess', 'partiallysucceeded', 'completedwithwarnings', 'succeededwithwarnings', 'yellow', 'stale'],
  failed: ['failed', 'failure', 'fail', 'error', 'errored', 'critical', 'red', 'canceled', 'cancelled', 'aborted', 'unhealthy'],
};

const LOOKUP = new Map<string, DatasetHealth>(
  Object.entries(WORDS).flatMap(([health, words]) => words.map((w) => [w, health as DatasetHealth] as const)),
);

/** "kHealthy" → "healthy", "IN_PROGRESS" → "inprogress". */
function normalizeWord(value: string): string {
  return value.trim().replace(/^k(?=[A-Z])/, '').toLowerCase().replace(/[^a-z]/g, '');
}

/** Words already read: a tenant's 100,000 datasets use a handful of spellings. */
const READ = new Map<string, DatasetHealth | null>();
const MAX_READ = 512;

function wordHealth(value: string): DatasetHealth | null {
  let health = READ.get(value);
  if (health === undefined) {
    health = LOOKUP.get(normalizeWord(value)) ?? null;
    if (READ.size >= MAX_READ) READ.clear();
    READ.set(value, health);
  }
  return health;
}

export function healthWord(value: unknown): DatasetHealth | null {
  if (typeof value === 'string') return wordHealth(value);
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    for (const key of ['status', 'state', 'health', 'value', 'name']) {
      const found = healthWord(o[key]);
      if (found) return found;
    }
  }
  return null;
}

/**
 * Percent 0..100 from a number or an object ({ percentage }, { completed, total }…).
 * A value strictly between 0 and 1 is read as a fraction: no indexer reports "0.4 %".
 */
export function progressPercent(value: unknown): number | null {
  let p: number | null = null;
  if (typeof value === 'number' && Number.isFinite(value)) p = value;
  else if (typeof value === 'string' && value.trim() && Number.isFinite(Number(value.replace('%', '')))) p = Number(value.replace('%', ''));
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    for (const key of ['percentage', 'percent', 'progress', 'percentComplete', 'value']) {
      const found = progressPercent(o[key]);
      if (found !== null) return found;
    }
    const done = Number(o.completed ?? o.done ?? o.processed);
    const total = Number(o.total);
    if (Number.isFinite(done) && Number.isFinite(total) && total > 0) p = (done / total) * 100;
  }
  if (p === null) return null;
  if (p > 0 && p < 1) p *= 100;
  return Math.min(100, Math.max(0, Math.round(p * 10) / 10));
}

export interface RunFacts {
  health?: unknown;
  progress?: unknown;
  startTimeUsecs?: number | null;
  endTimeUsecs?: number | null;
  /** The dataset's own status, when the run says nothing. */
  datasetStatus?: unknown;
}

/**
 * The one place a dataset's health is decided; the renderer only shows it. A last run
 * with no end time and progress below 100 is still indexing, whatever its `health`
 * says: a running run can carry `health: Healthy` (the previous run's verdict, or the
 * run's own "nothing wrong so far"), docs/gaia-api.md §Datasets.
 */
export function datasetHealth(run: RunFacts | null | undefined): { health: DatasetHealth; progress: number | null } {
  if (!run) return { health: 'unknown', progress: null };
  const progress = progressPercent(run.progress);
  if (!run.endTimeUsecs && progress !== null && progress < 100) return { health: 'indexing', progress };
  let health = healthWord(run.health) ?? healthWord(run.datasetStatus);
  if (!health) {
    const running = (run.startTimeUsecs && !run.endTimeUsecs) || (progress !== null && progress < 100);
    health = running ? 'indexing' : 'unknown';
  }
  return { health, progress: health === 'indexing' ? (progress ?? null) : null };
}
