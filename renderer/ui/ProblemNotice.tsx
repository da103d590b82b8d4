import { useState } from 'react';
import type { AppErrorInfo } from '../../preload/contract';
import { GaiaError } from '../../preload/gaia-error';
import { gaia } from '../api';
import { ErrorNotice } from './ErrorNotice';

export const isKeychainProblem = (error: AppErrorInfo | null | undefined): boolean =>
  !!error && (error.kind === 'keychain-unavailable' || error.kind === 'keychain-timeout' || error.kind === 'keychain-failed');

/**
 * An error as the core worded it; when it is the keychain that failed, also the way out
 * the app offers: keep keys in memory for this session only, then do the same thing again.
 */
export function ProblemNotice({ error, onRetry }: { error: AppErrorInfo; onRetry?: () => void }) {
  const [switching, setSwitching] = useState(false);
  const [failure, setFailure] = useState<AppErrorInfo | null>(null);
  if (!isKeychainProblem(error)) return <ErrorNotice error={error} onRetry={onRetry} />;
  const sessionOnly = async () => {
    setSwitching(true);
    setFailure(null);
    try {
      await gaia.keychain.useSessionOnly({});
      onRetry?.();
    } catch (err) {
      if (err instanceof GaiaError) setFailure(err.info);
      else throw err;
    } finally {
      setSwitching(false);
    }
  };
  return (
    <>
      <ErrorNotice error={error} />
      <div className="keychain-fallback">
        <p>
          Without a keychain, Gaia Desktop can keep your key in memory until it quits. You will have to paste it again next time. It is never
          written to disk.
        </p>
        <div className="row">
          <button type="button" className="primary" onClick={() => void sessionOnly()} disabled={switching}>
            Keep keys for this session only
          </button>
          {onRetry && (
            <button type="button" onClick={onRetry} disabled={switching}>
              Try the keychain again
            </button>
          )}
        </div>
      </div>
      {failure && <ErrorNotice error={failure} />}
    </>
  );
}
