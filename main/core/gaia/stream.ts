/**
 * A streamed answer, assembled. Gaia's stream (POST /ask/stream, /ask/refine/stream)
 * sends `progress` (reasoning steps), `data` (the answer), `follow_up` (questions for
 * the user) and `error` events. Payloads are `{ data: { responseString, documents,
 * queryUid, conversationId } }` [I]; the same fields at the top level are accepted too.
 *
 * Text: whether successive `responseString`s are the whole text so far or deltas is
 * undocumented. A value that starts with the text so far is taken as the whole text
 * (only its new suffix is emitted); anything else is a delta.
 *
 * The end: a `data` event is terminal when it carries a `queryUid` (Gaia's id for the
 * finished answer) or an explicit final marker (`final`, `isFinal`, `done`, `isLast`,
 * or a finished `status`). After it, reading goes on briefly for stragglers (follow-ups
 * sent last) and stops at the server's close or after a short silence. An `error`
 * event ends the stream with the server's message. Without a terminal event, a body
 * that breaks off (the socket closes mid-stream) is 'stream-dropped'; a body that ends
 * cleanly with text is accepted as complete, since the server finished its response.
 * Whatever happens, the text received so far travels with the error (`partial`).
 */
import type { Readable } from 'node:stream';
import type { SourceDocument } from '../../../preload/contract';
import { AppError, appError } from '../errors';
import type { AppErrorInfo } from '../../../preload/contract';
import { followUpsOf, toDocuments } from './convert';
import { serverMessage } from './error-map';
import type { RetryInfo } from './retry';
import { createSseDecoder, SseOverflowError, type SseEvent } from './sse';
import { WireAnswer } from './wire';

export interface AskResult {
  /** Markdown, as Gaia wrote it. */
  responseString: string;
  queryUid: string | null;
  conversationId: string | null;
  documents: SourceDocument[];
  followUps: string[];
}

export type StreamEvent =
  | { type: 'progress'; step: string }
  | { type: 'delta'; text: string }
  | { type: 'followUps'; questions: string[] }
  | ({ type: 'retrying' } & RetryInfo);

/** A stream that ended badly; `partial` holds everything that had arrived. */
export class GaiaStreamError extends AppError {
  readonly partial: AskResult;
  constructor(info: AppErrorInfo, partial: AskResult) {
    super(info);
    this.name = 'GaiaStreamError';
    this.partial = partial;
  }
}

const FINISHED_STATUS = /^(k)?(success|succeeded|completed?|done|finished)$/i;

function payloadOf(data: string): { json: unknown; inner: Record<string, unknown> | null } {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return { json: data, inner: null };
  }
  if (json && typeof json === 'object' && !Array.isArray(json)) {
    const o = json as Record<string, unknown>;
    const nested = o.data;
    if (nested && typeof nested === 'object' && !Array.isArray(nested)) return { json, inner: nested as Record<string, unknown> };
    return { json, inner: o };
  }
  return { json, inner: null };
}

function firstString(o: Record<string, unknown> | null, keys: string[]): string | null {
  if (!o) return null;
  for (const key of keys) {
    const v = o[key];
    if (typeof v === 'string' && v.trim()) return v;
  }
  return null;
}

export class AnswerAssembler {
  private text = '';
  private queryUid: string | null = null;
  private conversationId: string | null = null;
  private documents: SourceDocument[] = [];
  private followUps: string[] = [];
  terminal = false;
  receivedAnything = false;

  constructor(private readonly emit: (e: StreamEvent) => void) {}

  result(): AskResult {
    return {
      responseString: this.text,
      queryUid: this.queryUid,
      conversationId: this.conversationId,
      documents: this.documents,
      followUps: this.followUps,
    };
  }

