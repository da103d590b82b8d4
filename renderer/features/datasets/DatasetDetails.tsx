/**
 * What the dataset is about first — its topics, with suggested questions that open Ask —
 * then what an admin checks when answers look stale: the indexing window, last run,
 * health and progress, stats, data sources and protected objects.
 */
import { ChevronRight, MessageSquare, X } from 'lucide-react';
import { useEffect, useId, useState } from 'react';
import type { AppErrorInfo, DatasetSummary, Response, Topic } from '../../../preload/contract';
import { gaiaWords } from '../../../preload/words';
import { gaia } from '../../api';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { formatCount, formatDayRange, formatDuration, formatExact, formatRelative, formatStat, formatTime, humanizeKey } from './format';
import { HealthBadge, ProgressBar } from './Health';
import type { DatasetsState } from './store';
import { useDatasetDetails, useDatasetTopics } from '../../queries';
import { useSession } from '../../session';
import { toProblem } from '../../ui/errors';
import { useSettled } from '../../ui/useSettled';

/** Arrowing through rows asks Gaia only for the row the user stops on. */
const SETTLE_MS = 150;

type Details = Response<'gaia:datasets.details'>;
type Summary = Response<'gaia:datasets.topicSummary'>;

type Load<T> = { state: 'loading' } | { state: 'done'; value: T } | { state: 'error'; error: AppErrorInfo };

/** A query's state as the panels show it; `settled` is false while the user is still moving between rows. */
function loadOf<T>(q: { status: 'pending' | 'error' | 'success'; data?: T; error: unknown }, settled: boolean): Load<T> {
  if (!settled || q.status === 'pending') return { state: 'loading' };
  if (q.status === 'error') return { state: 'error', error: toProblem(q.error) };
  return { state: 'done', value: q.data as T };
}

/** A source's or object's name, then Gaia's word for its kind ("kGenericNas" → "Generic NAS") unless the name already says it ("Microsoft 365 · Microsoft 365"). */
function NameAndKind({ name, environment }: { name: string; environment: unknown }) {
  const words = typeof environment === 'string' ? gaiaWords(environment) : null;
  const kind = words && words.toLowerCase() !== name.trim().toLowerCase() ? words : null;
  return (
    <>
      {name}
      {kind && <span className="ds-muted"> · {kind}</span>}
    </>
  );
}

/** "11 hours ago", and under it, quieter, the local time to the minute (with its zone on hover). */
function When({ at, now }: { at: number | null; now: number }) {
  if (at === null) return <span className="ds-muted">—</span>;
  return (
    <time className="ds-when" dateTime={new Date(at).toISOString()} title={formatExact(at)}>
      <span>{formatRelative(at, now, 'long')}</span>
      <span className="ds-when-exact">{formatTime(at)}</span>
    </time>
  );
}

/** The snapshots Gaia indexes: a span of days (the exact ends on hover), then whether it follows the newest snapshots. */
function IndexingWindow({ window: w }: { window: Details['indexingWindow'] }) {
  if (w.start === null && w.end === null) return <span className="ds-muted">Not reported</span>;
  const exact = [w.start, w.end].map((at) => (at === null ? '…' : formatExact(at))).join(' – ');
  return (
    <span className="ds-when">
      <span title={exact}>{formatDayRange(w.start, w.end)}</span>
      {w.mostRecent !== null && <span className="ds-when-exact">{w.mostRecent ? 'Most recent snapshots' : 'A fixed range of snapshots'}</span>}
    </span>
  );
}

function StatList({ stats, label }: { stats: Record<string, unknown>; label: string }) {
  const entries = Object.entries(stats).filter(([, v]) => v !== null && typeof v !== 'object');
  if (!entries.length) return <p className="ds-muted">No {label.toLowerCase()} reported.</p>;
  return (
    <dl className="ds-kv" aria-label={label}>
      {entries.map(([k, v]) => (
        <div key={k}>
          <dt>{humanizeKey(k)}</dt>
          <dd>{formatStat(k, v)}</dd>
        </div>
      ))}
    </dl>
  );
}

function StillIndexing({ dataset, details }: { dataset: DatasetSummary; details: Details | null }) {
  const running = dataset.health === 'indexing' || (details?.lastRun && details.lastRun.start !== null && details.lastRun.end === null);
  if (!running) return null;
  const progress = dataset.progress ?? details?.lastRun?.progress ?? null;
  return (
    <div className="ds-notice" role="note">
      <strong>Still indexing{progress !== null ? ` — ${Math.round(progress)}% done` : ''}.</strong> Answers may miss documents until this run finishes.
      {progress !== null && <ProgressBar value={progress} label={`Indexing progress of ${dataset.name}`} />}
    </div>
  );
}

