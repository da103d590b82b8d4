import type { Response } from '../../../preload/contract';

/** What main said about the base URL: a problem (with the fix), warnings, and the form it will be saved in. */
export function UrlHints({ id, check, original }: { id: string; check: Response<'gaia:profiles.checkUrl'> | null; original: string }) {
  if (!check) return <div id={id} className="field-hints" aria-live="polite" />;
  return (
    <div id={id} className="field-hints" aria-live="polite">
      {check.error && (
        <p className="hint hint-error">
          {check.error.message} {check.error.action}
        </p>
      )}
      {check.warnings.map((w) => (
        <p key={w} className="hint hint-warn">
          {w}
        </p>
      ))}
      {check.normalized && check.normalized !== original.trim() && (
        <p className="hint">
          Will be saved as <code>{check.normalized}</code>
        </p>
      )}
    </div>
  );
}