  /** Throws GaiaStreamError for an `error` event. */
  handle(e: SseEvent): void {
    const { json, inner } = payloadOf(e.data);
    switch (e.event) {
      case 'progress': {
        const step = typeof json === 'string' ? json : firstString(inner, ['step', 'message', 'text', 'description', 'status', 'progress']);
        if (step) this.emit({ type: 'progress', step: step.slice(0, 4096) });
        return;
      }
      case 'follow_up':
      case 'followUp':
      case 'follow_ups': {
        const list = Array.isArray(json) ? json : typeof json === 'string' ? [json] : inner ? (inner.questions ?? inner.followUpQuestions ?? inner.followUps ?? inner.followUp ?? [inner.question].filter(Boolean)) : [];
        this.addFollowUps(followUpsOf({ followUpQuestions: Array.isArray(list) ? list : [list] }));
        return;
      }
      case 'error': {
        const said = typeof json === 'string' ? json : (serverMessage(inner) ?? firstString(inner, ['error', 'detail']));
        throw new GaiaStreamError(
          {
            kind: 'server-error',
            message: said ? `Gaia stopped answering: “${said.slice(0, 500)}”` : 'Gaia stopped answering because of an error on its side.',
            action: 'Ask again. If it keeps happening, try a shorter question or fewer datasets.',
          },
          this.result(),
        );
      }
      case 'data':
      case 'message':
      case 'answer': {
        if (typeof json === 'string') {
          this.addText(json, false);
          return;
        }
        const parsed = WireAnswer.safeParse(inner ?? {});
        if (!parsed.success) return;
        const w = parsed.data;
        if (typeof w.responseString === 'string') this.addText(w.responseString, true);
        if (w.queryUid) this.queryUid = w.queryUid;
        if (w.conversationId) this.conversationId = w.conversationId;
        if (w.documents && w.documents.length) this.documents = toDocuments(w.documents);
        this.addFollowUps(followUpsOf(w));
        const finished =
          Boolean(w.queryUid) || Boolean(w.final || w.isFinal || w.done || w.isLast) || (typeof w.status === 'string' && FINISHED_STATUS.test(w.status));
        if (finished) this.terminal = true;
        return;
      }
      default:
        // Unknown event types are someone else's extension; ignore them.
        return;
    }
  }

  private addText(value: string, mayBeWhole: boolean): void {
    this.receivedAnything = true;
    if (!value) return;
    let delta = value;
    if (mayBeWhole && this.text && value.startsWith(this.text)) delta = value.slice(this.text.length);
    if (!delta) return;
    this.text += delta;
    this.emit({ type: 'delta', text: delta });
  }

  private addFollowUps(questions: string[]): void {
    const fresh = questions.filter((q) => !this.followUps.includes(q));
    if (!fresh.length) return;
    this.followUps = [...this.followUps, ...fresh];
    this.emit({ type: 'followUps', questions: this.followUps });
  }
}

export interface ReadStreamOptions {
  onEvent: (e: StreamEvent) => void;
  maxBytes: number;
  /** How long to wait for stragglers after the terminal event. */
  trailingGraceMs: number;
  /** Maps a read failure (abort, deadline, socket) to an AppError. */
  fail: (err: unknown) => Promise<AppError>;
  onIncompleteEnd?: () => void;
}

export async function readAnswerStream(body: Readable, o: ReadStreamOptions): Promise<AskResult> {
  const answer = new AnswerAssembler(o.onEvent);
  const decoder = createSseDecoder((e) => answer.handle(e));
  let bytes = 0;
  let grace: NodeJS.Timeout | undefined;
  try {
    for await (const chunk of body) {
      bytes += (chunk as Buffer).length;
      if (bytes > o.maxBytes) {
        throw appError('body-too-large', 'The answer grew larger than expected and was stopped.', 'Ask a narrower question, or fewer datasets at once.');
      }
      decoder.push(chunk as Buffer);
      if (answer.terminal) {
        // The answer is complete; give stragglers a moment, then hang up ourselves.
        clearTimeout(grace);
        grace = setTimeout(() => body.destroy(), o.trailingGraceMs);
      }
    }
    decoder.end();
  } catch (err) {
    body.destroy();
    if (err instanceof GaiaStreamError) throw err;
    if (err instanceof SseOverflowError) {
      throw new GaiaStreamError(appError('body-too-large', 'One part of the answer grew larger than expected and was stopped.', 'Ask a narrower question.').info, answer.result());
    }
    if (err instanceof AppError) throw new GaiaStreamError(err.info, answer.result());
    // A break after the terminal event (our own hang-up included) loses nothing.
    if (!answer.terminal) throw new GaiaStreamError(await streamFailure(err, o), answer.result());
  } finally {
    clearTimeout(grace);
  }
  if (!answer.terminal) {
    if (!answer.receivedAnything) {
      throw new GaiaStreamError({ kind: 'stream-dropped', message: 'Gaia ended the answer before sending any of it.', action: 'Ask again.' }, answer.result());
    }
    o.onIncompleteEnd?.();
  }
  return answer.result();
}

async function streamFailure(err: unknown, o: ReadStreamOptions): Promise<AppErrorInfo> {
  const mapped = (await o.fail(err)).info;
  // Cancels and deadlines say so; every other break in the stream is a dropped stream.
  if (mapped.kind === 'aborted' || mapped.kind === 'timeout') return mapped;
  return {
    kind: 'stream-dropped',
    message: 'The connection to Gaia broke off in the middle of the answer. The part that arrived is kept.',
    action: 'Ask again to get the full answer.',
    ...(mapped.host ? { host: mapped.host } : {}),
  };
}
