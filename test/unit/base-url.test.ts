import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isLoopbackHost, normalizeBaseUrl, validateProxyUrl } from '../../main/core/validate/base-url';
import { AppError } from '../../main/core/errors';

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('normalizeBaseUrl', () => {
  it('accepts the Helios Gaia address and trims whitespace and trailing slashes', () => {
    expect(normalizeBaseUrl('  https://helios.cohesity.com/v2/mcm/gaia///  ')).toEqual({ normalized: 'https://helios.cohesity.com/v2/mcm/gaia', warnings: [] });
  });

  it('lower-cases the host and drops the default port, keeps other ports', () => {
    expect(normalizeBaseUrl('https://Gaia.Example.COM:443/api/').normalized).toBe('https://gaia.example.com/api');
    expect(normalizeBaseUrl('https://gaia.example.com:8443/api').normalized).toBe('https://gaia.example.com:8443/api');
  });

  it('adds https:// when no scheme is given, and says so', () => {
    const r = normalizeBaseUrl('helios.cohesity.com/v2/mcm/gaia');
    expect(r.normalized).toBe('https://helios.cohesity.com/v2/mcm/gaia');
    expect(r.warnings.join(' ')).toMatch(/https:\/\/ was added/);
  });

  it('refuses http for remote hosts, because the key would travel unencrypted', () => {
    const err = refusal(() => normalizeBaseUrl('http://gaia.example.com/v2/mcm/gaia'));
    expect(err.info.kind).toBe('bad-url');
    expect(err.info.message).toMatch(/unencrypted/);
    expect(err.info.action).toMatch(/https:\/\//);
  });

  it.each(['http://localhost:3000/gaia', 'http://api.localhost', 'http://LOCALHOST./x'])('refuses http to the name %s: only loopback addresses are sure to stay here', (input) => {
    const err = refusal(() => normalizeBaseUrl(input));
    expect(err.info.kind).toBe('bad-url');
    expect(err.info.action).toMatch(/http:\/\/127\.0\.0\.1/);
  });

  it.each(['http://127.0.0.1:8080', 'http://127.1.2.3/x', 'http://[::1]:9000'])(
    'allows http for loopback %s, with a warning',
    (input) => {
      const r = normalizeBaseUrl(input);
      expect(r.normalized.startsWith('http://')).toBe(true);
      expect(r.warnings.join(' ')).toMatch(/without encryption/);
    },
  );

  it('refuses other schemes', () => {
    expect(refusal(() => normalizeBaseUrl('ftp://gaia.example.com')).info.message).toMatch(/not an https/);
    expect(refusal(() => normalizeBaseUrl('mailto:admin@example.com')).info.message).toMatch(/mailto: address/);
  });

  it('refuses things that are not web addresses, in plain words', () => {
    expect(refusal(() => normalizeBaseUrl('')).info.message).toMatch(/empty/);
    expect(refusal(() => normalizeBaseUrl('   ')).info.message).toMatch(/empty/);
    expect(refusal(() => normalizeBaseUrl('not a url')).info.message).toMatch(/is not a web address/);
    expect(refusal(() => normalizeBaseUrl('https://')).info.message).toMatch(/not a web address/);
    expect(refusal(() => normalizeBaseUrl('https://exa mple.com')).info.message).toMatch(/not a web address/);
  });

  it('refuses a user name or password in the address, without repeating it', () => {
    const err = refusal(() => normalizeBaseUrl('https://admin:hunter2secret@gaia.example.com/v2/mcm/gaia'));
    expect(err.info.message).toMatch(/user name or password/);
    expect(JSON.stringify(err.info)).not.toContain('hunter2secret');
    expect(JSON.stringify(err.info)).not.toContain('admin');
  });

  it('refuses a query or a fragment', () => {
    expect(refusal(() => normalizeBaseUrl('https://gaia.example.com/api?x=1')).info.message).toMatch(/query/);
    expect(refusal(() => normalizeBaseUrl('https://gaia.example.com/api#top')).info.message).toMatch(/#/);
  });

  it('points a Helios console address to the API address', () => {
    for (const input of ['https://helios.cohesity.com', 'https://helios.cohesity.com/', 'https://helios.cohesity.com/#/dashboard', 'https://helios.cohesity.com/gaia/#/ask']) {
      const err = refusal(() => normalizeBaseUrl(input));
      expect(err.info.message).toMatch(/Helios web console/);
      expect(err.info.action).toContain('https://helios.cohesity.com/v2/mcm/gaia');
    }
    // Regional consoles get their own host in the hint.
    expect(refusal(() => normalizeBaseUrl('https://helios.eu.cohesity.com/')).info.action).toContain('https://helios.eu.cohesity.com/v2/mcm/gaia');
    // Any host with a "#/" route is a web UI.
    expect(refusal(() => normalizeBaseUrl('https://cluster.example.com/#/login')).info.action).toContain('/v2/mcm/gaia');
  });

  it('warns about a bare host elsewhere, but allows it (a proxy or simulator may serve Gaia there)', () => {
    const r = normalizeBaseUrl('https://gaia.example.com');
    expect(r.normalized).toBe('https://gaia.example.com');
    expect(r.warnings.join(' ')).toMatch(/\/v2\/mcm\/gaia/);
  });

  it('is idempotent: a normalized address normalizes to itself', () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: false, withFragments: false }), (url) => {
        let first: string;
        try {
          first = normalizeBaseUrl(url).normalized;
        } catch (err) {
          expect(err).toBeInstanceOf(AppError);
          return;
        }
        expect(normalizeBaseUrl(first).normalized).toBe(first);
        expect(first.endsWith('/')).toBe(false);
        expect(first.startsWith('https://') || first.startsWith('http://')).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('never throws anything but a bad-url AppError, whatever is typed', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (input) => {
        try {
          normalizeBaseUrl(input);
        } catch (err) {
          expect(err).toBeInstanceOf(AppError);
          expect((err as AppError).info.kind).toBe('bad-url');
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('isLoopbackHost', () => {
  it('knows loopback from the rest', () => {
    for (const h of ['127.0.0.1', '127.255.255.254', '[::1]', '::1']) expect(isLoopbackHost(h)).toBe(true);
    // Names go to the resolver, which may ask DNS: they are not loopback to us.
    for (const h of ['localhost', 'foo.localhost', '128.0.0.1', 'localhost.example.com', '10.0.0.1', '[::2]', 'example.com', '127.0.0.256']) expect(isLoopbackHost(h)).toBe(false);
  });
});

describe('validateProxyUrl', () => {
  it('accepts http and https proxies with a port', () => {
    expect(validateProxyUrl('http://proxy.example.com:3128').normalized).toBe('http://proxy.example.com:3128');
    expect(validateProxyUrl('https://proxy.example.com:8443/').normalized).toBe('https://proxy.example.com:8443');
  });

  it('adds http:// to a bare host:port', () => {
    const r = validateProxyUrl('proxy.corp:3128');
    expect(r.normalized).toBe('http://proxy.corp:3128');
    expect(r.warnings).toHaveLength(1);
  });

  it('refuses credentials in the proxy address, without repeating them', () => {
    const err = refusal(() => validateProxyUrl('http://bob:s3cretpass@proxy.example.com:3128'));
    expect(err.info.kind).toBe('bad-url');
    expect(err.info.message).toMatch(/user name or password/);
    expect(JSON.stringify(err.info)).not.toContain('s3cretpass');
  });

  it('refuses socks and paths', () => {
    expect(refusal(() => validateProxyUrl('socks5://proxy:1080')).info.action).toMatch(/SOCKS/);
    expect(refusal(() => validateProxyUrl('http://proxy:3128/path')).info.message).toMatch(/host and a port/);
  });
});
