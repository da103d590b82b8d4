/** The connection forms' fields: a label (optionally "(optional)"), its input, what it says about itself, and an error shown at it. */
import type { InputHTMLAttributes, ReactNode, Ref } from 'react';
import type { AppErrorInfo } from '../../../preload/contract';

/** An error shown at its field: what happened and what to do, tied to the input by aria-describedby. */
export function FieldError({ id, error }: { id: string; error: AppErrorInfo | null }) {
  if (!error) return null;
  return (
    <div className="field-error" id={id} role="alert" data-kind={error.kind}>
      <p className="error-message">{error.message}</p>
      <p className="error-action">{error.action}</p>
    </div>
  );
}

export const PROXY_PLACEHOLDER = 'http://proxy.example.com:3128';

export function TextField({
  id,
  label,
  optional,
  inputRef,
  after,
  error,
  errorId,
  hint,
  ...input
}: InputHTMLAttributes<HTMLInputElement> & {
  id: string;
  label: string;
  optional?: boolean;
  inputRef?: Ref<HTMLInputElement>;
  /** Shown right under the input (e.g. what the address will be read as). */
  after?: ReactNode;
  /** The error about this field, shown under it with the id the input's aria-describedby names. */
  error?: AppErrorInfo | null;
  errorId?: string;
  hint?: ReactNode;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {optional && (
          <>
            {' '}
            <span className="optional">(optional)</span>
          </>
        )}
      </label>
      <input id={id} ref={inputRef} {...input} />
      {after}
      {error && errorId && <FieldError id={errorId} error={error} />}
      {hint && <p className="hint">{hint}</p>}
    </div>
  );
}
