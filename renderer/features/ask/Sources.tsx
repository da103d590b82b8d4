/**
 * The documents an answer came from, best first, each with its details and its
 * citations (snippet and score, best first) behind a disclosure button. With `onRefine`,
 * sources can be picked and the question re-asked using only them.
 */
import { useId, useState } from 'react';
import type { SourceDocument } from '../../../preload/contract';
import { bestScore, byBestScore, citationsByScore, formatDateTime, formatScore, prettyEnum } from './format';

export function DocumentDetails({ doc }: { doc: SourceDocument }) {
  const rows: Array<[string, string | null]> = [
    ['Path', doc.path],
    ['Type', doc.type],
    ['Dataset', doc.datasetName ?? doc.datasetId],
    ['Object', doc.objectName],
    ['Environment', prettyEnum(doc.environment)],
    ['Cluster', doc.cluster],
    ['Snapshot', doc.snapshotAt === null ? null : formatDateTime(doc.snapshotAt)],
  ];
  const shown = rows.filter((r): r is [string, string] => Boolean(r[1]));
  if (!shown.length) return null;
  return (
    <dl className="doc-details">
      {shown.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd className={term === 'Path' ? 'doc-path' : undefined}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function Citations({ doc }: { doc: SourceDocument }) {
  const [open, setOpen] = useState(false);
  const listId = useId();
  const count = doc.citations.length;
  if (!count) return <p className="muted small">No citations for this document.</p>;
  return (
    <div className="citations">
      <button type="button" className="link-button" aria-expanded={open} aria-controls={listId} onClick={() => setOpen(!open)}>
        {open ? 'Hide' : 'Show'} {count} citation{count === 1 ? '' : 's'} from {doc.name}
      </button>
      {open && (
        <ol id={listId} className="citation-list" aria-label={`Citations from ${doc.name}`}>
          {citationsByScore(doc).map((c, i) => (
            <li key={i}>
              <span className="citation-score" title="Relevance score">
                Score {formatScore(c.score)}
              </span>
              <blockquote className="citation-snippet">{c.snippet}</blockquote>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

export function Sources({ documents, onRefine }: { documents: SourceDocument[]; onRefine: ((documentIds: string[]) => void) | null }) {
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const headingId = useId();
  if (!documents.length) {
    return (
      <section className="sources" aria-label="Sources">
        <h3>Sources</h3>
        <p className="muted">No sources returned.</p>
      </section>
    );
  }
  const toggle = (id: string) => {
    const next = new Set(chosen);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setChosen(next);
  };
  const sorted = byBestScore(documents);
  return (
    <section className="sources" aria-labelledby={headingId}>
      <h3 id={headingId}>Sources ({documents.length})</h3>
      <ul className="source-list">
        {sorted.map((doc) => {
          const best = bestScore(doc);
          return (
            <li key={doc.documentId} className="source">
              {onRefine && (
                <input
                  type="checkbox"
                  className="source-pick"
                  aria-label={`Use ${doc.name} when asking again`}
                  checked={chosen.has(doc.documentId)}
                  onChange={() => toggle(doc.documentId)}
                />
              )}
              <div className="source-body">
                <div className="source-title">
                  <strong>{doc.name}</strong>
                  {Number.isFinite(best) && <span className="source-score">best score {formatScore(best)}</span>}
                </div>
                <DocumentDetails doc={doc} />
                <Citations doc={doc} />
              </div>
            </li>
          );
        })}
      </ul>
      {onRefine && (
        <div className="refine">
          <button type="button" disabled={chosen.size === 0} onClick={() => onRefine([...chosen])}>
            Ask again using only these{chosen.size ? ` (${chosen.size})` : ''}
          </button>
          {chosen.size === 0 && <span className="muted small">Tick the sources to keep, then ask again with only them.</span>}
        </div>
      )}
    </section>
  );
}
