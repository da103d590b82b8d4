/**
 * Gaia's and the network's failures, in the user's words. Every message is written
 * here from known parts (host, status, what was asked for); text from the server is
 * only ever quoted after redaction, clipped, and never when it is HTML.
 */
import type { AppErrorInfo, CertificateSummary, ErrorKind } from '../../../preload/contract';
import { AppError, appError } from '../errors';
import { parseRetryAfter } from './retry';
import { PIN_MISMATCH } from './trust';

export interface FailureContext {
  /** host[:port] of the profile's base URL. */
  host: string;
  /** e.g. 'the dataset "Café Ops"'; used in 404 messages. */
  what?: string;
  /** The call changes something (403 then means GAIA_MODIFY is missing). */
  write?: boolean;
  /**
   * Cohesity's reference names GAIA_VIEW for this call on one page and GAIA_MODIFY on
   * another (discovery, docs/gaia-api.md §Connection): a 403 then says so, and does not
   * tell a user whose key reads everything else that it lacks GAIA_VIEW.
   */
  privilegeInDoubt?: boolean;
  /** Overrides the 404 message, e.g. for the first call, where 404 means a wrong base URL. */
  notFound?: { message: string; action: string };
  /** Set when a proxy carries the traffic, for messages (never holds credentials). */
  proxyLabel?: string | null;
  redact: (text: string) => string;
  now?: number;
}

/** What one call adds to a failure's context (client.ts sets it per call). */
export type CallFailure = Pick<FailureContext, 'what' | 'write' | 'privilegeInDoubt' | 'notFound'>;

