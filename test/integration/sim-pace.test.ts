/**
 * The simulator's human pace (what `npm run demo` and `npm run sim -- --pace` stream at):
 * word by word, the given milliseconds apart — and, without it, the few quick pieces
 * every other test relies on.
 */
import https from 'node:https';
import { afterAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../gaia-sim';

const sims: Simulator[] = [];
afterAll(async () => {
  await Promise.all(sims.map((s) => s.stop()));
});

/** Streams one answer; answers the times (ms from the request) of its text-bearing data events. */
async function streamTimes(sim: Simulator): Promise<{ times: number[]; text: string }> {
  const started = performance.now();
  const body = JSON.stringify({ datasetNames: ['Travel & Expenses'], queryString: 'What is the hotel limit per night in Europe?' });
  const raw = await new Promise<string>((resolve, reject) => {
    const req = https.request(`${sim.baseUrl}/ask/stream`, { method: 'POST', ca: sim.caPem, headers: { apiKey: sim.demoKey, 'content-type': 'application/json', accept: 'text/event-stream' } }, (res) => {
      let all = '';
      const times: number[] = [];
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        all += chunk;
        for (let i = 0; i < chunk.split('event: data').length - 1; i++) times.push(performance.now() - started);
      });
      res.on('end', () => resolve(JSON.stringify({ all, times })));
    });
    req.on('error', reject);
    req.end(body);
  });
  const { all, times } = JSON.parse(raw) as { all: string; times: number[] };
  const texts = [...all.matchAll(/event: data\ndata: (.*)\n/g)].map((m) => JSON.parse(m[1]).data.responseString as string);
  // The pieces are deltas (as Gaia's are described); the last data event only ends the answer, with its documents.
  return { times: times.slice(0, -1), text: texts.slice(0, -1).join('') };
}

describe('the simulator stream pace', () => {
  it('streams word by word, msPerWord apart', async () => {
    const sim = await startSimulator({ faults: { streamPace: { msPerWord: 15 } } });
    sims.push(sim);
    const { times, text } = await streamTimes(sim);
    const words = text.trim().split(/\s+/).length;
    expect(times.length).toBe(words);
    // Roughly the pace: the pieces span at least 15 ms per gap (timers only ever run late).
    expect(times.at(-1)! - times[0]).toBeGreaterThanOrEqual((words - 1) * 15 * 0.9);
  });

  it('without a pace, the answer comes in a few quick pieces', async () => {
    const sim = await startSimulator();
    sims.push(sim);
    const { times } = await streamTimes(sim);
    expect(times.length).toBeLessThanOrEqual(7);
    expect(times.length).toBeGreaterThan(1);
  });
});
