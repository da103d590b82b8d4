/**
 * One question and its answer. Finished turns are memoized and never re-render while
 * another answer streams; the streaming turn alone subscribes to the live text.
 */
import { memo, useState, useSyncExternalStore } from 'react';
import type { Turn } from '../../../preload/contract';
import { CopyButton } from '../../ui/CopyButton';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { ExhaustiveSearch } from './Exhaustive';
import { formatDateTime, languageName } from './format';
import { live, type LiveAnswer } from './live';
import { Markdown, StreamingMarkdown } from './Markdown';
import { Sources } from './Sources';

export interface TurnActions {
  askFollowUp(turn: Turn, question: string): void;
  retry(turn: Turn): void;
  refine(turn: Turn, documentIds: string[]): void;
  feedback(turn: Turn, value: 'up' | 'down'): Promise<void>;
}

const noTurn = () => undefined;

function useLiveAnswer(turnId: string | null): LiveAnswer | undefined {
  return useSyncExternalStore(live.subscribe, turnId ? () => live.forTurn(turnId) : noTurn);
}

function Thumb({ down = false }: { down?: boolean }) {
  return (
    <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false" className={down ? 'thumb-down' : undefined}>
      <path
        fill="currentColor"
        d="M2 21h4V9H2v12zm20-11a2 2 0 0 0-2-2h-6.3l1-4.6v-.3c0-.4-.2-.8-.4-1.1L13.2 1 6.6 7.6C6.2 8 6 8.5 6 9v10a2 2 0 0 0 2 2h9c.8 0 1.5-.5 1.8-1.2l3-7.1c.1-.2.2-.5.2-.7v-2z"
      />
    </svg>
  );
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
        <Thumb />
      </button>
      <button type="button" className="icon-button" aria-label="Bad answer" title="Bad answer" aria-pressed={turn.feedback === 'down'} disabled={sending !== null} onClick={() => void send('down')}>
        <Thumb down />
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
  busy,
  actions,
}: {
  turn: Turn;
  index: number;
  /** An answer is streaming in this conversation: no new questions until it ends. */
  busy: boolean;
  actions: TurnActions;
}) {
  const liveAnswer = useLiveAnswer(stored.status === 'streaming' ? stored.id : null);
  const turn = liveAnswer?.final ?? stored;
  const streaming = turn.status === 'streaming';
  // While streaming, the live text, unless the stored one got further (events were missed).
  const text = streaming && liveAnswer && liveAnswer.text.length >= stored.answer.length ? liveAnswer.text : turn.answer;
  const steps = streaming && liveAnswer ? (liveAnswer.progress.length ? liveAnswer.progress : stored.progress) : turn.progress;
  const followUps = streaming && liveAnswer ? liveAnswer.followUps : turn.followUps;
  const [showAll, setShowAll] = useState(false);

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
        {text ? streaming ? <StreamingMarkdown text={text} /> : <Markdown text={text} /> : !streaming && turn.status === 'complete' ? <p className="muted">Gaia sent an empty answer.</p> : null}
        {streaming && <span className="sr-only">The answer is arriving.</span>}
        <StatusNote turn={turn} />
        {turn.notSaved && (
          <p className="turn-status not-saved" role="status">
            Not saved: this answer is kept in memory only, because the history could not be written (is the disk full?). Gaia Desktop saves it as soon as
            writing works again; until then it is lost if the app quits.
          </p>
        )}
        {!streaming && (
          <div className="answer-actions">
            {turn.status !== 'complete' && (
              <button type="button" className="primary" disabled={busy} onClick={() => actions.retry(turn)}>
                Retry
              </button>
            )}
            {turn.answer && <CopyButton text={turn.answer} label="Copy answer" />}
            {turn.status === 'complete' && turn.queryUid && <Feedback turn={turn} onFeedback={actions.feedback} />}
            {turn.datasetNames.length > 0 && (
              <button type="button" aria-expanded={showAll} onClick={() => setShowAll(!showAll)}>
                {showAll ? 'Hide all documents' : 'Find all documents'}
              </button>
            )}
          </div>
        )}
        {followUps.length > 0 && (
          <div className="follow-ups" role="group" aria-label="Suggested follow-up questions">
            {followUps.map((q) => (
              <button key={q} type="button" className="follow-up" disabled={busy} onClick={() => actions.askFollowUp(turn, q)}>
                {q}
              </button>
            ))}
          </div>
        )}
        {!streaming && (turn.status === 'complete' || turn.documents.length > 0) && (
          <Sources
            documents={turn.documents}
            onRefine={turn.status === 'complete' && turn.queryUid && !busy ? (ids) => actions.refine(turn, ids) : null}
          />
        )}
        {showAll && !streaming && <ExhaustiveSearch question={turn.question} datasetNames={turn.datasetNames} />}
      </section>
    </article>
  );
});
