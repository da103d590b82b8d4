/**
 * The simulator's world: bundled documents (corpus/*.md), the demo datasets built on
 * them, and — for scale tests — any number of generated datasets, made lazily and
 * deterministically from their index so 100 000 of them cost nothing until asked for.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface CorpusDoc {
  file: string;
  title: string;
  paragraphs: string[];
  questions: string[];
}

/** Questions a topic suggests, per document. */
const QUESTIONS: Record<string, string[]> = {
  'travel-policy.md': ['What is the hotel limit per night in Europe?', 'When must expense reports be submitted?', 'Is business class allowed?'],
  'incident-2024-03.md': ['What caused the March 2024 storage outage?', 'How long were backups delayed?', 'What follow-up actions were agreed?'],
  'contract-acme.md': ['When can the Acme contract be terminated?', 'What penalty applies for late deliveries?', 'Which law governs the agreement?'],
  'quarterly-report-ja.md': ['第2四半期の売上高はいくらですか?', 'What is the outlook for Q3?', 'Why did the operating margin fall?'],
  'cafe-ops-runbook.md': ['How do I open the café in the morning?', 'What happens when the POS terminal is offline?', 'Who delivers the croissants?'],
  'backup-retention.md': ['How long are monthly backups kept?', 'When is DataLock required?', 'Show the standard retention policy definition.'],
};

let docsCache: CorpusDoc[] | null = null;

