/**
 * One row per figure: the measured value (median and p95 over repeated runs), its
 * baseline measured in the same run, the ratio, the target and whether it was met.
 * Rows that could not be measured say why, with no numbers.
 */
import type { Summary } from './stats';

export type Status = 'met' | 'MISSED' | 'info' | 'not measured';

export interface Row {
  id: string;
  section: string;
  figure: string;
  unit: string;
  value: Summary | null;
  baseline: ({ what: string } & Summary) | null;
  /** value.median / baseline.median. */
  ratio: number | null;
  target: string | null;
  status: Status;
  /** Shown after the status, e.g. "added p95 1.2 ms". */
  detail?: string;
  /** What exactly was measured, or why it was not. */
  note: string;
  extra?: Record<string, unknown>;
}

export function ratioOf(value: Summary | null, baseline: Summary | null): number | null {
  if (!value?.median || !baseline?.median) return null;
  return value.median / baseline.median;
}

export function notMeasured(id: string, section: string, figure: string, unit: string, target: string | null, why: string): Row {
  return { id, section, figure, unit, value: null, baseline: null, ratio: null, target, status: 'not measured', note: why };
}

const fmt = (v: number | null | undefined, unit: string): string => {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  const digits = unit === 'KB' || unit === 'MB' ? 1 : Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2;
  return v.toFixed(digits);
};

export function table(rows: Row[]): string {
  const head = ['#', 'figure', 'unit', 'n', 'median', 'p95', 'baseline median', 'baseline p95', 'ratio', 'target', 'result'];
  const body = rows.map((r) => [
    r.section,
    r.figure,
    r.unit,
    r.value ? String(r.value.n) : '—',
    fmt(r.value?.median, r.unit),
    fmt(r.value?.p95, r.unit),
    fmt(r.baseline?.median, r.unit),
    fmt(r.baseline?.p95, r.unit),
    r.ratio === null ? '—' : r.ratio.toFixed(2),
    r.target ?? '—',
    r.status === 'not measured' ? `not measured: ${r.note}` : r.detail ? `${r.status} (${r.detail})` : r.status,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => (i === 10 ? 0 : row[i].length))));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 10 ? c : i >= 3 && i <= 8 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 10 ? '---' : `${i >= 3 && i <= 8 ? '-'.repeat(w + 1) + ':' : '-'.repeat(w + 2)}`)).join('|')}|`;
  return [line(head), rule, ...body.map(line)].join('\n');
}
