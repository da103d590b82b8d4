import { describe, expect, it } from 'vitest';
import { bindingId, bindingOf, loosenings, loosensTrust, type BindingSource } from '../../main/core/connections/key-binding';
import { createPki } from '../gaia-sim/certs';

const pki = await createPki('chain');
const other = await createPki('chain');
const base: BindingSource = { baseUrl: 'https://gaia.example.com/v2/mcm/gaia', caPem: pki.rootPem, trustedFingerprint: null, proxyUrl: null, verifyTls: true };
const change = (patch: Partial<BindingSource>, from: BindingSource = base) => loosenings(bindingOf(from), bindingOf({ ...from, ...patch }));

describe('key bindings', () => {
  it('are the origin and the trust: the path, case and junk around a PEM do not change them', () => {
    expect(bindingId(base)).toBe(bindingId({ ...base, baseUrl: 'https://GAIA.example.com:443/other/path' }));
    expect(bindingId(base)).toBe(bindingId({ ...base, caPem: `junk\n${pki.rootPem}\nmore` }));
    expect(bindingId(base)).not.toBe(bindingId({ ...base, verifyTls: false }));
    expect(bindingId(base)).not.toBe(bindingId({ ...base, baseUrl: 'https://gaia.example.com:8443/v2/mcm/gaia' }));
  });

  it('follow the settings they are read from, even when the same object changes between calls', () => {
    const source: BindingSource = { ...base };
    const first = bindingId(source);
    expect(bindingId({ ...base })).toBe(first);
    source.verifyTls = false;
    expect(bindingId(source)).toBe(bindingId(bindingOf({ ...base, verifyTls: false })));
    expect(bindingId(source)).not.toBe(first);
    source.verifyTls = true;
    source.caPem = other.rootPem;
    expect(bindingId(source)).toBe(bindingId(bindingOf({ ...base, caPem: other.rootPem })));
    expect(bindingId(source)).not.toBe(first);
  });

  it('name what loosens: another origin, checks off, a new CA, a new or changed pin, a new proxy', () => {
    expect(change({ baseUrl: 'https://evil.example/v2/mcm/gaia', caPem: null })).toEqual(['origin']);
    expect(change({ baseUrl: 'http://127.0.0.1:8080', caPem: null })).toEqual(['origin']);
    expect(change({ verifyTls: false })).toEqual(['verify-off']);
    expect(change({ caPem: `${pki.rootPem}\n${other.rootPem}` })).toEqual(['ca']);
    expect(change({ trustedFingerprint: 'AB:CD' })).toEqual(['pin']);
    expect(change({ trustedFingerprint: null }, { ...base, trustedFingerprint: 'AB:CD' })).toEqual(['pin']);
    expect(change({ proxyUrl: 'http://proxy.example:3128' })).toEqual(['proxy']);
    expect(change({ proxyUrl: 'http://other.example:3128' }, { ...base, proxyUrl: 'http://proxy.example:3128' })).toEqual(['proxy']);
  });

  it('and what tightens, which needs no key: checks on, a proxy or CA removed', () => {
    expect(change({ verifyTls: true }, { ...base, verifyTls: false })).toEqual([]);
    expect(change({ proxyUrl: null }, { ...base, proxyUrl: 'http://proxy.example:3128' })).toEqual([]);
    expect(change({ caPem: null })).toEqual([]);
    // With checks off any certificate was accepted already: adding a CA and turning them on only narrows.
    expect(change({ caPem: other.rootPem, verifyTls: true }, { ...base, caPem: null, verifyTls: false })).toEqual([]);
  });

  it('judge a move against full checks at the new origin, with only the proxy carried over', () => {
    const moved = change({ baseUrl: 'https://new.example/v2/mcm/gaia', verifyTls: false, caPem: null }, { ...base, verifyTls: false });
    expect(moved).toEqual(['origin', 'verify-off']);
    expect(loosensTrust(moved)).toBe(true);
    expect(loosensTrust(['origin'])).toBe(false);
  });
});
