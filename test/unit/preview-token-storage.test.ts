/**
 * The preview's token as the page finds it: in the address, or kept in the tab's storage.
 * Storage is the page's to write and may be off, so a stored value that is no token (a header
 * breaker, megabytes, markup) counts as none — never sent in a header — and storage that
 * throws does not stop the start.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPreviewTransport } from '../../renderer/preview-transport';

afterEach(() => vi.unstubAllGlobals());

function page(hash: string, storage: { stored?: string | null; throws?: boolean }) {
  vi.stubGlobal('location', { hash, pathname: '/', search: '' });
  vi.stubGlobal('history', { replaceState: () => undefined });
  const fail = () => {
    throw new Error('SecurityError: storage is off');
  };
  vi.stubGlobal('sessionStorage', storage.throws ? { getItem: fail, setItem: fail } : { getItem: () => storage.stored ?? null, setItem: () => undefined });
  const sent: string[] = [];
  vi.stubGlobal('fetch', async (_url: string, init: { headers: Record<string, string> }) => {
    sent.push(init.headers['x-gaia-token']);
    return Response.json({ ok: true, value: {} });
  });
  return sent;
}

describe('the preview token the page starts with', () => {
  it('comes from the address even when storage throws', async () => {
    const sent = page('#token=abc_DEF-123', { throws: true });
    const transport = createPreviewTransport();
    expect(transport).not.toBeNull();
    await transport!.invoke('gaia:app.info', {});
    expect(sent).toEqual(['abc_DEF-123']);
  });

  it('is none when storage throws and the address has none', () => {
    page('', { throws: true });
    expect(createPreviewTransport()).toBeNull();
  });

  it.each([
    ['a header breaker', 'abc\r\nX-Evil: 1'],
    ['markup', '<img src=x onerror=alert(1)>'],
    ['1 MB', 'a'.repeat(1024 * 1024)],
    ['an empty string', ''],
    ['a non-ASCII token', 'tökén'],
  ])('is none when the tab kept %s', (_name, stored) => {
    page('', { stored });
    expect(createPreviewTransport()).toBeNull();
  });

  it('is the kept one when it is a token', async () => {
    const sent = page('', { stored: 'kept-token_1' });
    await createPreviewTransport()!.invoke('gaia:app.info', {});
    expect(sent).toEqual(['kept-token_1']);
  });
});
