/**
 * One HTTP exchange with Gaia, and the rules every exchange follows: the key goes only
 * to the profile's origin, redirects are never followed, each attempt has a deadline
 * and honours the caller's AbortSignal, bodies are capped, and every failure leaves as
 * an AppError in the user's words (TLS failures with the chain the server presented).
 */
import { EventEmitter } from 'node:events';
import type { Dispatcher } from 'undici';
import { finished, type Readable } from 'node:stream';
import type { Log } from '../platform/log';
import { AppError, appError } from '../errors';
import { failureContextFor, type ClientContext } from './context';
import { httpFailure, tlsFailure, tlsFailureKind, transportFailure, unexpectedBody, type CallFailure } from './error-map';
import { presentedChain } from './probe';
import { normalizeFingerprint } from './certificates';
import { withRetry, type RetryInfo, type RetryPolicy } from './retry';

export interface Timeouts {
  connectMs: number;
  headersMs: number;
  bodyIdleMs: number;
  /** Whole exchange, for ordinary calls. */
  deadlineMs: number;
  /** A non-streamed answer can take minutes to write. */
  askDeadlineMs: number;
  /** A streamed answer, from request to last event. */
  streamDeadlineMs: number;
  probeMs: number;
}

export const defaultTimeouts: Timeouts = {
  connectMs: 10_000,
  headersMs: 120_000,
  bodyIdleMs: 120_000,
  deadlineMs: 90_000,
  askDeadlineMs: 300_000,
  streamDeadlineMs: 600_000,
  probeMs: 5_000,
};

export interface Limits {
  /** A JSON answer larger than this is a runaway, not data. */
  maxBodyBytes: number;
  maxStreamBytes: number;
}

export const defaultLimits: Limits = { maxBodyBytes: 32 * 1024 * 1024, maxStreamBytes: 32 * 1024 * 1024 };

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface Exchange {
  method: Method;
  /** Path and query from the origin's root (see urls.ts); the origin is always the profile's. */
  path: string;
  body?: unknown;
  /** How the log names this call: never a key, never a user's question. */
  route: string;
  /** Safe to repeat (reads): 5xx gateways and resets are retried too, not only 429. */
  idempotent: boolean;
  deadlineMs: number;
  accept?: string;
  failure?: CallFailure;
  /**
   * A 2xx is not logged (failures and retries still are): for calls made many times in a
   * row whose caller logs one line for them all, like the pages of a dataset list.
   */
  quiet?: boolean;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Called before each wait, so the UI can say "rate limited, retrying in 4 s". */
  onRetry?: (info: RetryInfo) => void;
}

export interface OpenResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Readable;
  /** Turns a failure while reading the body into the right AppError. */
  fail(err: unknown): Promise<AppError>;
  /** Stops the deadline timer; call once the body is consumed or abandoned. */
  done(): void;
  /** Stops following the caller's cancel (the body is read or gone). */
  release(): void;
}

export interface Transport {
  /** Sends, retrying per policy, and answers the parsed JSON of a 2xx (null when empty). */
  json(x: Exchange, o?: CallOptions): Promise<unknown>;
  /** Sends, retrying per policy until a 2xx arrives; the caller reads the body. */
  open(x: Exchange, o?: CallOptions): Promise<OpenResponse>;
  close(): Promise<void>;
}

export interface TransportDeps {
  ctx: ClientContext;
  dispatcher: Dispatcher;
  log: Log;
  timeouts: Timeouts;
  limits: Limits;
  retry: RetryPolicy;
  /** Gaia answered an exchange with a 2xx (see ClientDeps.onAnswered). */
  onAnswered?: () => void;
}

const aborted = () => appError('aborted', 'The request was cancelled.', 'Try again when you are ready.');

/**
 * One attempt's stop, and its bookkeeping in one object: what undici is handed to stop it
 * (the deadline or the caller's cancel) is an EventEmitter, undici's documented
 * alternative to an AbortSignal, which it listens to with `once('abort')` and whose
 * `reason` it destroys the request or body with; the same object is the listener on the
 * caller's signal (handleEvent) and the deadline timer's argument. An AbortController per
 * attempt, with undici's EventTarget listener on it, and a closure for each of these cost
 * more than the rest of an attempt's bookkeeping. No `aborted` property on purpose:
 * undici takes an object with one for an AbortSignal.
 */
