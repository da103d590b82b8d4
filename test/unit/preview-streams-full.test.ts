/**
 * A tab the preview refuses an event stream (429: every stream it allows is taken, by other
 * tabs or by a program holding the token) must not wait in silence: its transport marks the
 * stream state 'full' while it keeps retrying, which the shell shows (ui/StreamNotice.tsx),
 * and 'ok' again once a stream is granted.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPreviewTransport } from '../../renderer/preview-transport';
import { streamState } from '../../renderer/stream-state';

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  streamState.set('ok');
});

describe('the preview transport when every event stream is taken', () => {
  it('says so while refused, keeps trying, and says it is over once a stream is granted', async () => {
    vi.useFakeTimers();
    const store = new Map<string, string>();
    vi.stubGlobal('location', { hash: '#token=abc', pathname: '/', search: '' });
    vi.stubGlobal('history', { replaceState: () => undefined });
    vi.stubGlobal('sessionStorage', { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) });
    let refusals = 3;
    let asked = 0;
    vi.stubGlobal('fetch', async () => {
      asked++;
      if (refusals-- > 0) return new Response('Too many event streams', { status: 429 });
      return new Response(new ReadableStream({ start: () => undefined }), { status: 200 });
    });
    const seen: string[] = [];
    const off = streamState.subscribe(() => seen.push(streamState.get()));
    const transport = createPreviewTransport()!;
    transport.subscribe('gaia:ask.event', () => undefined);
    await vi.waitFor(() => expect(streamState.get()).toBe('full'));
    for (let i = 0; i < 10 && asked < 4; i++) await vi.advanceTimersByTimeAsync(5000);
    await vi.waitFor(() => expect(streamState.get()).toBe('ok'));
    expect(asked).toBe(4);
    // Told once when refused, once when over: not on every retry.
    expect(seen).toEqual(['full', 'ok']);
    off();
  });

  it('a server that is merely gone is not called full', async () => {
    vi.useFakeTimers();
    vi.stubGlobal('location', { hash: '#token=abc', pathname: '/', search: '' });
    vi.stubGlobal('history', { replaceState: () => undefined });
    vi.stubGlobal('sessionStorage', { getItem: () => null, setItem: () => undefined });
    let asked = 0;
    vi.stubGlobal('fetch', async () => {
      asked++;
      throw new TypeError('Failed to fetch');
    });
    createPreviewTransport()!.subscribe('gaia:ask.event', () => undefined);
    for (let i = 0; i < 5; i++) await vi.advanceTimersByTimeAsync(5000);
    expect(asked).toBeGreaterThan(1);
    expect(streamState.get()).toBe('ok');
  });
});
