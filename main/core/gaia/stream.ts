/**
 * A streamed answer, assembled (docs/gaia-api.md §Streaming). Gaia's stream (POST
 * /ask/stream, /ask/refine/stream) sends `progress` (reasoning steps), `data` (the
 * answer), `follow_up` (questions for the user) and `error` events [C]. Payloads are
 * `{ data: { responseString, documents, queryUid, conversationId } }` [I]; the same
 * fields at the top level are accepted too.
 *
 * Text: every public source describes the pieces as deltas, so they are appended. Only
 * clear evidence switches to whole-text reading: a piece that repeats everything so far
 * and is long enough that it cannot be a coincidence, or an end event repeating the
 * whole text. A short piece that merely begins with the text so far ("1" then "1.") is
 * a delta ("11.").
 *
 * The end: the server closing the stream, or an explicit end marker on a `data` event
 * (a finished `status`, a `finishReason`, or `final`/`isFinal`/`done`/`isLast`). A
 * `queryUid` is NOT an end: Gaia may put it on every piece. After a marker, reading
 * goes on briefly for stragglers (follow-ups sent last). While bytes keep arriving —
 * keep-alive comments included — nothing hangs up; only a silence of `quietMs`
 * (minutes) gives up, keeping the text and saying Gaia went quiet. An `error` event
 * ends the stream with the server's message. A body that breaks off mid-stream is
 * 'stream-dropped'; one that ends cleanly with text is complete, since the server
 * finished its response. Whatever happens, the text so far travels with the error.
 */
import type { Readable } from 'node:stream';
import type { SourceDocument } from '../../../preload/contract';
import { AppError, appError } from '../errors';
import type { AppErrorInfo } from '../../../preload/contract';
import { followUpsOf, toDocuments } from './convert';
import { serverMessage } from './error-map';
import type { RetryInfo } from './retry';
import { createSseDecoder, SseOverflowError, type SseEvent } from './sse';
import { readPlainAnswerPiece, WireAnswer } from './wire';

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

const FINISHED_STATUS = /^(k)?(success|succeeded|completed?|done|finished|stop|stopped|end|ended)$/i;

/** A piece that repeats at least this much of the text so far is whole text, not a delta. */
const WHOLE_TEXT_EVIDENCE = 32;

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

/**
 * The piece Gaia streams tens of thousands of times, `{"data":{"responseString":"…"}}`,
 * read without parsing the object around its text: when the text needs no unescaping
 * (no quote, backslash or control character inside) the characters between the quotes
 * are the string JSON would give; otherwise only the string literal is parsed, and it
 * must be exactly one (a quote that ends it early, as in `"a","queryUid":"b"`, fails).
 * Anything else (other fields, whitespace) is null and goes the ordinary way. Parsing
 * and walking each piece was most of the core's time per byte.
 */
const PLAIN_HEAD = '{"data":{"responseString":"';
const PLAIN_TAIL = '"}}';
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LETTER_N = 0x6e;

export function plainPieceText(data: string): string | null {
  if (data.length < PLAIN_HEAD.length + PLAIN_TAIL.length || !data.startsWith(PLAIN_HEAD) || !data.endsWith(PLAIN_TAIL)) return null;
  return literalText(data, PLAIN_HEAD.length, data.length - PLAIN_TAIL.length);
}

/**
 * The string a JSON string literal's inside, `source` from `start` to `end` (quotes
 * excluded), stands for; null if it is not exactly one literal. Prose's one usual escape
 * is a newline: with no quote, backslash or control character the characters are the
 * string, and when every backslash starts a `\n` (none escapes another or ends the
 * text) that is all there is to undo. Told in one pass over the characters: two regular
 * expressions over each of tens of thousands of pieces cost more than the pass.
 */
function literalText(source: string, start: number, end: number): string | null {
  let newlines = false;
  for (let i = start; i < end; i++) {
    const c = source.charCodeAt(i);
    if (c === BACKSLASH) {
      if (i + 1 === end || source.charCodeAt(i + 1) !== LETTER_N) return parsedLiteral(source.slice(start, end));
      newlines = true;
      i++;
    } else if (c === QUOTE || c < 0x20) return parsedLiteral(source.slice(start, end));
  }
  const text = source.slice(start, end);
  return newlines ? text.replaceAll('\\n', '\n') : text;
}

function parsedLiteral(text: string): string | null {
  try {
    const literal: unknown = JSON.parse(`"${text}"`);
    return typeof literal === 'string' ? literal : null;
  } catch {
    return null;
  }
}

