import type { DatasetHealth } from '../../../preload/contract';
import { HEALTH_LABEL } from './format';

/** Health in words (never colour alone), with a progress bar while indexing. */
export function HealthBadge({ health }: { health: DatasetHealth }) {
  // The dot is the badge's ::before: one element, where the table shows one per row.
  // The table's rows write the same markup themselves (rowCells.ts).
  return <span className={`ds-health ds-health-${health}`}>{HEALTH_LABEL[health]}</span>;
}

export function ProgressBar({ value, label }: { value: number; label: string }) {
  const pct = Math.max(0, Math.min(100, Math.round(value)));
  return (
    <span className="ds-progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} title={`${pct}%`}>
      <span className="ds-progress-fill" style={{ width: `${pct}%` }} />
    </span>
  );
}
