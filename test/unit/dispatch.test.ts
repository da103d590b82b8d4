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
