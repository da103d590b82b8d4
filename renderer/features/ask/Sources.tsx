/**
 * The documents an answer came from, as a compact strip in the order Gaia listed them,
 * each labelled with the citation numbers the answer uses for it. A source opens its details and every
 * snippet of it below the strip. On the latest answer, sources can be picked and the
 * question asked again using only them.
 */
import { useId, useState } from 'react';
import { FileText } from 'lucide-react';
import type { SourceDocument } from '../../../preload/contract';
import { gaiaWords, relevance } from '../../../preload/words';
import { numbersOf, type CitedSource } from './citations';
import { bestScore, citationsByScore, formatDateTime } from './format';

export function DocumentDetails({ doc }: { doc: SourceDocument }) {
  const rows: Array<[string, string | null]> = [
    ['Path', doc.path],
    ['Type', doc.type],
    ['Dataset', doc.datasetName ?? doc.datasetId],
    ['Object', doc.objectName],
    ['Environment', gaiaWords(doc.environment)],
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

function Snippets({ doc }: { doc: SourceDocument }) {
  if (!doc.citations.length) return <p className="muted small">No snippets for this document.</p>;
  return (
    <ol className="citation-list" aria-label={`Snippets from ${doc.name}`}>
      {citationsByScore(doc).map((c, i) => (
        <li key={i}>
          {c.score !== null && <span className="citation-score">Relevance {relevance(c.score)}</span>}
          <blockquote className="citation-snippet">{c.snippet}</blockquote>
        </li>
      ))}
    </ol>
  );
}

/** The snippets of a document behind a disclosure button (for lists of many documents). */
export function Citations({ doc }: { doc: SourceDocument }) {
  const [open, setOpen] = useState(false);
  const listId = useId();
  const count = doc.citations.length;
  if (!count) return <p className="muted small">No snippets for this document.</p>;
  return (
    <div className="citations" id={listId}>
      <button type="button" className="link-button" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? 'Hide' : 'Show'} {count} snippet{count === 1 ? '' : 's'} from {doc.name}
      </button>
      {open && <Snippets doc={doc} />}
    </div>
  );
}

/** The id of source n of a turn, for scrolling to it. */
export const sourceAnchor = (turnId: string, n: number) => `source-${turnId}-${n}`;

export function Sources({
  turnId,
  documents,
  cited,
  open,
  highlighted,
  onOpen,
  onRefine,
}: {
  turnId: string;
  documents: SourceDocument[];
  /** What the answer's citation numbers point at: each source is labelled with its numbers. */
  cited: CitedSource[];
  /** The source whose details show (1-based), or null. */
  open: number | null;
  /** The source just revealed from a citation, shown highlighted for a moment. */
  highlighted: number | null;
  onOpen: (n: number | null) => void;
  onRefine: ((documentIds: string[]) => void) | null;
}) {
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const headingId = useId();
  const detailsId = useId();
  if (!documents.length) {
    return (
      <section className="sources" aria-label="Sources">
        <p className="muted small sources-none">No sources returned.</p>
      </section>
    );
  }
  const toggle = (id: string) => {
    const next = new Set(chosen);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setChosen(next);
  };
  const shown = open !== null ? documents[open - 1] : undefined;
  return (
    <section className="sources" aria-labelledby={headingId}>
      <h3 id={headingId} className="sources-heading">
        Sources ({documents.length})
      </h3>
      <ol className="source-strip">
        {documents.map((doc, i) => {
          const n = i + 1;
          const best = bestScore(doc);
          const numbers = numbersOf(cited, i);
          return (
            <li key={doc.documentId} id={sourceAnchor(turnId, n)} className={`source-pill${highlighted === n ? ' highlight' : ''}${open === n ? ' open' : ''}`}>
              {onRefine && (
                <input
                  type="checkbox"
                  className="source-pick"
                  aria-label={`Use ${doc.name} when asking again`}
                  checked={chosen.has(doc.documentId)}
                  onChange={() => toggle(doc.documentId)}
                />
              )}
              <span className="source-number" aria-hidden="true">
                {numbers}
              </span>
              <button
                type="button"
                className="source-pill-button"
                aria-expanded={open === n}
                aria-controls={open === n ? detailsId : undefined}
                aria-label={`Source ${numbers}: ${doc.name}${Number.isFinite(best) ? `, relevance ${relevance(best)}` : ''}`}
                title={doc.path ?? doc.name}
                onClick={() => onOpen(open === n ? null : n)}
              >
                <FileText size={14} aria-hidden="true" className="source-icon" />
                <span className="source-name">{doc.name}</span>
              </button>
              {/* The number and the score sit beside the button, not in it: its visible text is then a part of its name (WCAG 2.5.3). */}
              {Number.isFinite(best) && (
                <span className="source-score" aria-hidden="true">
                  {relevance(best)}
                </span>
              )}
            </li>
          );
        })}
      </ol>
      {shown && (
        <div id={detailsId} className="source-details" role="region" aria-label={`Source ${numbersOf(cited, open! - 1)}: ${shown.name}`}>
          <p className="source-details-title">
            <span className="source-number" aria-hidden="true">
              {numbersOf(cited, open! - 1)}
            </span>
            <strong>{shown.name}</strong>
          </p>
          <DocumentDetails doc={shown} />
          <Snippets doc={shown} />
        </div>
      )}
      {onRefine && (
        <div className="refine">
          {/* The action appears once there is something to act on; until then, one quiet line says how. */}
          {chosen.size > 0 ? (
            <button type="button" onClick={() => onRefine([...chosen])}>
              Ask again using only these ({chosen.size})
            </button>
          ) : (
            <span className="muted small">Tick sources to ask the question again with only them.</span>
          )}
        </div>
      )}
    </section>
  );
}