export interface HttpFailure {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

const MAX_QUOTE = 300;

function header(headers: HttpFailure['headers'], name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

export function looksLikeHtml(contentType: string | undefined, text: string): boolean {
  if (contentType && /\bhtml\b/i.test(contentType)) return true;
  return /^\s*(<!doctype html|<html[\s>]|<head[\s>]|<body[\s>])/i.test(text.slice(0, 512));
}

function htmlTitle(text: string): string | null {
  const m = /<title[^>]*>([^<]{1,200})<\/title>/i.exec(text);
  if (!m) return null;
  const title = m[1].replace(/&amp;/g, '&').replace(/&[a-z#0-9]+;/gi, ' ').replace(/\s+/g, ' ').trim();
  return title || null;
}

function quote(text: string, ctx: FailureContext): string {
  // eslint-disable-next-line no-control-regex
  const clean = ctx.redact(text).replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return clean.length > MAX_QUOTE ? `${clean.slice(0, MAX_QUOTE)}…` : clean;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Gaia's error bodies vary: read `message`, then `errorMessage`, then `errorCode` (docs/gaia-api.md §Errors). */
export function serverMessage(body: unknown): string | null {
  if (!body || typeof body !== 'object') return null;
  const b = body as Record<string, unknown>;
  for (const key of ['message', 'errorMessage', 'errorCode']) {
    const v = b[key];
    if (typeof v === 'string' && v.trim()) return v.trim();
  }
  if (typeof b.detail === 'string' && b.detail.trim()) return b.detail.trim();
  return null;
}

/** The gateway's "KStatusUnauthorized" and kin only restate the HTTP status. */
const isBareCode = (said: string) => /^kStatus[A-Za-z0-9_]*$/i.test(said);

/** [C] a 403 whose message names the tenant header or context is about that, not about roles. */
const NEEDS_SECURITY_CONTEXT = /x-gaia-security-ctx|security[\s_-]*context|tenant[\s_-]*context/i;

/** FastAPI's `{ detail: [ { loc, msg, type } ] }` as field problems. */
export function fieldProblems(body: unknown, ctx: FailureContext): NonNullable<AppErrorInfo['fields']> {
  const detail = (body as { detail?: unknown } | null)?.detail;
  if (!Array.isArray(detail)) return [];
  return detail.slice(0, 50).flatMap((d) => {
    if (!d || typeof d !== 'object') return [];
    const { loc, msg } = d as { loc?: unknown; msg?: unknown };
    const path = Array.isArray(loc) ? loc.map(String).filter((p, i) => !(i === 0 && ['body', 'query', 'path', 'header'].includes(p))) : [];
    return [{ field: quote(path.join('.') || '(request)', ctx), message: quote(typeof msg === 'string' ? msg : 'is not valid', ctx) }];
  });
}

const withQuote = (base: string, said: string | null) => (said ? `${base} Gaia said: “${said}”` : base);

/** A non-2xx answer (or a 2xx that is not Gaia's), as an AppError. */
export function httpFailure(res: HttpFailure, ctx: FailureContext): AppError {
  const { status, headers, text } = res;
  const host = ctx.host;
  const contentType = header(headers, 'content-type');
  const html = looksLikeHtml(contentType, text);
  const extra = { status, host };

  if (status === 429) {
    const retryAfterMs = parseRetryAfter(header(headers, 'retry-after'), ctx.now ?? Date.now());
    return appError(
      'rate-limited',
      'Gaia is receiving too many requests from this key right now (rate limited).',
      retryAfterMs !== undefined ? `Wait ${Math.max(1, Math.ceil(retryAfterMs / 1000))} s, then try again.` : 'Wait a minute, then try again.',
      { ...extra, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) },
    );
  }
  if (status === 407) {
    return appError(
      'proxy',
      `The proxy${ctx.proxyLabel ? ` ${ctx.proxyLabel}` : ''} asks for a user name and password (407).`,
      'Add the proxy credentials to the proxy address (http://user:password@host:port), or ask your network team.',
      extra,
    );
  }
  if (html) {
    const title = htmlTitle(text);
    return appError(
      'html-response',
      `A proxy or sign-in page answered instead of Gaia (HTTP ${status}${title ? `, page titled “${quote(title, ctx)}”` : ''}).`,
      'Check the base URL (it usually ends in /v2/mcm/gaia). If your network needs a VPN, a proxy or a browser sign-in, complete that first.',
      extra,
    );
  }
  const body = parseJson(text);
  const said = body === undefined ? null : serverMessage(body);
  const saidQuoted = said && !isBareCode(said) ? quote(said, ctx) : null;
  // Beside our explanation, for whoever shows errors (the page, the CLI, the MCP tools).
  if (saidQuoted) Object.assign(extra, { serverMessage: saidQuoted });

  if (status >= 300 && status < 400) {
    const location = header(headers, 'location');
    let where = '';
    try {
      if (location) where = ` to ${new URL(location, `https://${host}`).host}`;
    } catch {
      // an unreadable Location only loses the hint
    }
    return appError(
      'unexpected-response',
      `Gaia answered with a redirect${where} (HTTP ${status}). Redirects are not followed, so the key is only ever sent to ${host}.`,
      'Check the base URL: use the address the redirect points to if you trust it (it usually ends in /v2/mcm/gaia).',
      extra,
    );
  }
  switch (status) {
    case 400:
    case 422: {
      const fields = fieldProblems(body, ctx);
      return appError(
        'validation-failed',
        withQuote('Gaia refused the request because some values are not valid.', fields.length ? null : saidQuoted),
        'Correct the values and try again.',
        { ...extra, ...(fields.length ? { fields } : {}) },
      );
    }
    case 401:
      return appError(
        'unauthorized',
        withQuote('Gaia did not accept the API key (401). It may be mistyped, expired or revoked.', saidQuoted),
        'Check the key in Helios (Settings → Access Management → API Keys) or paste a new one. If the key is right, a proxy may be removing the apiKey header.',
        extra,
      );
    case 403:
      if (said && NEEDS_SECURITY_CONTEXT.test(said)) {
        return appError(
          'forbidden',
          withQuote('The API key works, but Gaia wants a tenant security context with this request (403).', saidQuoted),
          'Edit this connection and fill in its Security context field (sent as X-GAIA-SECURITY-CTX) with the token of your tenant, or check the one there; your administrator has it.',
          extra,
        );
      }
      if (ctx.privilegeInDoubt && !ctx.write) {
        return appError(
          'forbidden',
          withQuote('The API key works, but Gaia refused this request (403). Cohesity documents it as needing GAIA_VIEW in one place and GAIA_MODIFY in another, so this Gaia may want GAIA_MODIFY.', saidQuoted),
          'Try a key with write permission, or ask your administrator to add GAIA_MODIFY to the key’s role.',
          extra,
        );
      }
      return appError(
        'forbidden',
        withQuote(
          ctx.write
            ? 'The API key works, but it may not make changes (403): its role needs GAIA_MODIFY, and read-only keys cannot change anything.'
            : "The API key works, but its role does not include access to Gaia (403): it needs GAIA_VIEW.",
          saidQuoted,
        ),
        ctx.write
          ? 'Use a key with write permission, or ask your administrator to add GAIA_MODIFY to its role.'
          : "Ask your administrator to add Gaia access (GAIA_VIEW) to the key’s role.",
        extra,
      );
    case 404:
      if (ctx.notFound) return appError('not-found', ctx.notFound.message, ctx.notFound.action, extra);
      return appError(
        'not-found',
        withQuote(`${ctx.what ? capitalize(ctx.what) : 'What was asked for'} was not found on Gaia.`, saidQuoted),
        'Refresh the list and try again; it may have been renamed or removed.',
        extra,
      );
    case 405:
    case 501:
      return appError('unsupported', 'This Gaia server does not offer this operation.', 'It may need a newer Gaia version; ask your administrator.', extra);
  }
  if (status >= 500) {
    const gateway = status === 502 || status === 504;
    return appError(
      'server-error',
      withQuote(
        gateway
          ? `A gateway in front of Gaia could not get an answer from it (HTTP ${status}).`
          : `Gaia had a problem answering (HTTP ${status}).`,
        saidQuoted,
      ),
      'Try again in a few minutes. If it keeps happening, contact your Gaia administrator.',
      extra,
    );
  }
  return appError(
    'unexpected-response',
    withQuote(`Gaia answered with an unexpected status (HTTP ${status}).`, saidQuoted),
    'Check the base URL, then try again.',
    extra,
  );
}

/** A 2xx whose body is not what Gaia sends; the details go to the log, not the user. */
export function unexpectedBody(status: number, headers: HttpFailure['headers'], text: string, ctx: FailureContext, why: 'not-json' | 'shape'): AppError {
  if (looksLikeHtml(header(headers, 'content-type'), text)) return httpFailure({ status, headers, text }, ctx);
  return appError(
    'unexpected-response',
    why === 'not-json' ? `The answer from ${ctx.host} could not be read: it was not JSON.` : `The answer from ${ctx.host} was not in the form Gaia uses.`,
    'Check the base URL points at Gaia (it usually ends in /v2/mcm/gaia). If it does, try again later or copy diagnostics for your administrator.',
    { status, host: ctx.host },
  );
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// ---------------------------------------------------------------------------
// Transport failures

/** Every error code in an error, its causes, and (for AggregateError) its parts. */
export function errorCodes(err: unknown): string[] {
  const out: string[] = [];
  const seen = new Set<unknown>();
  const visit = (e: unknown, depth: number) => {
    if (!e || typeof e !== 'object' || seen.has(e) || depth > 6) return;
    seen.add(e);
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') out.push(code);
    visit((e as { cause?: unknown }).cause, depth + 1);
    const errors = (e as { errors?: unknown }).errors;
    if (Array.isArray(errors)) errors.forEach((x) => visit(x, depth + 1));
  };
  visit(err, 0);
  return out;
}

const TLS_KINDS: Record<string, ErrorKind> = {
  UNABLE_TO_GET_ISSUER_CERT: 'tls-unknown-ca',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'tls-unknown-ca',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'tls-unknown-ca',
  // The server sent its own root along; the root is simply not one we trust.
  SELF_SIGNED_CERT_IN_CHAIN: 'tls-unknown-ca',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'tls-self-signed',
  ERR_TLS_CERT_ALTNAME_INVALID: 'tls-hostname-mismatch',
  HOSTNAME_MISMATCH: 'tls-hostname-mismatch',
  CERT_HAS_EXPIRED: 'tls-expired',
  CERT_NOT_YET_VALID: 'tls-expired',
  [PIN_MISMATCH]: 'tls-fingerprint-changed',
};

/** The TLS failure kind in an error, if it is one. */
export function tlsFailureKind(err: unknown): { kind: ErrorKind; code: string } | null {
  for (const code of errorCodes(err)) {
    if (TLS_KINDS[code]) return { kind: TLS_KINDS[code], code };
    if (/^(ERR_TLS_|ERR_SSL_|CERT_|ERR_OSSL_)/.test(code) || /_CERT(_|$)/.test(code)) return { kind: 'tls-other', code };
  }
  return null;
}

export function tlsFailure(kind: ErrorKind, code: string, ctx: FailureContext, certificates: CertificateSummary[]): AppError {
  const host = ctx.host;
  const extra = { host, ...(certificates.length ? { certificates } : {}) };
  switch (kind) {
    case 'tls-unknown-ca':
      return appError(
        'tls-unknown-ca',
        `The certificate of ${host} was issued by an authority this computer does not trust.`,
        "If this is your organisation’s cluster, add its CA certificate to this connection — or check the certificate’s fingerprint with your administrator before you trust it.",
        extra,
      );
    case 'tls-self-signed':
      return appError(
        'tls-self-signed',
        `${host} presented a self-signed certificate: no certificate authority vouches for it.`,
        "Check the certificate’s fingerprint with your administrator before you trust it, or add the cluster’s CA certificate.",
        extra,
      );
    case 'tls-hostname-mismatch':
      return appError(
        'tls-hostname-mismatch',
        `The certificate presented by ${host} was issued for a different name, so it cannot prove this is the right server.`,
        "Use the name the certificate was issued for in the base URL (often the cluster’s full DNS name rather than its IP address), or ask your administrator.",
        extra,
      );
    case 'tls-expired':
      return appError(
        'tls-expired',
        code === 'CERT_NOT_YET_VALID'
          ? `The certificate of ${host} is not valid yet.`
          : `The certificate of ${host} has expired.`,
        code === 'CERT_NOT_YET_VALID'
          ? "Check this computer’s date and time; if they are right, ask your administrator to check the certificate."
          : "Ask the cluster’s administrator to renew its certificate. Check this computer’s date and time too.",
        extra,
      );
    case 'tls-fingerprint-changed':
      return appError(
        'tls-fingerprint-changed',
        `Warning: the certificate of ${host} is not the one you trusted. Certificates change when they are renewed — but this is also what an attacker intercepting the connection would look like.`,
        'Do not continue unless your administrator confirms the new certificate. Compare its fingerprint with theirs, then trust it again.',
        extra,
      );
    default:
      return appError(
        'tls-other',
        `A secure connection to ${host} could not be set up (${code}).`,
        'Check the base URL and the connection’s certificate settings. If it keeps happening, copy diagnostics for your administrator.',
        extra,
      );
  }
}

const PROXY_TUNNEL = /Proxy response \((\d{3})\)/;

/**
 * A failure below HTTP (DNS, TCP, proxy, timeouts), except TLS verification, which
 * needs the presented chain (see transport.ts).
 */
export function transportFailure(err: unknown, ctx: FailureContext): AppError {
  const codes = errorCodes(err);
  const has = (...c: string[]) => codes.some((x) => c.includes(x));
  const host = ctx.host;
  const extra = { host };
  const proxy = ctx.proxyLabel;

  const tunnel = PROXY_TUNNEL.exec(messages(err));
  if (proxy && tunnel) {
    const status = Number(tunnel[1]);
    if (status === 407) return httpFailure({ status, headers: {}, text: '' }, ctx);
    return appError(
      'proxy',
      status === 403
        ? `The proxy ${proxy} does not allow connections to ${host} (it answered 403).`
        : `The proxy ${proxy} could not connect to ${host} (it answered ${status}).`,
      'Check the base URL. If it is right, ask your network team whether the proxy allows this host.',
      { ...extra, status },
    );
  }
  if (proxy && (has('ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_PRX_CONN'))) {
    return appError(
      'proxy',
      has('UND_ERR_PRX_CONN')
        ? `The proxy ${proxy} closed the connection before it reached ${host}.`
        : `The proxy ${proxy} could not be reached.`,
      'Check the proxy address in this connection, or the HTTPS_PROXY / NO_PROXY settings of this computer.',
      extra,
    );
  }
  if (has('ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL')) {
    return appError(
      'dns',
      `The server name “${hostname(host)}” could not be found.`,
      'Check the base URL for typos, and check that this computer is on the right network (or VPN).',
      extra,
    );
  }
  if (has('ECONNREFUSED')) {
    return appError(
      'connection-refused',
      `Nothing is accepting connections at ${host} (connection refused).`,
      'Check the base URL, including the port. If it is right, the Gaia service may be down.',
      extra,
    );
  }
  if (has('UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT')) {
    return appError('timeout', `${host} did not answer the connection in time.`, 'Check the base URL and your network connection (a VPN may be needed), then try again.', extra);
  }
  if (has('UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT')) {
    return appError('timeout', `Gaia at ${host} took too long to answer.`, 'Try again. If it keeps happening, Gaia may be overloaded; try again later.', extra);
  }
  if (has('UND_ERR_RES_EXCEEDED_MAX_SIZE')) {
    return appError('body-too-large', 'Gaia’s answer was too large to handle and was stopped.', 'Narrow the request (for example, filter the datasets) and try again.', extra);
  }
  if (has('ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ECONNABORTED', 'UND_ERR_CLOSED')) {
    return appError(
      'connection-reset',
      `The connection to ${host} was cut off before Gaia finished answering.`,
      'Try again. If it keeps happening, a firewall or proxy may be interrupting the connection.',
      extra,
    );
  }
  if (has('EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN')) {
    return appError('network', `${host} cannot be reached from this network.`, 'Check your network connection (a VPN may be needed).', extra);
  }
  return appError(
    'network',
    `The connection to ${host} failed${codes[0] ? ` (${codes[0]})` : ''}.`,
    'Check your network connection and the base URL, then try again.',
    extra,
  );
}

function messages(err: unknown): string {
  const parts: string[] = [];
  for (let e = err as { message?: unknown; cause?: unknown } | undefined, i = 0; e && i < 6; e = e.cause as typeof e, i++) {
    if (typeof e.message === 'string') parts.push(e.message);
  }
  return parts.join(' | ');
}

function hostname(hostPort: string): string {
  return hostPort.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
}
