/**
 * The Gaia simulator in its own process, so its work (Gaia's side) never shares an event
 * loop with what is measured. Driven over stdin/stdout, one JSON object per line:
 *   ← {"type":"ready", baseUrl, origin, caPem, demoKey}
 *   → {"id":1,"cmd":"faults","set":{...}}  ← {"id":1,"ok":true}   (clears, then sets)
 *   → {"id":2,"cmd":"clock"}               ← {"id":2,"ok":true,"now":<ms since epoch>}
 *   → {"id":3,"cmd":"stop"}                ← {"id":3,"ok":true}
 *
 *   tsx bench/sim-child.ts demo|<number of datasets>
 */
import { createInterface } from 'node:readline';
import { startSimulator, type FaultSettings } from '../test/gaia-sim';

const arg = process.argv[2] ?? 'demo';
const sim = await startSimulator({ datasets: arg === 'demo' ? 'demo' : Number(arg) });
const say = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);
say({ type: 'ready', baseUrl: sim.baseUrl, origin: sim.origin, caPem: sim.caPem, demoKey: sim.demoKey });

// The request log keeps every request; a benchmark makes thousands.
setInterval(() => sim.requestLog.splice(0), 1000).unref();

for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const msg = JSON.parse(line) as { id: number; cmd: string; set?: FaultSettings };
  if (msg.cmd === 'faults') {
    sim.faults.clear();
    sim.faults.set(msg.set ?? {});
    say({ id: msg.id, ok: true });
  } else if (msg.cmd === 'clock') {
    say({ id: msg.id, ok: true, now: performance.timeOrigin + performance.now() });
  } else if (msg.cmd === 'stop') {
    await sim.stop();
    say({ id: msg.id, ok: true });
    process.exit(0);
  }
}
await sim.stop();
