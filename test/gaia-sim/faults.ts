/**
 * Switches a test flips at runtime to make the simulator misbehave. Counted faults
 * apply to the next `count` matching requests (every matching request when no count
 * is given) and can be limited to paths containing `path`.
 */

export interface Counted {
  count?: number;
  /** Only requests whose path contains this. */
  path?: string;
}

export interface FaultSettings {
  /** Delay before every answer. */
  latencyMs?: number;
  /** 429 with Retry-After (seconds as a number, or any string, e.g. an HTTP-date). */
  rateLimit?: Counted & { retryAfter?: number | string };
  /** 5xx with a JSON error body. */
  serverError?: Counted & { status?: number };
  /** An HTML page (a proxy's or a sign-in page) instead of JSON. */
  htmlPage?: Counted & { status?: number };
  /** 200 with a body that is not JSON. */
  invalidJson?: Counted;
  /** This JSON (and status, 200 by default) instead of the real answer: odd shapes, odd errors. */
  bodyOverride?: Counted & { body: unknown; status?: number };
  /** 200 whose body never ends (until the client hangs up). */
  runawayBody?: Counted;
  /** Never answers (until the client gives up). */
  hang?: Counted;
  /** Destroys the connection before answering. */
  reset?: Counted;
  /** These paths answer 404 (or `missingStatus`), as on a server without them. */
  missingEndpoints?: string[];
  missingStatus?: 404 | 405;
  /** Streams: break the connection after this many `data` chunks. */
  streamDropAfter?: number;
  /** Streams: send an `error` event after this many `data` chunks. */
  streamError?: { afterChunks: number; message?: string };
  /** Streams: pause between events. */
  streamDelayMs?: number;
  /**
   * Streams at a human pace (the demo): the answer word by word, `msPerWord` apart, after
   * a pause of ten words for "searching", as a real model takes its time.
   */
  streamPace?: { msPerWord: number };
  /** Streams: successive responseStrings as deltas (default, as every public source describes) or as the whole text so far. */
  streamMode?: 'cumulative' | 'delta';
  /** Streams: put the answer's queryUid (and conversationId) on every `data` piece, not only the last. */
  streamUidOnEveryPiece?: boolean;
  /** Streams: after this many `data` pieces, say nothing for `ms` (with `keepAliveMs`, only keep-alive comments). */
  streamPause?: { afterChunks: number; ms: number; keepAliveMs?: number };
  /** Streams: send exactly these `responseString` pieces (as deltas) instead of the composed answer. */
  streamPieces?: string[];
  /** Streams: no end marker on the last event (no status); only the server's close ends the answer. */
  streamNoEndMarker?: boolean;
  /**
   * Route as Starlette (and Go's muxes) do: decode the path, then split it, so a dataset
   * name with "/" (sent as %2F) is two segments and `/dataset/{name}/details` has no route
   * for it — a 404 `{"detail":"Not Found"}`. Off by default: the suites address such names.
   */
  decodedPathRouting?: boolean;
  /** Every Gaia call without X-GAIA-SECURITY-CTX is refused with a 403 naming the tenant context. */
  requireSecurityContext?: boolean;
  /**
   * Discovery (the topic list) wants a write key, as getdatasetdiscoveryresults-1 says
   * (GAIA_MODIFY; the unversioned page of the same call says GAIA_VIEW).
   */
  discoveryNeedsModify?: boolean;
  /** Dataset lists: a running indexing run says `health: kHealthy`. */
  runningLooksHealthy?: boolean;
  /** Streams: write the bytes in slices of this size (splits lines and UTF-8 characters). */
  streamSliceBytes?: number;
  /**
   * Streams: the shape of the events. 'gaia' (default): `progress`, `data`, `follow_up`
   * events whose JSON holds the fields under `data` (community code [I]). 'tutorial': the
   * one a Gaia tutorial shows [I] — every event `event: message` with the fields at the top
   * level, the last one carrying `queryUid`, `conversationId`, `documents` and a
   * `finishReason`, no progress, follow-up or status.
   */
  streamShape?: 'gaia' | 'tutorial';
  /** Streams: CRLF line endings instead of LF. */
  streamCrlf?: boolean;
  /**
   * Streams, for `npm run bench`: `steps` more progress events before the answer; `stamp`
   * ends every progress step with ` @<ms>`, the simulator's clock (performance.timeOrigin +
   * performance.now()) as it writes the event; `answerChars` of corpus text instead of the
   * answer, in `data` events of `chunkChars` (use streamMode 'delta' for long ones).
   */
  streamBench?: { steps?: number; stamp?: boolean; answerChars?: number; chunkChars?: number };
}

type CountedKey = 'rateLimit' | 'serverError' | 'htmlPage' | 'invalidJson' | 'bodyOverride' | 'runawayBody' | 'hang' | 'reset';

export class Faults {
  private settings: FaultSettings = {};
  private used = new Map<CountedKey, number>();

  constructor(initial: FaultSettings = {}) {
    this.set(initial);
  }

  set(patch: FaultSettings): void {
    for (const key of Object.keys(patch) as Array<keyof FaultSettings>) this.used.delete(key as CountedKey);
    this.settings = { ...this.settings, ...patch };
  }

  clear(): void {
    this.settings = {};
    this.used.clear();
  }

  get current(): Readonly<FaultSettings> {
    return this.settings;
  }

  /** The fault to apply to this request, consuming one of its count. */
  take<K extends CountedKey>(key: K, path: string): NonNullable<FaultSettings[K]> | null {
    const fault = this.settings[key] as (Counted & NonNullable<FaultSettings[K]>) | undefined;
    if (!fault) return null;
    if (fault.path && !path.includes(fault.path)) return null;
    const used = this.used.get(key) ?? 0;
    if (fault.count !== undefined && used >= fault.count) return null;
    this.used.set(key, used + 1);
    return fault;
  }
}
