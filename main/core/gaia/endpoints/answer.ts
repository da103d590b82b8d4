/**
 * One answer from Gaia, whichever way it comes: whole JSON, a server-sent stream, or the
 * whole JSON sent where a stream was asked for. A streamed call falls back to its
 * non-streamed twin where the server has no stream; either way the caller sees events.
 */
import { appError, AppError } from '../../errors';
import type { ClientDeps, StreamCallOptions } from '../client';
import { failureContextFor } from '../context';
import { followUpsOf, toDocuments } from '../convert';
import { looksLikeHtml, unexpectedBody } from '../error-map';
import type { RetryInfo } from '../retry';
import { readAnswerStream, type AskResult } from '../stream';
import { gaiaPath } from '../urls';
import { WireAnswer } from '../wire';
import { isMissingEndpoint, type EndpointKit } from './kit';

export interface AnswerReader {
  /** Checks a whole JSON answer and converts it. */
  toAnswer(value: unknown, route: string): AskResult;
  /** POSTs `body` to `streamPath` as a stream, or to `fallbackPath` where there is none. */
  streamed(streamPath: string, fallbackPath: string, label: string, body: unknown, o: StreamCallOptions): Promise<AskResult>;
}

export function answerReader(kit: EndpointKit, deps: Pick<ClientDeps, 'trailingGraceMs' | 'streamQuietMs'>): AnswerReader {
  const { ctx, transport, log, timeouts, limits, post, asObject, shapeError } = kit;

  const toAnswer = (value: unknown, route: string): AskResult => {
    const parsed = WireAnswer.safeParse(asObject(value, route));
    if (!parsed.success || typeof parsed.data.responseString !== 'string') throw shapeError(route, parsed.success ? 'no responseString' : parsed.error.issues.slice(0, 5));
    const w = parsed.data;
    return {
      responseString: w.responseString ?? '',
      queryUid: w.queryUid ?? null,
      conversationId: w.conversationId ?? null,
      documents: toDocuments(w.documents),
      followUps: followUpsOf(w),
    };
  };

  /** A whole answer told as the events a stream would have sent. */
  const asEvents = (whole: AskResult, o: StreamCallOptions): AskResult => {
    if (whole.responseString) o.onEvent({ type: 'delta', text: whole.responseString });
    if (whole.followUps.length) o.onEvent({ type: 'followUps', questions: whole.followUps });
    return whole;
  };

  const streamed: AnswerReader['streamed'] = async (streamPath, fallbackPath, label, body, o) => {
    const onRetry = (info: RetryInfo) => {
      o.onRetry?.(info);
      o.onEvent({ type: 'retrying', ...info });
    };
    const x = post(gaiaPath(ctx, streamPath), `POST /${streamPath}`, body, { accept: 'text/event-stream', deadlineMs: timeouts.streamDeadlineMs });
    let res;
    try {
      res = await transport.open(x, { signal: o.signal, onRetry });
    } catch (err) {
      if (!isMissingEndpoint(err)) throw err;
      log.info(`gaia ${label}: no streaming endpoint here (HTTP ${err.info.status}); asking without streaming`);
      const whole = toAnswer(
        await transport.json(post(gaiaPath(ctx, fallbackPath), `POST /${fallbackPath}`, body, { deadlineMs: timeouts.askDeadlineMs }), { signal: o.signal, onRetry }),
        `POST /${fallbackPath}`,
      );
      return asEvents(whole, o);
    }
    const contentType = String(res.headers['content-type'] ?? '');
    if (!/event-stream/i.test(contentType)) {
      // Some servers answer a stream request with the whole JSON answer: accept it.
      try {
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const c of res.body) {
          size += (c as Buffer).length;
          if (size > limits.maxBodyBytes) throw appError('body-too-large', 'Gaia’s answer was too large to handle and was stopped.', 'Ask a narrower question.');
          chunks.push(c as Buffer);
        }
        const text = Buffer.concat(chunks).toString('utf8');
        if (looksLikeHtml(contentType, text)) throw unexpectedBody(res.status, res.headers, text, failureContextFor(ctx), 'not-json');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          throw unexpectedBody(res.status, res.headers, text, failureContextFor(ctx), 'not-json');
        }
        return asEvents(toAnswer(json, x.route), o);
      } catch (err) {
        throw err instanceof AppError ? err : await res.fail(err);
      } finally {
        res.body.destroy();
        res.done();
      }
    }
    // From here the quiet watchdog, not the overall deadline, decides: a stream that keeps
    // sending (keep-alives included) is never cut off (docs/gaia-api.md §Streaming).
    res.done();
    try {
      return await readAnswerStream(res.body, {
        onEvent: o.onEvent,
        maxBytes: limits.maxStreamBytes,
        trailingGraceMs: deps.trailingGraceMs ?? 2_000,
        quietMs: deps.streamQuietMs ?? timeouts.bodyIdleMs,
        fail: res.fail,
        // Gaia's end marker is undocumented: a clean close is an end, worth a note only.
        onIncompleteEnd: () => log.info(`gaia ${label}: the stream closed without an end marker; the answer is as sent`),
      });
    } finally {
      res.done();
    }
  };

  return { toAnswer, streamed };
}