/**
 * The same piece as a whole SSE event, as Gaia writes it: `event: data`, one `data` line
 * of exactly that shape, a blank line, all with plain LF endings. Read straight from the
 * decoded text, such an event is the event the SSE parser would give and plainPieceText
 * would read — the literal holds no CR or LF (raw control characters fail it), so the
 * lines are those three — without the parser's slices and objects for each of the
 * tens of thousands of them.
 */
const QUICK_HEAD = `event: data\ndata: ${PLAIN_HEAD}`;
const QUICK_TAIL = `${PLAIN_TAIL}\n\n`;

function firstString(o: Record<string, unknown> | null, keys: string[]): string | null {
  if (!o) return null;
  for (const key of keys) {
    const v = o[key];
    if (typeof v === 'string' && v.trim()) return v;
  }
  return null;
}

export class AnswerAssembler {
  /** The text up to the last settle(). */
  private settled = '';
  /** Pieces since: slices of the network read they came in, which they keep alive until joined. */
  private recent: string[] = [];
  private recentLength = 0;
  private queryUid: string | null = null;
  private conversationId: string | null = null;
  private documents: SourceDocument[] = [];
  private followUps: string[] = [];
  /** Set once the server has shown it sends the whole text so far each time. */
  private wholeText = false;
  terminal = false;
  receivedAnything = false;

  /**
   * `deltas: false`: the text is told only through settle(), not as a delta event per
   * piece — a reader that joins a network read's pieces itself (readAnswerStream) would
   * otherwise get, and drop, an event object for each of tens of thousands of them.
   */
  constructor(
    private readonly emit: (e: StreamEvent) => void,
    private readonly deltas = true,
  ) {}

  result(): AskResult {
    return {
      responseString: this.text(),
      queryUid: this.queryUid,
      conversationId: this.conversationId,
      documents: this.documents,
      followUps: this.followUps,
    };
  }

  /** Throws GaiaStreamError for an `error` event. */
  handle(e: SseEvent): void {
    if (e.event === 'data' || e.event === 'message' || e.event === 'answer') {
      // What the ordinary path below does with such a piece: a delta, not an end.
      const text = plainPieceText(e.data);
      if (text !== null) return this.addText(text, false);
    }
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
        const plain = inner && readPlainAnswerPiece(inner);
        const parsed = plain ? null : WireAnswer.safeParse(inner ?? {});
        if (parsed && !parsed.success) return;
        const w = plain ?? parsed!.data!;
        const finished =
          Boolean(w.finishReason) || Boolean(w.final || w.isFinal || w.done || w.isLast) || (typeof w.status === 'string' && FINISHED_STATUS.test(w.status));
        // An end event (or the one that brings the sources) may repeat the whole text.
        if (typeof w.responseString === 'string') this.addText(w.responseString, finished || Boolean(w.documents?.length));
        if (w.queryUid) this.queryUid = w.queryUid;
        if (w.conversationId) this.conversationId = w.conversationId;
        if (w.documents && w.documents.length) this.documents = toDocuments(w.documents);
        this.addFollowUps(followUpsOf(w));
        if (finished) this.terminal = true;
        return;
      }
      default:
        // Unknown event types are someone else's extension; ignore them.
        return;
    }
  }

  /**
   * The SSE decoder's `quick`: takes the plain pieces (QUICK_HEAD … QUICK_TAIL) that
   * start at `at`, one after another, as handle() would take them from the parser.
   */
  takePlainPieces(text: string, at: number): number {
    while (text.startsWith(QUICK_HEAD, at)) {
      const start = at + QUICK_HEAD.length;
      const end = text.indexOf(QUICK_TAIL, start);
      if (end < 0) break;
      const piece = literalText(text, start, end);
      if (piece === null) break;
      this.addText(piece, false);
      at = end + QUICK_TAIL.length;
    }
    return at;
  }

  private addText(value: string, endEvent = false): void {
    this.receivedAnything = true;
    if (!value) return;
    let delta = value;
    const length = this.settled.length + this.recentLength;
    const repeats = length > 0 && value.length >= length && value.startsWith(this.text());
    if (repeats && (this.wholeText || length >= WHOLE_TEXT_EVIDENCE || (endEvent && value === this.text()))) {
      this.wholeText = true;
      delta = value.slice(length);
    }
    if (!delta) return;
    this.recent.push(delta);
    this.recentLength += delta.length;
    if (this.deltas) this.emit({ type: 'delta', text: delta });
  }

  /**
   * The text added since the last call, joined into one string (which takes the pieces'
   * place): what readAnswerStream sends as the delta of one network read. Joined, the
   * pieces no longer hold on to the read's whole decoded text, SSE framing and all.
   */
  settle(): string {
    if (!this.recent.length) return '';
    const joined = this.recent.length === 1 ? this.recent[0] : this.recent.join('');
    this.recent = [];
    this.recentLength = 0;
    this.settled += joined;
    return joined;
  }

  private text(): string {
    return this.recent.length ? this.settled + this.recent.join('') : this.settled;
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
  /** How long to wait for stragglers after an explicit end marker. */
  trailingGraceMs: number;
  /** Silence (no byte at all) after which the stream is given up, keeping its text. */
  quietMs: number;
  /** Maps a read failure (abort, deadline, socket) to an AppError. */
  fail: (err: unknown) => Promise<AppError>;
  onIncompleteEnd?: () => void;
}

