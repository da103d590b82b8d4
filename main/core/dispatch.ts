/**
 * The gate every call passes, over IPC and over the preview's loopback transport alike:
 * known channel, valid request, handler, valid response, envelope. Nothing invalid
 * reaches a handler, nothing unchecked leaves it, and no error escapes as a crash.
 * (The caller — ipc.ts or preview.ts — has already checked who is calling.)
 */
import type { z } from 'zod';
import {
  channels,
  events,
  isChannel,
  type Channel,
  type Envelope,
  type EventChannel,
  type EventPayload,
  type ResponseIn,
  type ValidRequest,
} from '../../preload/contract';
import { toErrorInfo } from './errors';
import { compileCheck, compileUnchanged, type Check } from './validate/compiled-check';

/** False when the payload failed its contract check and was dropped (a sender that must not go on without it can tell). */
export type Emit = <E extends EventChannel>(channel: E, payload: EventPayload<E>) => boolean | void;

export interface HandlerContext {
  emit: Emit;
}

export type Handler<C extends Channel> = (request: ValidRequest<C>, ctx: HandlerContext) => Promise<ResponseIn<C>>;
export type HandlerTable = { [C in Channel]: Handler<C> };
/** A slice of the table, as each feature area provides it. */
export type Handlers<C extends Channel> = { [K in C]: Handler<K> };

export type Dispatch = (channel: unknown, request: unknown) => Promise<Envelope<unknown>>;

export interface DispatchLog {
  warn(message: string, detail?: unknown): void;
  error(message: string, detail?: unknown): void;
}

const MAX_FIELDS = 20;

function fieldsOf(error: z.ZodError) {
  return error.issues.slice(0, MAX_FIELDS).map((issue) => ({
    field: issue.path.map(String).join('.').slice(0, 200) || '(request)',
    // zod's messages describe types and limits, never the rejected value.
    message: issue.message.slice(0, 500),
  }));
}

/**
 * A channel's request or response checked the way its schema says: the value itself when
 * zod would accept it and hand it back unchanged (compileUnchanged: the same answer,
 * without zod building a copy of every object on every call), else zod's parse — its
 * copy, or its issues. A request must also be plain data (no getter, proxy or odd array:
 * see compileUnchanged), since it reaches a handler. Compiled on a channel's first call.
 * So an answer may be the handler's own objects (a list the lister keeps, say): the window gets a copy anyway
 * (IPC and the preview serialise it), and callers in this process only read it.
 */
type Gate = (value: unknown) => z.ZodSafeParseResult<unknown>;

function gateOf(schema: z.ZodType, dataOnly: boolean): Gate {
  const unchanged = compileUnchanged(schema, { dataOnly });
  if (!unchanged) return (value) => schema.safeParse(value);
  return (value) => (unchanged(value) ? { success: true, data: value } : schema.safeParse(value));
}

export function createDispatch(table: HandlerTable, emit: Emit, log: DispatchLog): Dispatch {
  const ctx: HandlerContext = { emit };
  const gates = new Map<Channel, { request: Gate; response: Gate }>();
  const gatesOf = (channel: Channel) => {
    let g = gates.get(channel);
    if (!g) {
      g = { request: gateOf(channels[channel].request, true), response: gateOf(channels[channel].response, false) };
      gates.set(channel, g);
    }
    return g;
  };
  return async (channel, request) => {
    if (!isChannel(channel)) {
      log.warn('refused a call to an unknown channel');
      return {
        ok: false,
        error: { kind: 'unknown-channel', message: 'The app asked for something it does not offer.', action: 'Reload the window.' },
      };
    }
    const gate = gatesOf(channel);
    const parsed = gate.request(request);
    if (!parsed.success) {
      log.warn(`refused an invalid request on ${channel}`, fieldsOf(parsed.error));
      return {
        ok: false,
        error: {
          kind: 'invalid-request',
          message: 'The request was not in the expected form.',
          action: 'Check the highlighted fields and try again.',
          fields: fieldsOf(parsed.error),
        },
      };
    }
    let result: unknown;
    try {
      const handler = table[channel] as (req: unknown, c: HandlerContext) => Promise<unknown>;
      result = await handler(parsed.data, ctx);
    } catch (err) {
      const info = toErrorInfo(err);
      if (info.kind === 'internal') log.error(`handler for ${channel} failed`, err);
      return { ok: false, error: info };
    }
    const checked = gate.response(result);
    if (!checked.success) {
      log.error(`handler for ${channel} answered outside its schema`, fieldsOf(checked.error));
      return {
        ok: false,
        error: {
          kind: 'invalid-response',
          message: 'Gaia Desktop produced an answer it could not check.',
          action: 'Try again. If it keeps happening, copy diagnostics from Settings and report it.',
        },
      };
    }
    return { ok: true, value: checked.data };
  };
}

const eventChecks = new Map<EventChannel, Check>();

/** Checks an event's payload against the contract before it is sent anywhere (compiled-check.ts: zod's answer, without zod's copy). */
export function checkEvent(channel: EventChannel, payload: unknown): boolean {
  let check = eventChecks.get(channel);
  if (!check) {
    check = compileCheck(events[channel]);
    eventChecks.set(channel, check);
  }
  return check(payload);
}

export type { ResponseIn, ValidRequest };
