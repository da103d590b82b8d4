/**
 * A core's dispatch called as the page (or a hostile page) would: any channel name, any
 * request, the answer read loosely. `ok` throws on an error envelope, naming the channel.
 * The core is passed as a getter because the tests make it in beforeAll / per test.
 */
import type { Core } from '../../main/core/core';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers of many channels, read loosely
export type Answer = { ok: boolean; value?: any; error?: { kind: string; message: string } };

export function looseCalls(core: () => Pick<Core, 'dispatch'>) {
  const call = async (channel: string, request: unknown) => (await core().dispatch(channel, request)) as Answer;
  const ok = async (channel: string, request: unknown) => {
    const r = await call(channel, request);
    if (!r.ok) throw new Error(`${channel}: ${r.error?.message}`);
    return r.value;
  };
  return { call, ok };
}
