/** Starts bench/sim-child.ts and talks to it (faults, clock, stop). */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { FaultSettings } from '../../test/gaia-sim';
import { ROOT, TSX } from './paths';

export interface SimProcess {
  baseUrl: string;
  origin: string;
  caPem: string;
  demoKey: string;
  pid: number;
  faults(set: FaultSettings): Promise<void>;
  /** The simulator's clock (performance.timeOrigin + now()), for the offset check. */
  clock(): Promise<number>;
  stop(): Promise<void>;
}

export async function startSimProcess(datasets: 'demo' | number): Promise<SimProcess> {
  const child = spawn(TSX, [path.join(ROOT, 'bench/sim-child.ts'), String(datasets)], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const waiting = new Map<number, (msg: Record<string, unknown>) => void>();
  let nextId = 1;
  const ready = new Promise<Record<string, unknown>>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the simulator exited with ${code}`)));
    lines.on('line', (line) => {
      const msg = JSON.parse(line) as Record<string, unknown>;
      if (msg.type === 'ready') resolve(msg);
      else waiting.get(msg.id as number)?.(msg);
    });
  });
  const info = await ready;
  const call = (cmd: string, extra: object = {}) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const id = nextId++;
      waiting.set(id, (msg) => {
        waiting.delete(id);
        resolve(msg);
      });
      child.stdin!.write(`${JSON.stringify({ id, cmd, ...extra })}\n`);
    });
  return {
    baseUrl: info.baseUrl as string,
    origin: info.origin as string,
    caPem: info.caPem as string,
    demoKey: info.demoKey as string,
    pid: child.pid!,
    faults: async (set) => void (await call('faults', { set })),
    clock: async () => (await call('clock')).now as number,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      void call('stop');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
