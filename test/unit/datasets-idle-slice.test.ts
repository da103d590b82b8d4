/** A slice of the Datasets page's idle-time work stops for the user: input waiting, the slice's few ms, the idle period's end. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { idleSlice } from '../../renderer/features/datasets/idleSlice';

const deadline = (remaining: () => number): IdleDeadline => ({ didTimeout: false, timeRemaining: remaining });

describe('idleSlice', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('goes on while the idle period lasts and nothing waits', () => {
    vi.stubGlobal('navigator', { scheduling: { isInputPending: () => false } });
    const more = idleSlice(deadline(() => 40));
    expect(more()).toBe(true);
  });

  it('stops as soon as input is waiting', () => {
    let pending = false;
    vi.stubGlobal('navigator', { scheduling: { isInputPending: () => pending } });
    const more = idleSlice(deadline(() => 40));
    expect(more()).toBe(true);
    pending = true;
    expect(more()).toBe(false);
  });

  it('stops at the end of the idle period, and after a few ms of a long one', () => {
    vi.stubGlobal('navigator', {});
    let remaining = 40;
    expect(idleSlice(deadline(() => remaining))()).toBe(true);
    remaining = 0.5;
    expect(idleSlice(deadline(() => remaining))()).toBe(false);
    const now = vi.spyOn(performance, 'now');
    now.mockReturnValue(1000);
    const more = idleSlice(deadline(() => 40));
    now.mockReturnValue(1002);
    expect(more()).toBe(true);
    now.mockReturnValue(1010);
    expect(more()).toBe(false);
    now.mockRestore();
  });
});