class AttemptStop extends EventEmitter {
  reason: unknown = undefined;
  /** Our deadline passed (told apart from the caller's cancel by the caller's own signal). */
  deadlinePassed = false;
  timer: ReturnType<typeof setTimeout> | undefined = undefined;
  constructor(readonly user: AbortSignal | undefined) {
    super();
  }
  stop(reason: unknown) {
    if (this.reason !== undefined) return;
    this.reason = reason;
    this.emit('abort');
  }
  /** The caller's cancel (this object is the listener on its signal). */
  handleEvent() {
    this.stop(this.user!.reason ?? new DOMException('The operation was aborted.', 'AbortError'));
  }
  /** Stops the deadline timer. */
  done() {
    clearTimeout(this.timer);
  }
  /** Stops following the caller's cancel. */
  release() {
    this.user?.removeEventListener('abort', this);
  }
}

/** How long a JSON attempt runs before it listens for the caller's cancel (WholeAttempt.arm). */
export const CANCEL_WATCH_MS = 10;

function watchCancel(attempt: WholeAttempt) {
  attempt.watch();
}

function passDeadline(stop: { deadlinePassed: boolean; stop(reason: unknown): void }) {
  stop.deadlinePassed = true;
  stop.stop(new DOMException('deadline', 'TimeoutError'));
}

/**
 * What a JSON exchange's attempt read: the status, the headers, and for a 2xx its parsed
 * JSON (null when empty), for any other status its text ('' when cut, see ERROR_BODY_CAP).
 */
interface WholeResponse {
  status: number;
  headers: OpenResponse['headers'];
  value: unknown;
  text: string;
}

/** Of a failure's body, only this much is read for the message. */
const ERROR_BODY_CAP = 64 * 1024;

/** What a WholeAttempt needs of its transport beyond undici: the cap, and the errors it words. */
interface WholeRules {
  cap: number;
  tooLarge: () => AppError;
  /** A 2xx whose body is not JSON (logged, and worded for the user). */
  notJson: (x: Exchange, status: number, headers: OpenResponse['headers'], text: string) => AppError;
}

/**
 * One attempt of a JSON exchange, as undici's own dispatch handler: the body is collected
 * here as it arrives, whole and capped, and parsed as it ends, with no response stream
 * between — undici's request() builds a Readable (and an async resource, and listeners on
 * it) for every response, and that machinery cost more than the rest of a page's
 * exchange. The same object is the attempt's stop, as AttemptStop is for a streamed one:
 * the deadline timer's argument and the listener on the caller's signal (handleEvent); a
 * stop aborts the request through undici's controller, as request() does with its signal.
 * The rules are the same as a streamed read's: a 2xx past `cap` (declared or counted)
 * fails with body-too-large, a failure's body is read up to ERROR_BODY_CAP for its message.
 *
 * The deadline and the caller's cancel are followed from `arm()`, right after dispatch
 * (unless undici already answered or refused): arming once undici had written the request
 * (onRequestSent, with a turn-later fallback for a request not written at once) measured
 * slower per page, not faster. A stop before undici has begun the request answers at once
 * (undici aborts it when it gets to it), so a queued request still keeps its deadline.
 */
class WholeAttempt implements Dispatcher.DispatchHandler {
  reason: Error | undefined = undefined;
  deadlinePassed = false;
  private timer: ReturnType<typeof setTimeout> | undefined = undefined;
  private armed = false;
  private listening = false;
  private controller: Dispatcher.DispatchController | null = null;
  private status = 0;
  private headers: OpenResponse['headers'] = {};
  private chunks: Buffer[] = [];
  private size = 0;
  private limit = 0;
  private settled = false;

  constructor(
    private readonly x: Exchange,
    readonly user: AbortSignal | undefined,
    private readonly rules: WholeRules,
    private readonly onStatus: (status: number) => void,
    private readonly resolve: (res: WholeResponse) => void,
    private readonly reject: (err: unknown) => void,
  ) {}

  /**
   * Starts following the deadline and the caller's cancel (once; never after the attempt is
   * over). The cancel is listened for only once the attempt has run CANCEL_WATCH_MS: most
   * are answered sooner, and adding and removing a listener on an AbortSignal (Node's
   * EventTarget) cost 4-14 µs, more than the rest of a page's bookkeeping. A cancel in those
   * first milliseconds is seen when the watch begins, on the timer the deadline needs anyway.
   */
  arm() {
    if (this.armed || this.settled) return;
    this.armed = true;
    const { user } = this;
    if (user?.aborted) return this.handleEvent();
    this.timer = user && this.x.deadlineMs > CANCEL_WATCH_MS ? setTimeout(watchCancel, CANCEL_WATCH_MS, this) : setTimeout(passDeadline, this.x.deadlineMs, this);
  }

