import type { AppErrorInfo } from '../../preload/contract';
import { CodeSpans } from './CodeSpans';

/** What happened and what to do next, as the core worded it. Never raw server output. */
export function ErrorNotice({ error, onRetry }: { error: AppErrorInfo; onRetry?: () => void }) {
  return (
    <div className="error-notice" role="alert" data-kind={error.kind}>
      <p className="error-message"><CodeSpans text={error.message} /></p>
      <p className="error-action"><CodeSpans text={error.action} /></p>
      {error.fields && error.fields.length > 0 && (
        <ul className="error-fields">
          {error.fields.map((f) => (
            <li key={f.field}>
              <strong>{f.field}</strong>: {f.message}
            </li>
          ))}
        </ul>
      )}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
