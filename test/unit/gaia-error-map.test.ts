import { describe, expect, it } from 'vitest';
import { errorCodes, fieldProblems, httpFailure, looksLikeHtml, serverMessage, tlsFailureKind, transportFailure, type FailureContext } from '../../main/core/gaia/error-map';

const ctx: FailureContext = { host: 'gaia.example.com', redact: (t) => t.replaceAll('SECRET-KEY-123', '[redacted]'), now: Date.parse('2025-01-01T00:00:00Z') };
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  httpFailure({ status, headers: { 'content-type': 'application/json', ...headers }, text: JSON.stringify(body) }, ctx).info;

describe('HTTP failures', () => {
  it('reads message, then errorMessage, then errorCode', () => {
    expect(serverMessage({ message: 'm', errorMessage: 'e', errorCode: 'c' })).toBe('m');
    expect(serverMessage({ errorMessage: 'e', errorCode: 'c' })).toBe('e');
    expect(serverMessage({ errorCode: 'KStatusUnauthorized' })).toBe('KStatusUnauthorized');
    expect(serverMessage({ message: '  ' , errorCode: 'c' })).toBe('c');
    expect(serverMessage('text')).toBeNull();
  });

  it('maps each status to its kind', () => {
    expect(json(401, { errorCode: 'KStatusUnauthorized' }).kind).toBe('unauthorized');
    expect(json(403, {}).kind).toBe('forbidden');
    expect(httpFailure({ status: 403, headers: {}, text: '' }, { ...ctx, write: true }).info.message).toMatch(/GAIA_MODIFY/);
    expect(json(403, {}).message).toMatch(/GAIA_VIEW/);
    expect(json(404, {}).kind).toBe('not-found');
    expect(json(405, {}).kind).toBe('unsupported');
    expect(json(422, { detail: [] }).kind).toBe('validation-failed');
    expect(json(429, {}).kind).toBe('rate-limited');
    expect(json(500, {}).kind).toBe('server-error');
    expect(json(502, {}).message).toMatch(/gateway/);
    expect(json(418, {}).kind).toBe('unexpected-response');
    expect(json(407, {}).kind).toBe('proxy');
  });

  it("shows what Gaia said on a 4xx beside our explanation, and keeps it apart in serverMessage", () => {
    const denied = json(403, { errorCode: 'KStatusForbidden', message: 'User lacks privilege GAIA_VIEW on region us-east-1.' });
    expect(denied.message).toMatch(/GAIA_VIEW/);
    expect(denied.message).toContain('Gaia said: “User lacks privilege GAIA_VIEW on region us-east-1.”');
    expect(denied.serverMessage).toBe('User lacks privilege GAIA_VIEW on region us-east-1.');
    const unauthorized = json(401, { errorCode: 'KStatusUnauthorized', message: 'Authentication failed: Unauthorized access.' });
    expect(unauthorized.message).toContain('Authentication failed: Unauthorized access.');
    // A bare status code restates the status: nothing to quote.
    expect(json(401, { errorCode: 'KStatusUnauthorized' })).not.toHaveProperty('serverMessage');
    expect(json(401, { errorCode: 'KStatusUnauthorized' }).message).not.toContain('Gaia said');
    const long = json(400, { message: `bad SECRET-KEY-123 ${'y'.repeat(2000)}` });
    expect(long.serverMessage!.length).toBeLessThanOrEqual(301);
    expect(long.serverMessage).toContain('[redacted]');
    expect(JSON.stringify(long)).not.toContain('SECRET-KEY-123');
  });

  it('points a 403 that asks for a tenant security context to the Security context field, not to roles', () => {
    for (const message of ['Missing X-GAIA-SECURITY-CTX header.', 'A security context is required for multi-tenant clusters', 'invalid tenant context']) {
      const info = json(403, { message });
      expect(info.kind).toBe('forbidden');
      expect(info.action).toMatch(/Security context field/);
      expect(info.action).not.toMatch(/role/);
      expect(info.message).toContain(message);
    }
    expect(json(403, { message: 'Role lacks GAIA_MODIFY' }).action).not.toMatch(/Security context/);
  });

  it('carries Retry-After on a 429, in seconds or as a date', () => {
    expect(json(429, {}, { 'retry-after': '30' })).toMatchObject({ retryAfterMs: 30_000, action: 'Wait 30 s, then try again.' });
    expect(json(429, {}, { 'retry-after': 'Wed, 01 Jan 2025 00:01:00 GMT' }).retryAfterMs).toBe(60_000);
    expect(json(429, {}).retryAfterMs).toBeUndefined();
  });

  it("turns FastAPI's detail into fields, without the section prefix", () => {
    expect(fieldProblems({ detail: [{ loc: ['body', 'config', 'permissions'], msg: 'bad value', type: 'x' }, { loc: ['query', 'pageSize'], msg: 'too big' }] }, ctx)).toEqual([
      { field: 'config.permissions', message: 'bad value' },
      { field: 'pageSize', message: 'too big' },
    ]);
    expect(json(422, { detail: [{ loc: ['body', 'queryString'], msg: 'field required' }] }).fields).toEqual([{ field: 'queryString', message: 'field required' }]);
  });

  it('never shows HTML, whatever the status, and says what answered', () => {
    const page = '<!doctype html><html><head><title>Zscaler &amp; Co login</title></head><body><script>evil()</script></body></html>';
    for (const status of [200, 401, 403, 404, 502]) {
      const info = httpFailure({ status, headers: {}, text: page }, ctx).info;
      expect(info.kind).toBe('html-response');
      expect(info.message).toContain('Zscaler & Co login');
      expect(JSON.stringify(info)).not.toMatch(/<|script|evil/);
    }
    expect(looksLikeHtml('text/html; charset=utf-8', '')).toBe(true);
    expect(looksLikeHtml('application/json', '{"a":1}')).toBe(false);
  });

  it('redacts and clips what the server said', () => {
    const info = json(500, { message: `bad key SECRET-KEY-123 ${'x'.repeat(1000)}` });
    expect(info.message).toContain('[redacted]');
    expect(info.message).not.toContain('SECRET-KEY-123');
    expect(info.message.length).toBeLessThan(500);
  });

  it('does not follow a redirect, and names where it pointed', () => {
    const info = httpFailure({ status: 302, headers: { location: 'https://login.example.net/sso?next=1' }, text: '' }, ctx).info;
    expect(info.kind).toBe('unexpected-response');
    expect(info.message).toContain('login.example.net');
    expect(info.message).not.toContain('next=1');
  });
});