  /** CANCEL_WATCH_MS into the attempt: from now the caller's cancel is listened for, and the deadline timed. */
  watch() {
    if (this.settled || this.reason !== undefined) return;
    const user = this.user!;
    if (user.aborted) return this.handleEvent();
    this.listening = true;
    // Not `once`: settle() removes it whichever way the attempt ends, and stop() runs once anyway.
    user.addEventListener('abort', this);
    this.timer = setTimeout(passDeadline, this.x.deadlineMs - CANCEL_WATCH_MS, this);
  }

  stop(reason: Error) {
    if (this.reason !== undefined || this.settled) return;
    this.reason = reason;
    if (this.controller) return this.controller.abort(reason);
    // Not begun yet (a new connection, a queue): answered now, and aborted when undici gets to it.
    this.settle();
    this.reject(reason);
  }
  /** The caller's cancel (this object is the listener on its signal). */
  handleEvent() {
    this.stop((this.user!.reason as Error | undefined) ?? new DOMException('The operation was aborted.', 'AbortError'));
  }

  onRequestStart(controller: Dispatcher.DispatchController) {
    this.controller = controller;
    // Stopped before undici began it (queued behind another request, say).
    if (this.reason !== undefined) controller.abort(this.reason);
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: OpenResponse['headers']) {
    if (statusCode < 200) return; // 1xx: informational, the answer follows
    this.status = statusCode;
    this.headers = headers;
    const ok = statusCode >= 200 && statusCode <= 299;
    this.limit = ok ? this.rules.cap : ERROR_BODY_CAP;
    this.onStatus(statusCode);
    if (ok && Number(headers['content-length'] ?? 0) > this.rules.cap) this.fail(controller, this.rules.tooLarge());
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer) {
    if (this.settled) return;
    this.size += chunk.length;
    if (this.size > this.limit) {
      if (this.status >= 200 && this.status <= 299) return this.fail(controller, this.rules.tooLarge());
      // A failure's long body: its status is answer enough.
      this.chunks = [];
      this.settle();
      this.resolve({ status: this.status, headers: this.headers, value: undefined, text: '' });
      controller.abort(this.rules.tooLarge());
      return;
    }
    this.chunks.push(chunk);
  }

  onResponseEnd() {
    if (this.settled) return;
    this.settle();
    const { chunks, status, headers } = this;
    // A page usually arrives in one chunk or two: one is decoded as it is, not copied first.
    const text = chunks.length === 1 ? chunks[0].toString('utf8') : chunks.length === 0 ? '' : Buffer.concat(chunks, this.size).toString('utf8');
    this.chunks = [];
    if (status < 200 || status > 299) return this.resolve({ status, headers, value: undefined, text });
    let value: unknown = null;
    // Parsed here, as the body ends: no buffer or text handed on to be parsed a turn later.
    if (text.trim()) {
      try {
        value = JSON.parse(text) as unknown;
      } catch {
        return this.reject(this.rules.notJson(this.x, status, headers, text));
      }
    }
    this.resolve({ status, headers, value, text: '' });
  }

  onResponseError(_controller: Dispatcher.DispatchController | null, err: Error) {
    if (this.settled) return;
    this.settle();
    this.reject(err);
  }

  /** undici refused the request before taking it (dispatch threw): nothing was armed, nothing is left behind. */
  refused(err: unknown) {
    if (this.settled) return;
    this.settle();
    this.reject(err);
  }

  private fail(controller: Dispatcher.DispatchController, err: AppError) {
    this.settle();
    this.reject(err);
    controller.abort(err);
  }

  /** Done: the deadline and the caller's cancel stop being followed. */
  private settle() {
    this.settled = true;
    if (!this.armed) return;
    clearTimeout(this.timer);
    if (this.listening) this.user!.removeEventListener('abort', this);
  }

  /** True once answered or failed (undici may do either before dispatch() returns). */
  get done() {
    return this.settled;
  }
}

