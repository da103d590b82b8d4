import type { DatasetHealth } from '../../../preload/contract';
import { HEALTH_LABEL } from './format';

/** Health in words (never colour alone), with a progress bar while indexing. */
export function HealthBadge({ health }: { health: DatasetHealth }) {
  return (
    <span className={`ds-health ds-health-${health}`}>
      <span className="ds-health-dot" aria-hidden="true" />
      {HEALTH_LABEL[health]}
    </span>
  );
}

export function ProgressBar({ value, label }: { value: number; label: string }) {
  const pct = Math.max(0, Math.min(100, Math.round(value)));
  return (
    <span className="ds-progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} title={`${pct}%`}>
      <span className="ds-progress-fill" style={{ width: `${pct}%` }} />
    </span>
  );
}

export function HealthCell({ health, progress, name }: { health: DatasetHealth; progress: number | null; name: string }) {
  return (
    <span className="ds-health-cell">
      <HealthBadge health={health} />
      {progress !== null && (
        <>
          <ProgressBar value={progress} label={`Indexing progress of ${name}`} />
          <span className="ds-progress-text">{Math.round(progress)}%</span>
        </>
      )}
    </span>
  );
}
