/**
 * One question and its answer. Finished turns are memoized and never re-render while
 * another answer streams; the streaming turn alone subscribes to the live text.
 * Suggested follow-ups and "ask again using only these" belong to the latest answer only.
 */
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { FileSearch, RotateCcw, ThumbsDown, ThumbsUp } from 'lucide-react';
import type { Turn } from '../../../preload/contract';
import { CopyButton } from '../../ui/CopyButton';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { CitationContext, type CitationTargets } from './CitationChip';
import { citationTargets } from './citations';
import { ExhaustiveSearch } from './Exhaustive';
import { formatDateTime, languageName } from './format';
import { usePacedText } from './hooks/usePacedText';
import { live, type LiveAnswer } from './live';
import { Markdown } from './Markdown';
import { sourceAnchor, Sources } from './Sources';

export interface TurnActions {
  askFollowUp(turn: Turn, question: string): void;
  retry(turn: Turn): void;
  refine(turn: Turn, documentIds: string[]): void;
  feedback(turn: Turn, value: 'up' | 'down'): Promise<void>;
}

const noTurn = () => undefined;
const HIGHLIGHT_MS = 1800;

function useLiveAnswer(turnId: string | null): LiveAnswer | undefined {
  return useSyncExternalStore(live.subscribe, turnId ? () => live.forTurn(turnId) : noTurn);
}

function Feedback({ turn, onFeedback }: { turn: Turn; onFeedback: TurnActions['feedback'] }) {
  const [sending, setSending] = useState<'up' | 'down' | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const send = async (value: 'up' | 'down') => {
    if (turn.feedback === value || sending) return;
    setSending(value);
    setFailed(null);
    try {
      await onFeedback(turn, value);
    } catch (err) {
      setFailed(err instanceof Error ? err.message : 'Feedback could not be sent.');
    } finally {
      setSending(null);
    }
  };
  return (
    <span className="feedback" role="group" aria-label="Rate this answer">
      <button type="button" className="icon-button" aria-label="Good answer" title="Good answer" aria-pressed={turn.feedback === 'up'} disabled={sending !== null} onClick={() => void send('up')}>
        <ThumbsUp size={16} aria-hidden="true" />
      </button>
      <button type="button" className="icon-button" aria-label="Bad answer" title="Bad answer" aria-pressed={turn.feedback === 'down'} disabled={sending !== null} onClick={() => void send('down')}>
        <ThumbsDown size={16} aria-hidden="true" />
      </button>
      {failed && (
        <span className="feedback-error" role="alert">
          {failed}
        </span>
      )}
    </span>
  );
}

function Progress({ steps, streaming, retrying }: { steps: string[]; streaming: boolean; retrying: LiveAnswer['retrying'] }) {
  if (!streaming) {
    if (!steps.length) return null;
    return (
      <details className="progress-done">
        <summary>
          How Gaia answered ({steps.length} step{steps.length === 1 ? '' : 's'})
        </summary>
        <ol>
          {steps.map((s, i) => (
            <li key={i}>{s}</li>
          ))}
        </ol>
      </details>
    );
  }
  return (
    <div className="progress" aria-label="Progress">
      <ol>
        {steps.map((s, i) => (
          <li key={i} className={i === steps.length - 1 ? 'current' : undefined}>
            {s}
          </li>
        ))}
        {!steps.length && <li className="current">Asking Gaia…</li>}
      </ol>
      {retrying && (
        <p className="retrying" role="status">
          Gaia is busy ({retrying.reason}); trying again in {Math.max(1, Math.round(retrying.waitMs / 1000))} s (attempt {retrying.attempt}).
        </p>
      )}
    </div>
  );
}

function StatusNote({ turn }: { turn: Turn }) {
  switch (turn.status) {
    case 'cancelled':
      return (
        <div className="turn-status stopped">
          <p>
            <strong>Stopped.</strong> You stopped this answer; the part that arrived is kept.
          </p>
        </div>
      );
    case 'incomplete':
      return (
        <div className="turn-status incomplete">
          {turn.error ? (
            <ErrorNotice error={turn.error} />
          ) : (
            <p>
              <strong>Incomplete.</strong> Gaia Desktop closed before this answer finished; the part that arrived is kept.
            </p>
          )}
        </div>
      );
    case 'error':
      return <div className="turn-status failed">{turn.error ? <ErrorNotice error={turn.error} /> : <p role="alert">This answer failed.</p>}</div>;
    default:
      return null;
  }
}

