/**
 * CPU time of the processes a measurement runs on, from Linux's per-thread scheduler
 * statistics (/proc/<pid>/task/<tid>/schedstat: nanoseconds on a CPU), grouped by role:
 * this bench process, the simulator, the preview, and Chromium's renderer and other
 * processes. On a machine with few cores these share the CPUs, so a throughput row
 * reads better with what each side cost. Elsewhere (no /proc) it reports nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';

export type CpuByRole = Record<string, number>;

function roleOf(cmdline: string, pid: number, preview: number | undefined): string | null {
  if (pid === process.pid) return 'bench';
  if (pid === preview) return 'preview';
  if (cmdline.includes('sim-child')) return 'simulator';
  if (/chrom/i.test(cmdline)) return /--type=renderer/.test(cmdline) ? 'chromium renderer' : 'chromium other';
  return null;
}

/** CPU ms so far of this process and its descendants, by role; null where /proc is not readable. */
export function cpuByRole(previewPid?: number): CpuByRole | null {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return null;
  }
  const parent = new Map<number, number>();
  const cmd = new Map<number, string>();
  for (const d of entries) {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      cmd.set(Number(d), readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' '));
    } catch {
      // gone meanwhile
    }
  }
  const ours = (pid: number) => {
    for (let p: number | undefined = pid, hops = 0; p && p > 1 && hops < 64; hops++) {
      if (p === process.pid) return true;
      p = parent.get(p);
    }
    return false;
  };
  const out: CpuByRole = {};
  for (const [pid, line] of cmd) {
    if (!ours(pid)) continue;
    // A tsx wrapper and the node it starts both say sim-child; only threads that ran count.
    const role = roleOf(line, pid, previewPid);
    if (!role) continue;
    let ns = 0;
    try {
      for (const t of readdirSync(`/proc/${pid}/task`)) ns += Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      continue;
    }
    out[role] = (out[role] ?? 0) + ns / 1e6;
  }
  return out;
}

/** What each role used between two readings (ms). */
export function cpuSpent(before: CpuByRole | null, after: CpuByRole | null): CpuByRole | null {
  if (!before || !after) return null;
  return Object.fromEntries(Object.entries(after).map(([role, ms]) => [role, ms - (before[role] ?? 0)]));
}
