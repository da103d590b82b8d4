/**
 * "Find all documents": Gaia's exhaustive search (PUT /ask/exhaustive) for a question in
 * one dataset, a page at a time. A document met again on a later page is merged into
 * the one already shown.
 */
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { AppErrorInfo, SourceDocument } from '../../../preload/contract';
import { toProblem } from '../../ui/errors';
import { gaia } from '../../api';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { Citations, DocumentDetails } from './Sources';

const PAGE_SIZES = [5, 10, 25, 50];

function merge(shown: SourceDocument[], page: SourceDocument[]): SourceDocument[] {
  const out = [...shown];
  const index = new Map(out.map((d, i) => [d.documentId, i]));
  for (const doc of page) {
    const at = index.get(doc.documentId);
    if (at === undefined) {
      index.set(doc.documentId, out.length);
      out.push(doc);
    } else {
      const known = new Set(out[at].citations.map((c) => c.snippet));
      out[at] = { ...out[at], citations: [...out[at].citations, ...doc.citations.filter((c) => !known.has(c.snippet))] };
    }
  }
  return out;
}

interface State {
  documents: SourceDocument[];
  token: string | null;
  pages: number;
  loading: boolean;
  error: AppErrorInfo | null;
}

export function ExhaustiveSearch({ question, datasetNames }: { question: string; datasetNames: string[] }) {
  const [dataset, setDataset] = useState(datasetNames[0] ?? '');
  const [pageSize, setPageSize] = useState(25);
  const [state, setState] = useState<State>({ documents: [], token: null, pages: 0, loading: true, error: null });
  const generation = useRef(0);
  const headingId = useId();

  /** Applies one page's answer (state changes only in its callbacks). */
  const fetchPage = useCallback(
    (token: string | null, datasetName: string, size: number) => {
      const mine = ++generation.current;
      gaia.ask.exhaustive({ datasetName, question, pageSize: size, paginationToken: token }).then(
        (page) => {
          if (mine !== generation.current) return;
          setState((s) => ({
            documents: merge(token ? s.documents : [], page.documents),
            token: page.paginationToken,
            pages: (token ? s.pages : 0) + 1,
            loading: false,
            error: null,
          }));
        },
        (err: unknown) => {
          if (mine !== generation.current) return;
          const info = toProblem(err);
          setState((s) => ({ ...s, loading: false, error: info }));
        },
      );
    },
    [question],
  );

  const load = (token: string | null, datasetName = dataset, size = pageSize) => {
    setState((s) => ({ ...(token ? s : { documents: [], token: null, pages: 0 }), loading: true, error: null }));
    fetchPage(token, datasetName, size);
  };

  const firstDataset = datasetNames[0] ?? '';
  useEffect(() => {
    // The first page, when the panel opens.
    fetchPage(null, firstDataset, 25);
  }, [fetchPage, firstDataset]);

  return (
    <section className="exhaustive" aria-labelledby={headingId}>
      <h3 id={headingId}>All documents for this question</h3>
      <div className="exhaustive-controls">
        {datasetNames.length > 1 && (
          <label>
            Dataset
            <select value={dataset} onChange={(e) => {
              setDataset(e.target.value);
              load(null, e.target.value);
            }}>
              {datasetNames.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          Per page
          <select value={pageSize} onChange={(e) => {
              setPageSize(Number(e.target.value));
              load(null, dataset, Number(e.target.value));
            }}>
            {PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
      </div>
      {state.error && <ErrorNotice error={state.error} onRetry={() => load(state.pages ? state.token : null)} />}
      <p className="muted small" role="status">
        {state.loading && !state.documents.length
          ? `Searching ${dataset}…`
          : `${state.documents.length} document${state.documents.length === 1 ? '' : 's'} found in ${dataset}${state.token ? ' so far' : ''}.`}
      </p>
      {state.documents.length > 0 && (
        <ul className="source-list" aria-label={`Documents found in ${dataset}`}>
          {state.documents.map((doc) => (
            <li key={doc.documentId} className="source">
              <div className="source-body">
                <div className="source-title">
                  <strong>{doc.name}</strong>
                </div>
                <DocumentDetails doc={doc} />
                <Citations doc={doc} />
              </div>
            </li>
          ))}
        </ul>
      )}
      {state.token && (
        <button type="button" disabled={state.loading} onClick={() => load(state.token)}>
          {state.loading ? 'Loading…' : 'Load more'}
        </button>
      )}
    </section>
  );
}
