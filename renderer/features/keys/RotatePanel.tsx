import { useEffect, useRef, useState } from 'react';
import type { AppErrorInfo, EventPayload, Profile } from '../../../preload/contract';
import { GaiaError } from '../../../preload/gaia-error';
import { gaia } from '../../api';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { ProblemNotice } from '../../ui/ProblemNotice';

type Progress = EventPayload<'gaia:keys.rotateProgress'>;
type Step = Progress['step'];
type StepState = Progress['state'] | 'waiting';

const STEPS: Array<{ step: Step; label: string }> = [
  { step: 'create', label: 'Create a new key on Gaia' },
  { step: 'validate', label: 'Check that the new key works' },
  { step: 'switch', label: 'Switch this connection to the new key' },
  { step: 'delete-old', label: 'Delete the old key on Gaia' },
];

const STATE_LABELS: Record<StepState, string> = {
  waiting: 'Waiting',
  running: 'In progress',
  done: 'Done',
  failed: 'Failed',
  skipped: 'Skipped',
};

function newRequestId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

const waiting = (): Record<Step, { state: StepState; message: string }> => ({
  create: { state: 'waiting', message: '' },
  validate: { state: 'waiting', message: '' },
  switch: { state: 'waiting', message: '' },
  'delete-old': { state: 'waiting', message: '' },
});

/**
 * Rotation, step by step: main creates a new key, checks it, switches the connection to
 * it and deletes the old one, reporting each step as it goes. If a step fails the
 * connection stays on a working key, and what is left to clean up is said here.
 */
export function RotatePanel({
  profile,
  keyAgeDays,
  keyAgeWarningDays,
  onRotated,
  onFailed,
}: {
  profile: Profile;
  keyAgeDays: number | null;
  keyAgeWarningDays: number;
  onRotated: (message: string) => void;
  onFailed: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const [running, setRunning] = useState(false);
  const [steps, setSteps] = useState<ReturnType<typeof waiting> | null>(null);
  const [error, setError] = useState<AppErrorInfo | null>(null);
  const [leftover, setLeftover] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const requestId = useRef<string | null>(null);

  // Subscribed while the page is open, so the event stream is ready before a rotation starts.
  useEffect(
    () =>
      gaia.keys.onRotateProgress((p) => {
        if (p.requestId !== requestId.current) return;
        setSteps((s) => ({ ...(s ?? waiting()), [p.step]: { state: p.state, message: p.message } }));
      }),
    [],
  );

  const rotate = async () => {
    setConfirming(false);
    const id = newRequestId();
    requestId.current = id;
    setRunning(true);
    setSteps(waiting());
    setError(null);
    setLeftover(null);
    setDone(null);
    try {
      const result = await gaia.keys.rotate({ requestId: id, profileId: profile.id });
      // The answer is the final word, whatever progress events did or did not arrive.
      setSteps((s) => {
        const next = { ...(s ?? waiting()) };
        for (const { step } of STEPS) {
          if (step === 'delete-old' && result.leftover) {
            if (next[step].state !== 'failed' && next[step].state !== 'skipped') next[step] = { state: 'failed', message: result.leftover };
          } else if (next[step].state !== 'done') next[step] = { state: 'done', message: next[step].message };
        }
        return next;
      });
      setLeftover(result.leftover);
      setDone(`Rotated: “${result.profile.name}” now uses the key ending …${result.profile.key.last4 ?? ''}.`);
      onRotated(`Rotated the key of “${result.profile.name}”: it now uses the key ending …${result.profile.key.last4 ?? ''}.`);
    } catch (err) {
      if (!(err instanceof GaiaError)) throw err;
      setError(err.info);
      onFailed();
    } finally {
      setRunning(false);
    }
  };

  const old = keyAgeDays !== null && keyAgeDays >= keyAgeWarningDays;

  return (
    <section className="panel rotate" aria-labelledby="rotate-heading">
      <h2 id="rotate-heading">Rotate this connection’s key</h2>
      <p className="muted">
        Gaia Desktop creates a new key with the same permissions, checks that it works, switches “{profile.name}” to it, and then deletes the old key. If
        any step fails, the connection keeps a working key.
      </p>
      {old && (
        <p className="text-warn strong" role="note">
          The current key is {keyAgeDays} days old; rotating it is recommended after {keyAgeWarningDays} days.
        </p>
      )}
      <div className="row">
        <button type="button" onClick={() => setConfirming(true)} disabled={running || profile.key.storage === 'none'}>
          {running ? 'Rotating…' : 'Rotate key…'}
        </button>
        {profile.key.storage === 'none' && <span className="muted">This connection has no key to rotate.</span>}
      </div>
      {steps && (
        <ol className="rotate-steps" aria-label="Rotation steps">
          {STEPS.map(({ step, label }) => {
            const s = steps[step];
            return (
              <li key={step} className={`rotate-step state-${s.state}`} aria-label={`${label}: ${STATE_LABELS[s.state]}`}>
                <span className="step-mark" aria-hidden="true" />
                <div>
                  <div className="step-label">
                    {label} <span className="step-state">— {STATE_LABELS[s.state]}</span>
                  </div>
                  {s.message && <div className="step-message">{s.message}</div>}
                </div>
              </li>
            );
          })}
        </ol>
      )}
      <div aria-live="polite">
        {done && (
          <p className="notice notice-ok" role="status">
            {done}
          </p>
        )}
        {leftover && (
          <div className="notice notice-warn" role="alert">
            <p className="strong">Left to clean up</p>
            <p>{leftover}</p>
          </div>
        )}
      </div>
      {error && <ProblemNotice error={error} onRetry={() => void rotate()} />}
      {confirming && (
        <ConfirmDialog title={`Rotate the key of “${profile.name}”?`} confirmLabel="Rotate key" onCancel={() => setConfirming(false)} onConfirm={() => void rotate()}>
          <p>The current key (ending …{profile.key.last4 ?? ''}) stops working at the end. Other apps that use it will need the new key.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