describe('transport failures', () => {
  const coded = (code: string, message = code) => Object.assign(new Error(message), { code });

  it('finds codes in causes and aggregate errors', () => {
    const err = new Error('fetch failed', { cause: new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')]) });
    expect(errorCodes(err)).toEqual(['ECONNREFUSED', 'ECONNREFUSED']);
    expect(transportFailure(err, ctx).info.kind).toBe('connection-refused');
  });

  it('maps network codes to kinds', () => {
    expect(transportFailure(coded('ENOTFOUND'), ctx).info.kind).toBe('dns');
    expect(transportFailure(coded('EAI_AGAIN'), ctx).info.kind).toBe('dns');
    expect(transportFailure(coded('ECONNRESET'), ctx).info.kind).toBe('connection-reset');
    expect(transportFailure(coded('UND_ERR_SOCKET'), ctx).info.kind).toBe('connection-reset');
    expect(transportFailure(coded('UND_ERR_CONNECT_TIMEOUT'), ctx).info.kind).toBe('timeout');
    expect(transportFailure(coded('UND_ERR_HEADERS_TIMEOUT'), ctx).info.kind).toBe('timeout');
    expect(transportFailure(coded('EHOSTUNREACH'), ctx).info.kind).toBe('network');
    expect(transportFailure(new Error('??'), ctx).info.kind).toBe('network');
  });

  it('blames the proxy when one is in the way', () => {
    const p = { ...ctx, proxyLabel: 'http://proxy.corp:3128' };
    expect(transportFailure(coded('ECONNREFUSED'), p)).toMatchObject({ info: { kind: 'proxy' } });
    expect(transportFailure(coded('UND_ERR_ABORTED', 'Proxy response (502) !== 200 when HTTP Tunneling'), p).info).toMatchObject({ kind: 'proxy', status: 502 });
    expect(transportFailure(coded('UND_ERR_ABORTED', 'Proxy response (407) !== 200 when HTTP Tunneling'), p).info.message).toMatch(/user name and password/);
  });

  it('classifies certificate failures', () => {
    expect(tlsFailureKind(coded('UNABLE_TO_GET_ISSUER_CERT_LOCALLY'))?.kind).toBe('tls-unknown-ca');
    expect(tlsFailureKind(coded('SELF_SIGNED_CERT_IN_CHAIN'))?.kind).toBe('tls-unknown-ca');
    expect(tlsFailureKind(coded('DEPTH_ZERO_SELF_SIGNED_CERT'))?.kind).toBe('tls-self-signed');
    expect(tlsFailureKind(coded('CERT_HAS_EXPIRED'))?.kind).toBe('tls-expired');
    expect(tlsFailureKind(coded('ERR_TLS_CERT_ALTNAME_INVALID'))?.kind).toBe('tls-hostname-mismatch');
    expect(tlsFailureKind(coded('CERT_REVOKED'))?.kind).toBe('tls-other');
    expect(tlsFailureKind(coded('ECONNRESET'))).toBeNull();
  });
});
