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
  // [what, the cost of each write, ms after which the second write has not come, ms more after which it has]
  it.each([
    ['come every throttleMs while writes are quick', 1, 240, 20],
    // The last write took 100 ms: the next one waits until 1 s after it began.
    ['come ten times the last write’s duration apart when that is longer', 100, 850, 100],
    ['are never more than 2 s apart, however slow the disk', 1_000, 900, 150],
  ])('%s', async (_what, cost, notYet, thenMore) => {
    const w = writerWithCost(cost);
    const entry = w.writer.hold('p1', conversation());
    await w.writer.changed(entry, true);
    await w.writer.changed(entry, false);
    await w.advance(notYet);
    expect(w.saves()).toBe(1);
    await w.advance(thenMore);
    expect(w.saves()).toBe(2);
  });
});
