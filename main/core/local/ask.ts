/**
 * One question to its end, for callers that are not a window: starts the answer through
 * gaia:ask.start, follows its gaia:ask.event stream and resolves with the final turn.
 * Aborting the signal sends gaia:ask.cancel, which closes the connection to Gaia in
 * this process and stores what arrived as cancelled — Stop, as the app's button does it.
 */
import { randomUUID } from 'node:crypto';
import type { AppErrorInfo, AskEvent, Request, Turn } from '../../../preload/contract';
import type { Core } from '../core';
import { createCaller } from './caller';

export type AskRequest = Omit<Request<'gaia:ask.start'>, 'requestId'>;

export interface AskOutcome {
  conversationId: string;
  turn: Turn;
  /** Why the answer did not complete (cancelled, dropped, refused), else null. */
  error: AppErrorInfo | null;
}

export async function askToEnd(core: Pick<Core, 'dispatch' | 'onEvent'>, request: AskRequest, options: { signal?: AbortSignal; onEvent?: (event: AskEvent) => void } = {}): Promise<AskOutcome> {
  const call = createCaller(core.dispatch);
  const requestId = randomUUID();
  let settle: (outcome: { turn: Turn; error: AppErrorInfo | null }) => void = () => undefined;
  const ended = new Promise<{ turn: Turn; error: AppErrorInfo | null }>((resolve) => (settle = resolve));
  // The answer as its deltas bring it: a final event that says so leaves it out of its turn.
  const pieces: string[] = [];
  let streamed = 0;
  let conversationId: string | null = null;
  const whole = async (event: Extract<AskEvent, { type: 'done' | 'error' }>): Promise<Turn> => {
    if (event.streamedChars === undefined) return event.turn;
    if (streamed === event.streamedChars) return { ...event.turn, answer: pieces.join('') };
    // Not every delta arrived here: the stored turn has the whole answer.
    const stored = conversationId ? await call('gaia:history.get', { id: conversationId }).catch(() => null) : null;
    return stored?.turns.find((t) => t.id === event.turn.id) ?? { ...event.turn, answer: pieces.join('') };
  };
  const unsubscribe = core.onEvent((channel, payload) => {
    if (channel !== 'gaia:ask.event') return;
    const event = payload as AskEvent;
    if (event.requestId !== requestId) return;
    if (event.type === 'started') conversationId = event.conversationId;
    if (event.type === 'delta') {
      pieces.push(event.text);
      streamed += event.text.length;
    }
    if (event.type !== 'done' && event.type !== 'error') return options.onEvent?.(event);
    void whole(event).then((turn) => {
      const { streamedChars: _streamed, ...rest } = event;
      options.onEvent?.({ ...rest, turn });
      settle({ turn, error: event.type === 'error' ? event.error : null });
    });
  });
  const cancel = () => void call('gaia:ask.cancel', { requestId }).catch(() => undefined);
  try {
    if (options.signal?.aborted) throw options.signal.reason;
    const started = await call('gaia:ask.start', { ...request, requestId });
    options.signal?.addEventListener('abort', cancel, { once: true });
    const { turn, error } = await ended;
    return { conversationId: started.conversationId, turn, error };
  } finally {
    options.signal?.removeEventListener('abort', cancel);
    unsubscribe();
  }
}
