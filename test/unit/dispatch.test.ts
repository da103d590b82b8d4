import { describe, expect, it } from 'vitest';
import { channels } from '../../preload/contract';
import { createDispatch, type HandlerTable } from '../../main/core/dispatch';
import { AppError } from '../../main/core/errors';

const silentLog = { warn: () => undefined, error: () => undefined };

/** A table whose every handler records that it ran; app.info answers, settings.get answers badly. */
function table(calls: string[]): HandlerTable {
  const t: Record<string, unknown> = {};
  for (const name of Object.keys(channels)) {
    t[name] = async (req: unknown) => {
      calls.push(name);
      if (name === 'gaia:app.info')
        return { name: 'G', version: '1', platform: 'linux', arch: 'x64', shell: 'preview', versions: { node: '24', electron: null, chrome: null }, dataDir: '/d', logDir: '/d/logs', problems: [], secret: 'leak' };
      if (name === 'gaia:settings.get') return { theme: 'purple' };
      if (name === 'gaia:app.openExternal') throw new AppError({ kind: 'forbidden', message: 'No.', action: 'Ask.' });
      if (name === 'gaia:app.diagnostics') throw new Error('boom with details');
      return req;
    };
  }
  return t as unknown as HandlerTable;
}

describe('dispatch', () => {
  it('runs a valid call and strips fields outside the response schema', async () => {
    const calls: string[] = [];
    const dispatch = createDispatch(table(calls), () => undefined, silentLog);
    const result = await dispatch('gaia:app.info', {});
    expect(result).toMatchObject({ ok: true, value: { name: 'G', shell: 'preview' } });
    expect(JSON.stringify(result)).not.toContain('leak');
    expect(calls).toEqual(['gaia:app.info']);
  });

  it('refuses unknown channels, including prototype keys, without running anything', async () => {
    const calls: string[] = [];
    const dispatch = createDispatch(table(calls), () => undefined, silentLog);
    for (const channel of ['gaia:nope.x', '__proto__', 'constructor', 'toString', 42, null, undefined, { toString: () => 'gaia:app.info' }]) {
      expect(await dispatch(channel, {})).toMatchObject({ ok: false, error: { kind: 'unknown-channel' } });
    }
    expect(calls).toEqual([]);
  });

  it('refuses malformed requests before the handler runs, naming the field', async () => {
    const calls: string[] = [];
    const dispatch = createDispatch(table(calls), () => undefined, silentLog);
    expect(await dispatch('gaia:app.info', { extra: true })).toMatchObject({ ok: false, error: { kind: 'invalid-request' } });
    expect(await dispatch('gaia:app.openExternal', { url: 5 })).toMatchObject({ ok: false, error: { kind: 'invalid-request', fields: [{ field: 'url' }] } });
    expect(await dispatch('gaia:app.info', 'not an object')).toMatchObject({ ok: false, error: { kind: 'invalid-request' } });
    expect(calls).toEqual([]);
  });

  it('hands a handler plain data only: a getter, proxy or odd array built in this process is copied (and checked) by zod first', async () => {
    const seen: unknown[] = [];
    const t = Object.fromEntries(
      Object.keys(channels).map((name) => [
        name,
        async (req: unknown) => {
          seen.push(req);
          return name === 'gaia:composer.save' ? req : { opened: true };
        },
      ]),
    ) as unknown as HandlerTable;
    const dispatch = createDispatch(t, () => undefined, silentLog);

    // A getter that answers a valid URL to the check and something else to the handler.
    let reads = 0;
    const sly = {
      get url() {
        return reads++ === 0 ? 'https://gaia.example' : 'file:///etc/passwd';
      },
    };
    expect(await dispatch('gaia:app.openExternal', sly)).toMatchObject({ ok: true });
    expect(seen[0]).not.toBe(sly);
    expect(Object.getOwnPropertyDescriptor(seen[0], 'url')).toMatchObject({ value: 'https://gaia.example' });

    // A proxy in front of a valid value, an array with a key besides its indices, a subclass.
    const proxied = new Proxy({ url: 'https://gaia.example' }, {});
    expect(await dispatch('gaia:app.openExternal', proxied)).toMatchObject({ ok: true });
    expect(seen[1]).not.toBe(proxied);
    const names = Object.assign(['a'], { extra: 'not in the contract' });
    await dispatch('gaia:composer.save', { datasetNames: names, llmId: null, languageCode: null });
    expect((seen[2] as { datasetNames: unknown }).datasetNames).toEqual(['a']);
    expect(Object.keys((seen[2] as { datasetNames: object }).datasetNames)).toEqual(['0']);
    class Names extends Array<string> {}
    await dispatch('gaia:composer.save', { datasetNames: Names.from(['a']), llmId: null, languageCode: null });
    expect(Object.getPrototypeOf((seen[3] as { datasetNames: object }).datasetNames)).toBe(Array.prototype);

    // Plain data (what JSON or a structured clone makes) is still passed on as it is.
    const plain = JSON.parse('{"datasetNames":["a","b"],"llmId":null,"languageCode":null}');
    await dispatch('gaia:composer.save', plain);
    expect(seen[4]).toBe(plain);
  });

  it('turns an AppError into its typed error and anything else into a generic one', async () => {
    const dispatch = createDispatch(table([]), () => undefined, silentLog);
    expect(await dispatch('gaia:app.openExternal', { url: 'https://x' })).toEqual({ ok: false, error: { kind: 'forbidden', message: 'No.', action: 'Ask.' } });
    const internal = await dispatch('gaia:app.diagnostics', {});
    expect(internal).toMatchObject({ ok: false, error: { kind: 'internal' } });
    expect(JSON.stringify(internal)).not.toContain('boom');
  });

  it('refuses to send a response that breaks its schema', async () => {
    const dispatch = createDispatch(table([]), () => undefined, silentLog);
    expect(await dispatch('gaia:settings.get', {})).toMatchObject({ ok: false, error: { kind: 'invalid-response' } });
  });
});