export const TurnView = memo(function TurnView({
  turn: stored,
  index,
  latest,
  busy,
  actions,
}: {
  turn: Turn;
  index: number;
  /** The last turn of the conversation: the only one offering follow-ups and refining. */
  latest: boolean;
  /** An answer is streaming in this conversation: no new questions until it ends. */
  busy: boolean;
  actions: TurnActions;
}) {
  const liveAnswer = useLiveAnswer(stored.status === 'streaming' ? stored.id : null);
  const turn = liveAnswer?.final ?? stored;
  const arriving = turn.status === 'streaming';
  // While streaming, the live text, unless the stored one got further (events were missed).
  const text = arriving && liveAnswer && liveAnswer.text.length >= stored.answer.length ? liveAnswer.text : turn.answer;
  const steps = arriving && liveAnswer ? (liveAnswer.progress.length ? liveAnswer.progress : stored.progress) : turn.progress;
  // Gaia sometimes suggests the very question just asked: it is not offered back.
  const followUps = (arriving && liveAnswer ? liveAnswer.followUps : turn.followUps).filter((q) => !sameQuestion(q, turn.question));
  // Text that came faster than frames can lay it out follows over the next frames; the
  // answer reads as still being written until it is all shown.
  const shown = usePacedText(text);
  const streaming = arriving || shown.length < text.length;
  const [showAll, setShowAll] = useState(false);
  const [openSource, setOpenSource] = useState<number | null>(null);
  const [highlighted, setHighlighted] = useState<{ n: number; at: number } | null>(null);
  const highlightTimer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(highlightTimer.current), []);

  const documents = streaming ? null : turn.documents;
  const cited = useMemo(() => (documents ? citationTargets(documents) : []), [documents]);
  const citedRef = useRef(cited);
  useLayoutEffect(() => {
    citedRef.current = cited;
  }, [cited]);
  const reveal = useCallback((cite: number) => {
    const doc = citedRef.current[cite - 1]?.doc;
    if (doc === undefined) return;
    const n = doc + 1;
    setOpenSource(n);
    setHighlighted({ n, at: Date.now() });
    window.clearTimeout(highlightTimer.current);
    highlightTimer.current = window.setTimeout(() => setHighlighted(null), HIGHLIGHT_MS);
  }, []);
  const turnId = turn.id;
  useEffect(() => {
    // Scrolling is the DOM's business: after the strip shows the source, bring it into view.
    if (highlighted) document.getElementById(sourceAnchor(turnId, highlighted.n))?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [highlighted, turnId]);
  const targets = useMemo<CitationTargets | null>(() => (documents?.length ? { documents, cited, reveal } : null), [documents, cited, reveal]);

  const meta = [
    turn.datasetNames.join(', '),
    turn.llmId ? `model ${turn.llmId}` : null,
    turn.languageCode ? languageName(turn.languageCode) : null,
    formatDateTime(turn.askedAt),
  ].filter(Boolean);

  return (
    <article className={`turn status-${turn.status}`} aria-label={`Question ${index + 1}: ${turn.question.slice(0, 120)}`}>
      <header className="turn-question">
        <p className="question-text">{turn.question}</p>
        <p className="turn-meta">
          {turn.refinedFrom && <span className="badge">Asked again using only chosen sources</span>}
          {meta.join(' · ')}
        </p>
      </header>
      <section className="turn-answer" aria-label={`Answer ${index + 1}`} aria-busy={streaming}>
        <Progress steps={steps} streaming={streaming} retrying={liveAnswer?.retrying ?? null} />
        <CitationContext.Provider value={targets}>
          {text ? <Markdown text={shown} streaming={streaming} /> : !streaming && turn.status === 'complete' ? <p className="muted">Gaia sent an empty answer.</p> : null}
        </CitationContext.Provider>
        {streaming && <span className="sr-only">The answer is arriving.</span>}
        <StatusNote turn={turn} />
        {turn.notSaved && (
          <p className="turn-status not-saved" role="status">
            Not saved: this answer is kept in memory only, because the history could not be written (is the disk full?). Gaia Desktop saves it as soon as
            writing works again; until then it is lost if the app quits.
          </p>
        )}
        {!streaming && (turn.status === 'complete' || turn.documents.length > 0) && (
          <Sources
            turnId={turn.id}
            documents={turn.documents}
            cited={cited}
            open={openSource}
            highlighted={highlighted?.n ?? null}
            onOpen={setOpenSource}
            onRefine={latest && turn.status === 'complete' && turn.queryUid && !busy ? (ids) => actions.refine(turn, ids) : null}
          />
        )}
        {!streaming && (
          <div className="answer-actions">
            {turn.status !== 'complete' && (
              <button type="button" className="primary" disabled={busy} onClick={() => actions.retry(turn)}>
                <RotateCcw size={14} aria-hidden="true" /> Retry
              </button>
            )}
            {turn.answer && <CopyButton text={turn.answer} label="Copy answer" />}
            {turn.status === 'complete' && turn.queryUid && <Feedback turn={turn} onFeedback={actions.feedback} />}
            {turn.datasetNames.length > 0 && (
              <button type="button" className="quiet" aria-expanded={showAll} onClick={() => setShowAll(!showAll)}>
                <FileSearch size={14} aria-hidden="true" /> {showAll ? 'Hide all documents' : 'Find all documents'}
              </button>
            )}
          </div>
        )}
        {showAll && !streaming && <ExhaustiveSearch question={turn.question} datasetNames={turn.datasetNames} />}
        {latest && followUps.length > 0 && (
          <div className="follow-ups" role="group" aria-label="Suggested follow-up questions">
            {followUps.map((q) => (
              <button key={q} type="button" className="follow-up" disabled={busy} onClick={() => actions.askFollowUp(turn, q)}>
                {q}
              </button>
            ))}
          </div>
        )}
      </section>
    </article>
  );
});

const normalQuestion = (q: string) => q.trim().toLowerCase().replace(/[\s?.!。？！]+$/u, '').replace(/\s+/g, ' ');
function sameQuestion(a: string, b: string): boolean {
  return normalQuestion(a) === normalQuestion(b);
}
