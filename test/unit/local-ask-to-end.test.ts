/**
 * askToEnd (the command line's and the MCP server's way to ask) assembles the answer from
 * its deltas when the final event leaves it out, and reads the stored turn when it saw
 * fewer characters than the final event says were streamed: a listener that missed deltas
 * must not return the partial text as the answer.
 */
import { describe, expect, it } from 'vitest';
import type { AskEvent, Conversation, Turn } from '../../preload/contract';
import { askToEnd } from '../../main/core/local/ask';

const WHOLE = 'The travel policy allows 180 EUR a night.';
const turn = (answer: string): Turn => ({ id: 'turn-1', question: 'How much a night?', answer, status: 'complete' }) as unknown as Turn;

/** A core whose ask sends `deltas`, then a final event naming `streamedChars`, and whose history holds the whole answer. */
function fakeCore(deltas: string[], final: { streamedChars?: number; answer: string }) {
  const listeners = new Set<(channel: string, payload: unknown) => void>();
  const asked: string[] = [];
  const emit = (payload: AskEvent) => {
    for (const l of listeners) l('gaia:ask.event', payload);
  };
  const core = {
    onEvent(listener: (channel: string, payload: unknown) => void) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    async dispatch(channel: unknown, request: unknown) {
      asked.push(String(channel));
      if (channel === 'gaia:ask.start') {
        const { requestId } = request as { requestId: string };
        setTimeout(() => {
          emit({ requestId, type: 'started', conversationId: 'conv-1', turnId: 'turn-1' });
          for (const text of deltas) emit({ requestId, type: 'delta', text });
          emit({ requestId, type: 'done', turn: turn(final.answer), ...(final.streamedChars === undefined ? {} : { streamedChars: final.streamedChars }) });
        });
        return { ok: true as const, value: { conversationId: 'conv-1', turnId: 'turn-1' } };
      }
      if (channel === 'gaia:history.get') {
        expect(request).toEqual({ id: 'conv-1' });
        const stored = { id: 'conv-1', title: 't', serverConversationId: null, createdAt: 0, updatedAt: 0, turns: [turn(WHOLE)] } as unknown as Conversation;
        return { ok: true as const, value: stored };
      }
      throw new Error(`unexpected ${String(channel)}`);
    },
  };
  return { core: core as unknown as Parameters<typeof askToEnd>[0], asked };
}

describe('askToEnd', () => {
  it('returns the stored turn when the final event says more was streamed than its deltas brought', async () => {
    // The middle delta never arrived here.
    const { core, asked } = fakeCore(['The travel policy ', '180 EUR a night.'], { streamedChars: WHOLE.length, answer: '' });
    const seen: AskEvent[] = [];
    const outcome = await askToEnd(core, { question: 'How much a night?' } as never, { onEvent: (e) => seen.push(e) });
    expect(asked).toContain('gaia:history.get');
    expect(outcome.turn.answer).toBe(WHOLE);
    expect(outcome.error).toBeNull();
    const done = seen.find((e) => e.type === 'done');
    expect(done && 'turn' in done ? done.turn.answer : null).toBe(WHOLE);
    expect(done).not.toHaveProperty('streamedChars');
  });

  it('assembles the answer from its deltas when they are all there, without reading the history', async () => {
    const { core, asked } = fakeCore(['The travel policy ', 'allows ', '180 EUR a night.'], { streamedChars: WHOLE.length, answer: '' });
    const outcome = await askToEnd(core, { question: 'How much a night?' } as never);
    expect(outcome.turn.answer).toBe(WHOLE);
    expect(asked).not.toContain('gaia:history.get');
  });

  it('takes a final event without streamedChars as the whole answer', async () => {
    const { core, asked } = fakeCore(['Something else, streamed first.'], { answer: WHOLE });
    const outcome = await askToEnd(core, { question: 'How much a night?' } as never);
    expect(outcome.turn.answer).toBe(WHOLE);
    expect(asked).not.toContain('gaia:history.get');
  });
});