export function createTransport(d: TransportDeps): Transport {
  const { ctx, log } = d;

  const buildHeaders = (accept: string, withBody: boolean): Record<string, string> => ({
    apiKey: ctx.apiKey,
    accept,
    'user-agent': 'GaiaDesktop',
    ...(withBody ? { 'content-type': 'application/json' } : {}),
    ...(ctx.securityContext ? { 'X-GAIA-SECURITY-CTX': ctx.securityContext } : {}),
  });
  // The usual two, built once (undici only reads them): a JSON read, and a JSON write.
  const jsonRead = buildHeaders('application/json', false);
  const jsonWrite = buildHeaders('application/json', true);
  const headersFor = (x: Exchange): Record<string, string> =>
    x.accept === undefined || x.accept === 'application/json' ? (x.body === undefined ? jsonRead : jsonWrite) : buildHeaders(x.accept, x.body !== undefined);

  /** Classifies a thrown error: ours, the caller's cancel, our deadline, TLS, or network. */
  const classify = async (err: unknown, x: Exchange, stop: Pick<AttemptStop, 'user' | 'deadlinePassed'>): Promise<AppError> => {
    if (err instanceof AppError) return err;
    if (stop.user?.aborted) return aborted();
    const fctx = failureContextFor(ctx, x.failure);
    if (stop.deadlinePassed) {
      return appError('timeout', `Gaia at ${ctx.hostLabel} did not finish answering within ${Math.round(x.deadlineMs / 1000)} s.`, 'Try again. If it keeps happening, Gaia may be overloaded; try again later.', { host: ctx.hostLabel });
    }
    const tls = tlsFailureKind(err);
    if (tls) {
      const certificates = await presentedChain({ ...ctx.probeTarget, timeoutMs: d.timeouts.probeMs });
      const pin = ctx.trustedFingerprint ? normalizeFingerprint(ctx.trustedFingerprint) : null;
      const pinGone = pin !== null && certificates.length > 0 && !certificates.some((c) => normalizeFingerprint(c.fingerprint256) === pin);
      log.warn(`gaia ${x.route}: TLS verification failed (${tls.code})${pinGone ? '; the pinned certificate is gone' : ''}`);
      return tlsFailure(pinGone ? 'tls-fingerprint-changed' : tls.kind, tls.code, fctx, certificates);
    }
    log.warn(`gaia ${x.route}: transport failure`, describe(err));
    return transportFailure(err, fctx);
  };

  /**
   * The body, whole, stopped past `cap`. Read from 'data' events and finished() — what a
   * for-await over the stream does underneath, with the same errors (the stream's own, or
   * a premature close) — without an async iterator and a promise per chunk.
   */
  const tooLargeFor = (cap: number) => () =>
    appError('body-too-large', `Gaia’s answer was larger than ${formatBytes(cap)} and was stopped.`, 'Narrow the request (for example, filter the datasets) and try again.', { host: ctx.hostLabel });
  const tooLargeBody = tooLargeFor(d.limits.maxBodyBytes);
  const wholeRules: WholeRules = {
    cap: d.limits.maxBodyBytes,
    tooLarge: tooLargeBody,
    notJson: (x, status, headers, text) => {
      log.warn(`gaia ${x.route}: answer is not JSON`, { status, contentType: headers['content-type'], start: text.slice(0, 200) });
      return unexpectedBody(status, headers, text, failureContextFor(ctx, x.failure), 'not-json');
    },
  };

  const readCapped = (body: Readable, cap: number, declared: number): Promise<Buffer> => {
    const tooLarge = tooLargeFor(cap);
    if (declared > cap) {
      body.destroy();
      return Promise.reject(tooLarge());
    }
    return new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let over = false;
      const onData = (chunk: Buffer) => {
        size += chunk.length;
        if (size > cap) {
          over = true;
          body.off('data', onData);
          body.destroy();
          reject(tooLarge());
          return;
        }
        chunks.push(chunk);
      };
      body.on('data', onData);
      finished(body, (err) => {
        body.off('data', onData);
        if (over) return;
        if (err) reject(err);
        // A page usually arrives in one chunk: used as it is, not copied into a new buffer.
        else resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
      });
    });
  };

  /** One attempt: a response with any status, or an AppError. */
  const attempt = async (x: Exchange, user: AbortSignal | undefined): Promise<OpenResponse> => {
    if (user?.aborted) throw aborted();
    // One stop for both the deadline and the caller's cancel; which fired is told apart
    // by the caller's own signal and `deadlinePassed`.
    const stop = new AttemptStop(user);
    stop.timer = setTimeout(passDeadline, x.deadlineMs, stop);
    // The caller's cancel reaches the request until its body is read or gone (release): a
    // streamed answer stops the deadline (done) long before it stops listening.
    if (user) user.addEventListener('abort', stop, { once: true });
    const started = Date.now();
    try {
      // The origin is fixed: whatever a path holds, the key only ever goes to the
      // profile's host. Redirects are not followed (no redirect interceptor).
      const res = await d.dispatcher.request({
        origin: ctx.origin,
        path: x.path,
        method: x.method,
        headers: headersFor(x),
        body: x.body === undefined ? null : JSON.stringify(x.body),
        signal: stop,
      });
      if (!x.quiet || res.statusCode < 200 || res.statusCode > 299) log.info(`gaia ${x.route} → ${res.statusCode} (${Date.now() - started} ms)`);
      return {
        status: res.statusCode,
        headers: res.headers as OpenResponse['headers'],
        body: res.body as unknown as Readable,
        fail: (err) => classify(err, x, stop),
        done: () => stop.done(),
        release: () => stop.release(),
      };
    } catch (err) {
      stop.done();
      stop.release();
      throw await classify(err, x, stop);
    }
  };

  /** A non-2xx becomes its AppError (reading a little of the body for the message). */
  const rejectStatus = async (x: Exchange, res: OpenResponse): Promise<never> => {
    let text = '';
    try {
      text = (await readCapped(res.body, 64 * 1024, 0)).toString('utf8');
    } catch (err) {
      // The status says what went wrong even if its body is cut short — unless the
      // caller cancelled or the deadline passed meanwhile, which they must hear about.
      const mapped = err instanceof AppError ? err : await res.fail(err);
      if (mapped.info.kind === 'aborted' || mapped.info.kind === 'timeout') throw mapped;
    } finally {
      res.done();
      res.release();
    }
    throw statusFailure(x, res.status, res.headers, text);
  };

  const statusFailure = (x: Exchange, status: number, headers: OpenResponse['headers'], text: string): AppError => {
    const error = httpFailure({ status, headers, text }, failureContextFor(ctx, x.failure));
    if (error.info.kind !== 'rate-limited') log.warn(`gaia ${x.route}: ${error.info.kind} (HTTP ${status})`);
    return error;
  };

  /** One attempt of a JSON exchange: the whole response, any status (WholeAttempt), or an AppError. */
  const attemptWhole = async (x: Exchange, user: AbortSignal | undefined): Promise<WholeResponse> => {
    if (user?.aborted) throw aborted();
    const started = Date.now();
    let attempt!: WholeAttempt;
    const answered = new Promise<WholeResponse>((resolve, reject) => {
      const logStatus = (status: number) => {
        if (!x.quiet || status < 200 || status > 299) log.info(`gaia ${x.route} → ${status} (${Date.now() - started} ms)`);
      };
      attempt = new WholeAttempt(x, user, wholeRules, logStatus, resolve, reject);
      try {
        // The origin is fixed: whatever a path holds, the key only ever goes to the
        // profile's host. Redirects are not followed (no redirect interceptor).
        d.dispatcher.dispatch(
          { origin: ctx.origin, path: x.path, method: x.method, headers: headersFor(x), body: x.body === undefined ? null : JSON.stringify(x.body) },
          attempt,
        );
      } catch (err) {
        attempt.refused(err);
      }
    });
    // Armed once undici has the request (dispatch writes it on the next turn on an idle
    // connection), unless it already answered or refused it.
    attempt.arm();
    try {
      return await answered;
    } catch (err) {
      throw await classify(err, x, attempt);
    }
  };

  const retrying = <T>(x: Exchange, o: CallOptions, fn: () => Promise<T>) =>
    withRetry(fn, d.retry, {
      idempotent: x.idempotent,
      signal: o.signal,
      onRetry: (info) => {
        log.info(`gaia ${x.route}: ${info.reason}; retry ${info.attempt} in ${info.waitMs} ms`);
        o.onRetry?.(info);
      },
    });

  // The caller reads the body (a stream, for as long as it lasts): the cancel is followed until the body closes.
  const open: Transport['open'] = (x, o = {}) =>
    retrying(x, o, async () => {
      const res = await attempt(x, o.signal);
      if (res.status < 200 || res.status > 299) return rejectStatus(x, res);
      if (o.signal) res.body.once('close', res.release);
      d.onAnswered?.();
      return res;
    });

  const json: Transport['json'] = (x, o = {}) =>
    retrying(x, o, async () => {
      // The status is checked here, not in a function of its own: one await fewer per page.
      const res = await attemptWhole(x, o.signal);
      if (res.status < 200 || res.status > 299) throw statusFailure(x, res.status, res.headers, res.text);
      d.onAnswered?.();
      return res.value;
    });

  return { json, open, close: () => d.dispatcher.close() };
}


function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: unknown }).code;
  const cause = (err as { cause?: unknown }).cause;
  return `${err.name}${code ? ` ${String(code)}` : ''}: ${err.message}${cause ? ` (cause: ${describe(cause)})` : ''}`;
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round(n / 1024 / 1024)} MB` : `${Math.round(n / 1024)} KB`;
}
