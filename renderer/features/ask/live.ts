/**
 * Answers while they stream, outside React state: one store per window, fed by
 * gaia:ask.event and kept across page switches (main goes on streaming when the Ask page
 * is not shown). Text is appended as deltas arrive; subscribers hear about it at most
 * once per animation frame (and about 30 times a second), and only the streaming turn
 * subscribes to its text, so a long answer never re-renders the whole transcript per token.
 * The end of an answer (done or error) is announced at once, with the final turn.
 */
import type { AppErrorInfo, AskEvent, Turn } from '../../../preload/contract';
import { gaia } from '../../api';

export interface LiveAnswer {
  requestId: string;
  conversationId: string | null;
  turnId: string | null;
  text: string;
  progress: string[];
  followUps: string[];
  retrying: { attempt: number; waitMs: number; reason: string; at: number } | null;
  /** Set when the answer ended (done or error). */
  final: Turn | null;
  error: AppErrorInfo | null;
  /** When main last said anything about this answer. */
  heardAt: number;
}

type Listener = () => void;
type FinalListener = (answer: LiveAnswer) => void;

const KEEP_FINISHED = 50;
const MIN_UPDATE_MS = 32;

class LiveAnswers {
  private answers = new Map<string, LiveAnswer>();
  private turns = new Map<string, string>();
  private listeners = new Set<Listener>();
  private finalListeners = new Set<FinalListener>();
  private frame: number | null = null;
  private notifiedAt = -Infinity;
  private unsubscribe: (() => void) | null = null;

  /** Listens to main's events (once per window). */
  connect(): void {
    if (!this.unsubscribe) this.unsubscribe = gaia.ask.onEvent((event) => this.handle(event));
  }

  /** Call before gaia.ask.start, so no event of this request is missed. */
  track(requestId: string): void {
    this.answers.set(requestId, {
      requestId,
      conversationId: null,
      turnId: null,
      text: '',
      progress: [],
      followUps: [],
      retrying: null,
      final: null,
      error: null,
      heardAt: Date.now(),
    });
  }

  forget(requestId: string): void {
    const answer = this.answers.get(requestId);
    if (answer?.turnId) this.turns.delete(answer.turnId);
    this.answers.delete(requestId);
    this.notify();
  }

  bind(requestId: string, conversationId: string, turnId: string): void {
    const answer = this.answers.get(requestId);
    if (!answer || answer.turnId === turnId) return;
    this.turns.set(turnId, requestId);
    this.answers.set(requestId, { ...answer, conversationId, turnId });
    this.notify();
  }

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  onFinal(listener: FinalListener): () => void {
    this.finalListeners.add(listener);
    return () => this.finalListeners.delete(listener);
  }

  forTurn(turnId: string): LiveAnswer | undefined {
    const requestId = this.turns.get(turnId);
    return requestId ? this.answers.get(requestId) : undefined;
  }

  /** The request id of an answer still streaming in this conversation, or null. */
  runningIn(conversationId: string | null): string | null {
    if (!conversationId) return null;
    for (const answer of this.answers.values()) {
      if (answer.conversationId === conversationId && !answer.final) return answer.requestId;
    }
    return null;
  }

  isRunning(requestId: string): boolean {
    const answer = this.answers.get(requestId);
    return Boolean(answer && !answer.final);
  }

  private handle(event: AskEvent): void {
    const answer = this.answers.get(event.requestId);
    if (!answer) return; // another window's question
    answer.heardAt = Date.now();
    switch (event.type) {
      case 'started':
        this.turns.set(event.turnId, event.requestId);
        this.answers.set(event.requestId, { ...answer, conversationId: event.conversationId, turnId: event.turnId });
        this.notify();
        return;
      case 'progress':
        this.answers.set(event.requestId, { ...answer, progress: [...answer.progress, event.step], retrying: null });
        break;
      case 'delta':
        this.answers.set(event.requestId, { ...answer, text: answer.text + event.text, retrying: null });
        break;
      case 'followUps':
        this.answers.set(event.requestId, { ...answer, followUps: event.questions });
        break;
      case 'retrying':
        this.answers.set(event.requestId, { ...answer, retrying: { attempt: event.attempt, waitMs: event.waitMs, reason: event.reason, at: Date.now() } });
        break;
      case 'done':
      case 'error': {
        const error = event.type === 'error' ? event.error : null;
        if (event.streamedChars === undefined) return this.finish(event.requestId, event.turn, error);
        // The final event leaves out the text the deltas brought. Missed deltas (the
        // preview's event stream reconnected): the stored turn, written before this event, has it all.
        if (answer.text.length === event.streamedChars) return this.finish(event.requestId, { ...event.turn, answer: answer.text }, error);
        const fallback = { ...event.turn, answer: answer.text };
        const conversationId = answer.conversationId;
        if (!conversationId) return this.finish(event.requestId, fallback, error);
        gaia.history.get({ id: conversationId }).then(
          (stored) => this.finish(event.requestId, stored.turns.find((t) => t.id === event.turn.id) ?? fallback, error),
          () => this.finish(event.requestId, fallback, error),
        );
        return;
      }
    }
    this.schedule();
  }

  private finish(requestId: string, turn: Turn, error: AppErrorInfo | null): void {
    const answer = this.answers.get(requestId);
    if (!answer || answer.final) return;
    const final = { ...answer, final: turn, text: turn.answer, error };
    this.turns.set(turn.id, requestId);
    this.answers.set(requestId, final);
    this.prune();
    this.notify();
    for (const listener of this.finalListeners) listener(final);
  }

  private prune(): void {
    const finished = [...this.answers.values()].filter((a) => a.final);
    for (const old of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) {
      this.answers.delete(old.requestId);
      if (old.turnId) this.turns.delete(old.turnId);
    }
  }

  private schedule(): void {
    if (this.frame !== null) return;
    const run = () => {
      // At most ~30 updates a second: text arriving faster than that reads the same, and
      // every update re-parses the growing block and lays the answer out again.
      if (!document.hidden && performance.now() - this.notifiedAt < MIN_UPDATE_MS) {
        this.frame = window.requestAnimationFrame(run);
        return;
      }
      this.frame = null;
      this.notifiedAt = performance.now();
      this.notify();
    };
    // Hidden windows get no animation frames; a timer keeps them current anyway.
    this.frame = document.hidden ? window.setTimeout(run, 100) : window.requestAnimationFrame(run);
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

export const live = new LiveAnswers();