export async function readAnswerStream(body: Readable, o: ReadStreamOptions): Promise<AskResult> {
  // The text of one network read goes on as one delta (the assembler's pieces, joined
  // once): a read holds a hundred or more SSE events, and each delta costs the listener
  // (the ask session) its own bookkeeping. Any other event sends the text before it
  // first, so the order is kept.
  const answer = new AnswerAssembler((e) => {
    sendText();
    o.onEvent(e);
  }, false);
  const sendText = () => {
    const text = answer.settle();
    if (text) o.onEvent({ type: 'delta', text });
  };
  const decoder = createSseDecoder((e) => answer.handle(e), { quick: (text, at) => answer.takePlainPieces(text, at) });
  let bytes = 0;
  let grace: NodeJS.Timeout | undefined;
  let wentQuiet = false;
  // One timer, pushed back on every read (refresh), rather than a new one per read.
  const quiet = setTimeout(() => {
    wentQuiet = true;
    body.destroy();
  }, o.quietMs);
  const quietError = () => new GaiaStreamError(quietInfo(o.quietMs), answer.result());
  try {
    for await (const chunk of body) {
      quiet.refresh();
      bytes += (chunk as Buffer).length;
      if (bytes > o.maxBytes) {
        throw appError('body-too-large', 'The answer grew larger than expected and was stopped.', 'Ask a narrower question, or fewer datasets at once.');
      }
      decoder.push(chunk as Buffer);
      sendText();
      if (answer.terminal) {
        // The answer is complete; give stragglers a moment, then hang up ourselves.
        clearTimeout(grace);
        grace = setTimeout(() => body.destroy(), o.trailingGraceMs);
      }
    }
    decoder.end();
    sendText();
    if (wentQuiet && !answer.terminal) throw quietError();
  } catch (err) {
    // What was read before the failure reaches the listener, as the partial text holds it.
    sendText();
    body.destroy();
    if (err instanceof GaiaStreamError) throw err;
    if (wentQuiet && !answer.terminal) throw quietError();
    if (err instanceof SseOverflowError) {
      throw new GaiaStreamError(appError('body-too-large', 'One part of the answer grew larger than expected and was stopped.', 'Ask a narrower question.').info, answer.result());
    }
    if (err instanceof AppError) throw new GaiaStreamError(err.info, answer.result());
    // A break after the terminal event (our own hang-up included) loses nothing.
    if (!answer.terminal) throw new GaiaStreamError(await streamFailure(err, o), answer.result());
  } finally {
    clearTimeout(grace);
    clearTimeout(quiet);
  }
  if (!answer.terminal) {
    if (!answer.receivedAnything) {
      throw new GaiaStreamError({ kind: 'stream-dropped', message: 'Gaia ended the answer before sending any of it.', action: 'Ask again.' }, answer.result());
    }
    o.onIncompleteEnd?.();
  }
  return answer.result();
}

function describeWait(ms: number): string {
  return ms >= 60_000 && ms % 60_000 === 0 ? `${ms / 60_000} minute${ms === 60_000 ? '' : 's'}` : `${Math.round(ms / 1000)} s`;
}

function quietInfo(quietMs: number): AppErrorInfo {
  return {
    kind: 'timeout',
    message: `Gaia went quiet: nothing arrived for ${describeWait(quietMs)}, so the answer stops here. The part that arrived is kept.`,
    action: 'Ask again to get the full answer. If it keeps happening, Gaia may be overloaded.',
  };
}

async function streamFailure(err: unknown, o: ReadStreamOptions): Promise<AppErrorInfo> {
  const mapped = (await o.fail(err)).info;
  if (mapped.kind === 'aborted') return mapped;
  // Once the stream is open only silence times out (the connection's idle timer, which
  // the quiet watchdog matches): say so, the same way.
  if (mapped.kind === 'timeout') return quietInfo(o.quietMs);
  return {
    kind: 'stream-dropped',
    message: 'The connection to Gaia broke off in the middle of the answer. The part that arrived is kept.',
    action: 'Ask again to get the full answer.',
    ...(mapped.host ? { host: mapped.host } : {}),
  };
}
