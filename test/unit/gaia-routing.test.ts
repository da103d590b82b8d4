import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exemptFromProxy, resolveProxy } from '../../main/core/gaia/proxy';
import { keyServicePath, queryString, segment } from '../../main/core/gaia/urls';
import { checkSecurityContext, parseBaseUrl } from '../../main/core/gaia/context';
import { cleanApiKey } from '../../main/core/validate/api-key';

const target = new URL('https://gaia.corp.example.com/v2/mcm/gaia');

describe('proxy route', () => {
  it('applies NO_PROXY: exact hosts, suffixes, wildcards, ports and *', () => {
    expect(exemptFromProxy(target, 'gaia.corp.example.com')).toBe(true);
    expect(exemptFromProxy(target, '.example.com')).toBe(true);
    expect(exemptFromProxy(target, 'example.com')).toBe(true);
    expect(exemptFromProxy(target, '*.corp.example.com')).toBe(true);
    expect(exemptFromProxy(new URL('https://corp.example.com'), '*.corp.example.com')).toBe(false);
    expect(exemptFromProxy(target, 'example.com:8443')).toBe(false);
    expect(exemptFromProxy(target, 'example.com:443')).toBe(true);
    expect(exemptFromProxy(target, 'other.com, *')).toBe(true);
    expect(exemptFromProxy(target, 'ample.com')).toBe(false);
    expect(exemptFromProxy(new URL('https://[::1]:9/'), '::1')).toBe(true);
    expect(exemptFromProxy(target, '')).toBe(false);
  });

  it('prefers the profile, then HTTPS_PROXY, then HTTP_PROXY', () => {
    expect(resolveProxy(target, 'http://p1:1', { HTTPS_PROXY: 'http://p2:2' })?.label).toBe('http://p1:1');
    expect(resolveProxy(target, null, { HTTPS_PROXY: 'http://p2:2', HTTP_PROXY: 'http://p3:3' })?.label).toBe('http://p2:2');
    expect(resolveProxy(target, null, { http_proxy: 'p3:3' })?.label).toBe('http://p3:3');
    expect(resolveProxy(target, null, { HTTPS_PROXY: 'http://p2:2', NO_PROXY: 'example.com' })).toBeNull();
    expect(resolveProxy(target, null, {})).toBeNull();
  });

  it('never proxies plain http (loopback only), where a proxy would see the key', () => {
    expect(resolveProxy(new URL('http://127.0.0.1:8080/v2/mcm/gaia'), 'http://p1:1', { HTTP_PROXY: 'http://p2:2' })).toBeNull();
  });

  it('keeps credentials out of the label', () => {
    const route = resolveProxy(target, 'http://bob:pw@proxy:3128', {});
    expect(route?.label).toBe('http://proxy:3128');
    expect(route?.url.password).toBe('pw');
  });
});

describe('paths', () => {
  it('encodes a dataset name as one segment', () => {
    expect(segment('Legal/Contracts 2024')).toBe('Legal%2FContracts%202024');
    expect(segment('財務 レポート')).toBe('%E8%B2%A1%E5%8B%99%20%E3%83%AC%E3%83%9D%E3%83%BC%E3%83%88');
    expect(segment('a?b#c%d')).toBe('a%3Fb%23c%25d');
    expect(segment('..')).toBe('%2E%2E');
    expect(segment('.')).toBe('%2E');
  });

  it('repeats array parameters and drops empty ones', () => {
    expect(queryString({ statuses: ['a', 'b'], names: undefined, pageSize: 99, x: null })).toBe('?statuses=a&statuses=b&pageSize=99');
    expect(queryString({})).toBe('');
  });

  it('writes every query as URLSearchParams would, plain or not (tokens, names, odd keys)', () => {
    const reference = (q: Record<string, unknown>) => {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(q)) {
        if (value === undefined || value === null) continue;
        if (Array.isArray(value)) for (const v of value) params.append(key, String(v));
        else params.append(key, String(value));
      }
      const s = params.toString();
      return s ? `?${s}` : '';
    };
    const value = fc.oneof(
      fc.constant(undefined),
      fc.constant(null),
      fc.boolean(),
      fc.integer(),
      fc.double(),
      fc.string({ maxLength: 10 }),
      fc.stringMatching(/^[A-Za-z0-9._-]{0,12}$/),
      fc.constantFrom('a b', 'a+b', 'x&y=z', 'é', '~', '*', "'", '!', '%41', '/'),
      fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }),
    );
    const key = fc.oneof(fc.constantFrom('pageSize', 'paginationToken', 'names', 'sort field', 'a&b', '1', '0'), fc.string({ maxLength: 6 }));
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 4 }), (q) => {
        expect(queryString(q as Parameters<typeof queryString>[0])).toBe(reference(q));
      }),
      { numRuns: 3000 },
    );
    expect(queryString({ pageSize: 99, paginationToken: 'abc-1.2_3' })).toBe('?pageSize=99&paginationToken=abc-1.2_3');
    expect(queryString({ pageSize: 99, paginationToken: 'a b+c' })).toBe('?pageSize=99&paginationToken=a+b%2Bc');
  });

  it("roots the key service at the origin", () => {
    expect(keyServicePath()).toBe('/es/api/v1/credentials/api_keys/');
    expect(keyServicePath('delete/k')).toBe('/es/api/v1/credentials/api_keys/delete/k');
  });
});

describe('settings checks', () => {
  it('wants https (plain http only on this computer)', () => {
    expect(parseBaseUrl('https://helios.cohesity.com/v2/mcm/gaia').host).toBe('helios.cohesity.com');
    expect(parseBaseUrl('http://127.0.0.1:8080/v2/mcm/gaia').protocol).toBe('http:');
    expect(() => parseBaseUrl('http://helios.cohesity.com/v2/mcm/gaia')).toThrow(/unencrypted/);
    expect(() => parseBaseUrl('https://user:pw@host/x')).toThrow(/user name or password/);
    expect(() => parseBaseUrl('not a url')).toThrow(/not a web address/);
  });

  it('refuses keys that cannot travel in a header', () => {
    expect(cleanApiKey('  abc-12345  ')).toBe('abc-12345');
    expect(() => cleanApiKey('abc\n12345')).toThrow(/line breaks/);
    expect(() => cleanApiKey('abc-12345é')).toThrow(/cannot hold/);
    expect(() => cleanApiKey('')).toThrow(/empty/);
    expect(checkSecurityContext('  ')).toBeNull();
    expect(() => checkSecurityContext('tenant\r\nX-Injected: 1')).toThrow(/security context/);
  });
});