/** The documents of one folder: a title, then paragraphs (a code block stays with the one before it). */
export function readDocs(dir: string, questions: Record<string, string[]>): CorpusDoc[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((file) => {
      const text = readFileSync(path.join(dir, file), 'utf8');
      const blocks = text.split(/\n\s*\n/).map((b) => b.trim()).filter(Boolean);
      const title = (blocks[0] ?? file).replace(/^#\s*/, '');
      const paragraphs: string[] = [];
      for (const block of blocks.slice(1)) {
        if (block.startsWith('```') && paragraphs.length) paragraphs[paragraphs.length - 1] += `\n\n${block}`;
        else paragraphs.push(block);
      }
      return { file, title, paragraphs, questions: questions[file] ?? [`What does “${title}” say?`] };
    });
}

export function corpus(): CorpusDoc[] {
  docsCache ??= readDocs(path.join(here, 'corpus'), QUESTIONS);
  return docsCache;
}

export type SimHealth = 'healthy' | 'indexing' | 'warning' | 'failed' | 'unknown';

export interface DatasetEntry {
  index: number;
  id: string;
  name: string;
  description: string | null;
  health: SimHealth;
  progress: number | null;
  docs: CorpusDoc[];
  numObjects: number;
  numQueries: number;
  lastRunEndUsecs: number | null;
  // The enterprise catalog says these; the test catalogs keep their derived values.
  /** What Gaia indexed, as `dataSources` names it. */
  sources?: Array<{ name: string; environment: string }>;
  /** Where the documents sit, for `absolutePath`. */
  folder?: string;
  indexedFromUsecs?: number;
  lastRunStartUsecs?: number;
  numErrors?: number;
}

export interface Catalog {
  size: number;
  at(index: number): DatasetEntry;
  byName(name: string): DatasetEntry | undefined;
  byId(id: string): DatasetEntry | undefined;
}

const DEMO_NAMES: Array<[string, string[], SimHealth?]> = [
  ['Finance Reports', ['quarterly-report-ja.md', 'travel-policy.md']],
  ['財務 レポート', ['quarterly-report-ja.md']],
  ['Legal/Contracts 2024', ['contract-acme.md']],
  ['Café Ops', ['cafe-ops-runbook.md']],
  ['Incident Postmortems', ['incident-2024-03.md'], 'warning'],
  ['Backups & Retention', ['backup-retention.md']],
  ['Travel & Expenses', ['travel-policy.md']],
  ['HR Policies', ['travel-policy.md', 'backup-retention.md'], 'indexing'],
  ['Engineering Wiki', ['incident-2024-03.md', 'backup-retention.md']],
  ['Sales – EMEA', ['contract-acme.md', 'travel-policy.md']],
  ['Sales – APAC', ['quarterly-report-ja.md'], 'failed'],
  ['Tokyo 東京 Office', ['quarterly-report-ja.md', 'cafe-ops-runbook.md']],
  ['München Office', ['cafe-ops-runbook.md', 'travel-policy.md']],
  ['Données clients (FR)', ['contract-acme.md'], 'unknown'],
  ['Архив документов', ['backup-retention.md']],
  ['Board Minutes 2023', ['quarterly-report-ja.md']],
  ['Board Minutes 2024', ['quarterly-report-ja.md', 'contract-acme.md'], 'indexing'],
  ['Security Audits', ['incident-2024-03.md']],
  ['Vendor Contracts', ['contract-acme.md']],
  ['Product Specs v2', ['backup-retention.md']],
  ['QA Test Plans', ['incident-2024-03.md'], 'warning'],
  ['R&D Notebooks', ['backup-retention.md', 'incident-2024-03.md']],
  ['IT Tickets #helpdesk', ['incident-2024-03.md']],
  ['Lab Results 100%', ['backup-retention.md'], 'failed'],
  ['Payroll?Q3', ['quarterly-report-ja.md']],
  ['Design Docs', ['backup-retention.md']],
  ['Training Materials', ['cafe-ops-runbook.md', 'travel-policy.md']],
  ['Compliance (SOX)', ['backup-retention.md', 'contract-acme.md']],
  ['Old Shares (decommissioned)', ['travel-policy.md'], 'unknown'],
  ['M365 Mailboxes', ['travel-policy.md', 'contract-acme.md'], 'indexing'],
  ['SharePoint: Intranet', ['cafe-ops-runbook.md']],
  ['Customer Contracts', ['contract-acme.md']],
  ['Marketing Assets', ['cafe-ops-runbook.md']],
  ['Ops Runbooks', ['cafe-ops-runbook.md', 'incident-2024-03.md']],
  ['Customer Support Tickets', ['incident-2024-03.md', 'travel-policy.md']],
  ['Project Ünïcödé', ['backup-retention.md']],
];

export function hex(input: string, length: number): string {
  return createHash('sha1').update(input).digest('hex').slice(0, length);
}

/** A deterministic "random" number in [0, 1) from a string. */
export function unit(input: string): number {
  return parseInt(hex(input, 8), 16) / 0x1_0000_0000;
}

const NOW_USECS = () => Date.now() * 1000;
export const HOUR_USECS = 3_600_000_000;

function entry(index: number, name: string, docs: CorpusDoc[], health: SimHealth, id: string): DatasetEntry {
  const r = unit(name);
  return {
    index,
    id,
    name,
    description: index % 3 === 0 ? `${docs.map((d) => d.title).join('; ')}` : null,
    health,
    progress: health === 'indexing' ? Math.round(10 + r * 80) : null,
    docs,
    numObjects: 20 + Math.floor(r * 5000),
    numQueries: Math.floor(r * 900),
    lastRunEndUsecs: health === 'unknown' ? null : NOW_USECS() - Math.floor((1 + r * 72) * HOUR_USECS),
  };
}

/** `extra`: more datasets after the demo ones, named exactly so (spaces and all). */
export function demoCatalog(extra: Array<{ name: string; health?: SimHealth }> = []): Catalog {
  const docs = corpus();
  const byFile = new Map(docs.map((d) => [d.file, d]));
  const all: Array<[string, string[], SimHealth?]> = [...DEMO_NAMES, ...extra.map((x): [string, string[], SimHealth?] => [x.name, ['backup-retention.md'], x.health])];
  const entries = all.map(([name, files, health], i) =>
    entry(i, name, files.map((f) => byFile.get(f)!).filter(Boolean), health ?? 'healthy', hex(`demo:${name}`, 24)),
  );
  const names = new Map(entries.map((e) => [e.name, e]));
  const ids = new Map(entries.map((e) => [e.id, e]));
  return { size: entries.length, at: (i) => entries[i], byName: (n) => names.get(n), byId: (id) => ids.get(id) };
}

const WORDS = ['Archive', 'Mailboxes', 'File Shares', 'Projects', 'Finance', 'Legal', 'Research', 'Support', 'Ops', 'Sales', 'HR', 'Engineering'];
const HEALTH_CYCLE: SimHealth[] = ['healthy', 'healthy', 'healthy', 'healthy', 'indexing', 'warning', 'failed', 'healthy', 'unknown'];

/** `count` datasets named "DS 000042 Research" etc., made on demand. */
export function generatedCatalog(count: number): Catalog {
  const docs = corpus();
  const nameAt = (i: number) => `DS ${String(i).padStart(6, '0')} ${WORDS[i % WORDS.length]}`;
  const idAt = (i: number) => `fa${i.toString(16).padStart(22, '0')}`;
  const at = (i: number) => entry(i, nameAt(i), [docs[i % docs.length], docs[(i * 7 + 3) % docs.length]], HEALTH_CYCLE[i % HEALTH_CYCLE.length], idAt(i));
  return {
    size: count,
    at,
    byName: (name) => {
      const m = /^DS (\d{6}) /.exec(name);
      const i = m ? Number(m[1]) : -1;
      return i >= 0 && i < count && nameAt(i) === name ? at(i) : undefined;
    },
    byId: (id) => {
      const i = /^fa[0-9a-f]{22}$/.test(id) ? parseInt(id.slice(2), 16) : -1;
      return i >= 0 && i < count ? at(i) : undefined;
    },
  };
}

// ---------------------------------------------------------------------------
// As Gaia sends them

const HEALTH_WORD: Record<SimHealth, string | undefined> = {
  healthy: 'kHealthy',
  indexing: 'kRunning',
  warning: 'kWarning',
  failed: 'kFailed',
  unknown: undefined,
};

/**
 * `runningLooksHealthy`: a run still going (no end time, progress < 100) reports
 * `health: kHealthy`, as a run with nothing wrong so far can.
 */
export function wireDataset(e: DatasetEntry, o: { runningLooksHealthy?: boolean } = {}): Record<string, unknown> {
  const end = e.lastRunEndUsecs;
  const run =
    e.health === 'unknown'
      ? undefined
      : {
          startTimeUsecs: e.lastRunStartUsecs ?? (end ?? NOW_USECS()) - HOUR_USECS,
          ...(e.health === 'indexing' ? {} : { endTimeUsecs: end }),
          health: e.health === 'indexing' && o.runningLooksHealthy ? HEALTH_WORD.healthy : HEALTH_WORD[e.health],
          ...(e.progress !== null ? { progress: e.progress } : {}),
          stats: { numDocumentsIndexed: e.numObjects * 3, numErrors: e.numErrors ?? (e.health === 'failed' ? 12 : 0) },
        };
  return {
    name: e.name,
    id: e.id,
    ...(e.description ? { description: e.description } : {}),
    numObjects: e.numObjects,
    numQueries: e.numQueries,
    dataSources: e.sources ?? [{ name: e.index % 2 ? 'Microsoft 365' : 'NAS share', environment: e.index % 2 ? 'kO365' : 'kGenericNas' }],
    baasSnapshots: [],
    indexingWindow: { mostRecent: true, startTimeUsecs: e.indexedFromUsecs ?? (end ?? NOW_USECS()) - 30 * 24 * HOUR_USECS, endTimeUsecs: end },
    userIds: ['sim-user'],
    ...(run ? { lastIndexingRun: run } : {}),
  };
}

export function topicsOf(e: DatasetEntry): Array<Record<string, unknown>> {
  return e.docs.map((d, i) => ({
    uuid: `${hex(`${e.id}:${d.file}`, 8)}-${hex(d.file, 4)}-4${hex(e.id, 3)}-8${hex(d.title, 3)}-${hex(`${d.file}${e.id}`, 12)}`,
    name: d.title,
    description: d.paragraphs[0]?.split('. ')[0] ?? null,
    percentage: Math.round((100 / e.docs.length) * 10) / 10 - i,
    subThemes: d.paragraphs.slice(1, 3).map((p) => p.split(/[.:]/)[0].slice(0, 60)),
    suggestedQuestions: d.questions,
  }));
}
