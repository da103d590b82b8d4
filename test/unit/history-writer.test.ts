/**
 * The history's write-behind cache spaces a streaming conversation's writes by what they
 * cost: each rewrites the whole conversation, so a long answer's writes (megabytes of
 * JSON, encoded and fsynced) come less often, never more than 2 s apart.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHistoryWriter } from '../../main/core/ask/history-writer';
import type { StoredConversation } from '../../main/core/ask/history';

const conversation = (): StoredConversation => ({ id: 'c1', title: 'x', serverConversationId: null, createdAt: 1, updatedAt: 1, turns: [], datasetNames: [] });

/** A writer over a file whose every save takes `costMs` by the writer's clock. */
function writerWithCost(costMs: number, throttleMs = 250) {
  let clock = 1_000_000;
  let saves = 0;
  const writer = createHistoryWriter({
    enabled: true,
    throttleMs,
    now: () => clock,
    fileFor: () =>
      ({
        save: async () => {
          saves++;
          clock += costMs;
        },
      }) as never,
  });
  return {
    writer,
    saves: () => saves,
    /** Moves the writer's clock and the timers together. */
    advance: async (ms: number) => {
      clock += ms;
      await vi.advanceTimersByTimeAsync(ms);
    },
  };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('history writer: streaming writes', () => {
  it('come every throttleMs while writes are quick', async () => {
    const w = writerWithCost(1);
    const entry = w.writer.hold('p1', conversation());
    await w.writer.changed(entry, true);
    await w.writer.changed(entry, false);
    await w.advance(240);
    expect(w.saves()).toBe(1);
    await w.advance(20);
    expect(w.saves()).toBe(2);
  });

  it('come ten times the last write’s duration apart when that is longer', async () => {
    const w = writerWithCost(100);
    const entry = w.writer.hold('p1', conversation());
    await w.writer.changed(entry, true);
    await w.writer.changed(entry, false);
    // The last write took 100 ms: the next one waits until 1 s after it began.
    await w.advance(850);
    expect(w.saves()).toBe(1);
    await w.advance(100);
    expect(w.saves()).toBe(2);
  });

  it('are never more than 2 s apart, however slow the disk', async () => {
    const w = writerWithCost(1_000);
    const entry = w.writer.hold('p1', conversation());
    await w.writer.changed(entry, true);
    await w.writer.changed(entry, false);
    await w.advance(900);
    expect(w.saves()).toBe(1);
    await w.advance(150);
    expect(w.saves()).toBe(2);
  });
});
