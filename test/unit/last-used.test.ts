import { describe, expect, it } from 'vitest';
import { createUseRecorder, recordingUse } from '../../main/core/connections/last-used';
import type { GaiaClient } from '../../main/core/gaia/client';

describe('last used', () => {
  it('writes on the first success, then at most once per interval per profile', async () => {
    const touched: string[] = [];
    let clock = 1_000;
    const uses = createUseRecorder(async (id) => void touched.push(id), { intervalMs: 60_000, now: () => clock });
    uses.used('a');
    uses.used('a');
    uses.used('b');
    expect(touched).toEqual(['a', 'b']);
    clock += 59_999;
    uses.used('a');
    expect(touched).toEqual(['a', 'b']);
    clock += 1;
    uses.used('a');
    expect(touched).toEqual(['a', 'b', 'a']);
    uses.forget('b');
    uses.used('b');
    expect(touched).toEqual(['a', 'b', 'a', 'b']);
  });

  it('tries again on the next success when the write failed', async () => {
    let calls = 0;
    const uses = createUseRecorder(async () => {
      calls++;
      if (calls === 1) throw new Error('gone');
    });
    uses.used('a');
    await new Promise((r) => setTimeout(r, 0));
    uses.used('a');
    expect(calls).toBe(2);
  });

  it('counts calls that succeed, not failed ones nor closing', async () => {
    let uses = 0;
    const fake = {
      llms: async () => [],
      topics: async () => Promise.reject(new Error('500')),
      close: async () => undefined,
    } as unknown as GaiaClient;
    const client = recordingUse(fake, () => uses++);
    await client.llms();
    await expect(client.topics('x')).rejects.toThrow('500');
    await client.close();
    expect(uses).toBe(1);
  });
});