function TopicItem({ topic, datasetId, onAsk }: { topic: Topic; datasetId: string; onAsk(question: string): void }) {
  const [open, setOpen] = useState(false);
  const [summary, setSummary] = useState<Load<Summary> | null>(null);
  const panelId = useId();
  const load = () => {
    setSummary({ state: 'loading' });
    gaia.datasets.topicSummary({ id: datasetId, uuid: topic.uuid }).then(
      (value) => setSummary({ state: 'done', value }),
      (err: unknown) => setSummary({ state: 'error', error: toProblem(err) }),
    );
  };
  const toggle = () => {
    if (!open && !summary) load();
    setOpen(!open);
  };
  const questions = [...topic.suggestedQuestions];
  if (open && summary?.state === 'done') for (const q of summary.value.suggestedQuestions) if (!questions.includes(q)) questions.push(q);
  const share = topic.percentage;
  return (
    <li className="ds-topic">
      <div className="ds-topic-head">
        <button type="button" className="ds-topic-name" aria-expanded={open} aria-controls={panelId} onClick={toggle}>
          <ChevronRight size={14} aria-hidden className="ds-topic-chevron" data-open={open || undefined} />
          {topic.name}
        </button>
        {share !== null && (
          <span className="ds-topic-share">
            <span className="ds-meter" role="meter" aria-label={`Share of “${topic.name}”`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.max(0, Math.min(100, share))}>
              <span className="ds-meter-fill" style={{ width: `${Math.max(0, Math.min(100, share))}%` }} />
            </span>
            <span className="ds-topic-pct">{Math.round(share)}%</span>
          </span>
        )}
      </div>
      {topic.description && !open && <p className="ds-topic-desc">{topic.description}</p>}
      <div id={panelId} hidden={!open} className="ds-topic-summary">
        {summary?.state === 'loading' && <p className="ds-muted">Loading the summary…</p>}
        {summary?.state === 'error' && <ErrorNotice error={summary.error} onRetry={load} />}
        {summary?.state === 'done' && <p>{summary.value.description ?? topic.description ?? 'No summary for this topic.'}</p>}
        {topic.subThemes.length > 0 && (
          <p className="ds-topic-subthemes">
            <span className="ds-muted">Sub-themes: </span>
            {topic.subThemes.join(' · ')}
          </p>
        )}
      </div>
      {questions.length > 0 && (
        <ul className="ds-questions" aria-label={`Suggested questions about “${topic.name}”`}>
          {questions.map((q) => (
            <li key={q}>
              <button type="button" className="ds-question" onClick={() => onAsk(q)} title="Open Ask with this question">
                {q}
              </button>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

function Topics({ dataset, onAsk }: { dataset: DatasetSummary; onAsk(question: string): void }) {
  const profileId = useSession().active?.id ?? null;
  const id = useSettled(dataset.id, SETTLE_MS);
  const query = useDatasetTopics(profileId, id);
  const topics = loadOf(query, id === dataset.id);
  const retry = () => void query.refetch();
  return (
    <section className="ds-section" aria-label="Topics">
      <h3>Topics</h3>
      {topics.state === 'loading' && <p className="ds-muted">Finding what this dataset is about…</p>}
      {topics.state === 'error' && <ErrorNotice error={topics.error} onRetry={retry} />}
      {topics.state === 'done' && topics.value.topics.length === 0 && (
        <p className="ds-muted">{dataset.health === 'indexing' ? 'Topics appear once indexing has finished.' : 'Gaia has not found topics in this dataset yet.'}</p>
      )}
      {topics.state === 'done' && topics.value.topics.length > 0 && (
        <ul className="ds-topics">
          {topics.value.topics.map((t) => (
            <TopicItem key={t.uuid} topic={t} datasetId={dataset.id} onAsk={onAsk} />
          ))}
        </ul>
      )}
    </section>
  );
}

const MAX_OBJECTS = 100;

export function DatasetDetails({
  dataset,
  onClose,
  onAsk,
  stats,
  onNeedStats,
  now,
  primary,
}: {
  dataset: DatasetSummary;
  onClose(): void;
  onAsk(question?: string): void;
  stats: DatasetsState['stats'];
  onNeedStats(): void;
  now: number;
  /** False while the toolbar's "Ask these" is shown: one primary action per view, as in Linear or Finder. */
  primary: boolean;
}) {
  const headingId = useId();
  const profileId = useSession().active?.id ?? null;
  const name = useSettled(dataset.name, SETTLE_MS);
  const query = useDatasetDetails(profileId, name);
  const details = loadOf(query, name === dataset.name);
  const retry = () => void query.refetch();
  const d = details.state === 'done' ? details.value : null;
  const run = d?.lastRun ?? null;

  useEffect(() => {
    onNeedStats();
  }, [onNeedStats]);

  return (
    <aside
      className="ds-details"
      aria-labelledby={headingId}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <header className="ds-details-head">
        <h2 id={headingId}>{dataset.name}</h2>
        <button type="button" className="ds-icon-button" aria-label="Close details" title="Close (Esc)" onClick={onClose}>
          <X size={16} aria-hidden="true" />
        </button>
      </header>
      <div className="ds-details-body">
        <p className="ds-details-actions">
          <button type="button" className={primary ? 'primary' : undefined} onClick={() => onAsk()}>
            <MessageSquare size={15} aria-hidden="true" /> Ask this dataset
          </button>
          <HealthBadge health={dataset.health} />
        </p>
        <StillIndexing dataset={dataset} details={d} />
        {dataset.description && <p className="ds-description">{dataset.description}</p>}
        <Topics dataset={dataset} onAsk={(q) => onAsk(q)} />
        <dl className="ds-kv ds-section" aria-label="Summary">
          <div>
            <dt>Objects</dt>
            <dd>{formatCount(dataset.numObjects)}</dd>
          </div>
          <div>
            <dt>Queries</dt>
            <dd>{formatCount(dataset.numQueries)}</dd>
          </div>
          <div>
            <dt>Last indexed</dt>
            <dd>{dataset.lastIndexedAt !== null ? <When at={dataset.lastIndexedAt} now={now} /> : 'Never'}</dd>
          </div>
          <div>
            <dt>Dataset id</dt>
            <dd>
              <code>{dataset.id}</code>
            </dd>
          </div>
        </dl>

        {details.state === 'loading' && (
          <p className="ds-muted" role="status">
            Loading details…
          </p>
        )}
        {details.state === 'error' && <ErrorNotice error={details.error} onRetry={retry} />}
        {d && (
          <>
            <section className="ds-section" aria-label="Indexing">
              <h3>Indexing</h3>
              <dl className="ds-kv">
                <div>
                  <dt>Window</dt>
                  <dd>
                    <IndexingWindow window={d.indexingWindow} />
                  </dd>
                </div>
                <div>
                  <dt>Last run started</dt>
                  <dd>{run ? <When at={run.start} now={now} /> : <span className="ds-muted">No run yet</span>}</dd>
                </div>
                <div>
                  <dt>Last run ended</dt>
                  <dd>{run ? run.end !== null ? <When at={run.end} now={now} /> : <strong>Still running</strong> : <span className="ds-muted">—</span>}</dd>
                </div>
                {run && run.start !== null && (
                  <div>
                    <dt>{run.end !== null ? 'Took' : 'Running for'}</dt>
                    <dd>{formatDuration((run.end ?? now) - run.start)}</dd>
                  </div>
                )}
                {run?.health && (
                  <div>
                    <dt>Run health</dt>
                    <dd>{gaiaWords(run.health)}</dd>
                  </div>
                )}
                {run?.progress !== null && run?.progress !== undefined && (
                  <div>
                    <dt>Progress</dt>
                    <dd>{Math.round(run.progress)}%</dd>
                  </div>
                )}
              </dl>
              {run && <StatList stats={run.stats} label="Run stats" />}
            </section>

            <section className="ds-section" aria-label="Data sources">
              <h3>Data sources</h3>
              {d.dataSources.length === 0 ? (
                <p className="ds-muted">None reported.</p>
              ) : (
                <ul className="ds-plain-list">
                  {d.dataSources.map((s, i) => (
                    <li key={i}>
                      <NameAndKind name={String(s.name ?? s.displayName ?? s.sourceName ?? `Source ${i + 1}`)} environment={s.environment} />
                    </li>
                  ))}
                </ul>
              )}
            </section>

            <section className="ds-section" aria-label="Protected objects">
              <h3>Protected objects{d.protectedObjects.length ? ` (${formatCount(d.protectedObjects.length)})` : ''}</h3>
              {d.protectedObjects.length === 0 ? (
                <p className="ds-muted">None reported.</p>
              ) : (
                <ul className="ds-plain-list">
                  {d.protectedObjects.slice(0, MAX_OBJECTS).map((o, i) => (
                    <li key={i}>
                      <NameAndKind name={o.name} environment={o.environment} />
                      {o.snapshotAt !== null && (
                        <span className="ds-muted">
                          {' '}
                          · snapshot <time title={formatExact(o.snapshotAt)}>{formatRelative(o.snapshotAt, now, 'long')}</time>
                        </span>
                      )}
                    </li>
                  ))}
                  {d.protectedObjects.length > MAX_OBJECTS && <li className="ds-muted">and {formatCount(d.protectedObjects.length - MAX_OBJECTS)} more</li>}
                </ul>
              )}
            </section>
          </>
        )}

        <section className="ds-section" aria-label="Across all datasets">
          <h3>Across all datasets</h3>
          {(stats === null || stats === 'loading') && <p className="ds-muted">Loading…</p>}
          {stats !== null && stats !== 'loading' && 'error' in stats && <p className="ds-muted">{stats.error.message}</p>}
          {stats !== null && stats !== 'loading' && 'stats' in stats && <StatList stats={stats.stats} label="Tenant stats" />}
        </section>
      </div>
    </aside>
  );
}
