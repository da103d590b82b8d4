/**
 * What every endpoint file builds on: the connection's checked context and transport,
 * and the few shapes of exchange and of answer-checking they all share, so a GET or a
 * badly shaped answer is handled alike whichever endpoint it came from.
 */
import type { Log } from '../../platform/log';
import { AppError } from '../../errors';
import { failureContextFor, type ClientContext } from '../context';
import { unexpectedBody } from '../error-map';
import type { Exchange, Limits, Timeouts, Transport } from '../transport';

export interface EndpointKit {
  ctx: ClientContext;
  transport: Transport;
  log: Log;
  timeouts: Timeouts;
  limits: Limits;
  /** A read: safe to repeat, under the ordinary deadline. */
  get(path: string, route: string, failure?: Exchange['failure']): Exchange;
  /** A write by default (not repeated after a gateway error); `extra` overrides. */
  post(path: string, route: string, body: unknown, extra?: Partial<Exchange>): Exchange;
  /** An answer that parsed but is not what Gaia documents: logged, and told as 'shape'. */
  shapeError(route: string, detail: unknown): AppError;
  asObject(value: unknown, route: string): Record<string, unknown>;
  /** A list that may come bare or under one of a few keys. */
  listIn(value: unknown, keys: string[], route: string): unknown[];
}

export function createKit(base: Pick<EndpointKit, 'ctx' | 'transport' | 'log' | 'timeouts' | 'limits'>): EndpointKit {
  const { ctx, log, timeouts } = base;

  const shapeError = (route: string, detail: unknown): AppError => {
    log.warn(`gaia ${route}: answer not in the expected shape`, detail);
    return unexpectedBody(200, {}, '', failureContextFor(ctx), 'shape');
  };

  const asObject = (value: unknown, route: string): Record<string, unknown> => {
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    throw shapeError(route, { type: Array.isArray(value) ? 'array' : typeof value });
  };

  return {
    ...base,
    get: (path, route, failure) => ({ method: 'GET', path, route, idempotent: true, deadlineMs: timeouts.deadlineMs, failure }),
    post: (path, route, body, extra = {}) => ({ method: 'POST', path, route, body, idempotent: false, deadlineMs: timeouts.deadlineMs, ...extra }),
    shapeError,
    asObject,
    listIn(value, keys, route) {
      if (Array.isArray(value)) return value;
      const o = asObject(value, route);
      for (const key of keys) if (Array.isArray(o[key])) return o[key] as unknown[];
      if (keys.some((k) => o[k] === null)) return [];
      throw shapeError(route, { keys: Object.keys(o).slice(0, 20) });
    },
  };
}

/** A 404's words that are about the path, not about a thing Gaia looked up: "Not Found", "404 page not found", "No route for …", "Unknown endpoint". */
const ABOUT_THE_PATH = /^(?:404[\s:-]*)?(?:(?:page|resource|route|path|url|endpoint|method)\s+)?not\s+found\.?$|\b(?:route|path|url|uri|endpoint|handler)\b/i;

/**
 * Gaia has no such endpoint here (an older or smaller server): callers fall back or say so.
 * A 405, or a 404 saying no more than "Not Found" (Starlette's answer where no route
 * matches) or nothing readable at all. A 404 in Gaia's own words ("Dataset '…' not
 * found.", "Conversation '…' not found.") comes from the route and is about what was asked
 * for: falling back would ask again for the same missing thing, and "cannot" would be untrue.
 */
export const isMissingEndpoint = (err: unknown): err is AppError =>
  err instanceof AppError && (err.info.status === 405 || (err.info.status === 404 && (!err.info.serverMessage || ABOUT_THE_PATH.test(err.info.serverMessage))));
