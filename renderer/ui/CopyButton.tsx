import { useEffect, useState } from 'react';
import { copyText } from './clipboard';

/** A button that copies `text`, then says so for a moment (announced politely). */
export function CopyButton({ text, label, className }: { text: string | (() => string); label: string; className?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = window.setTimeout(() => setState('idle'), 2000);
    return () => window.clearTimeout(timer);
  }, [state]);
  const copy = async () => {
    const ok = await copyText(typeof text === 'function' ? text() : text);
    setState(ok ? 'copied' : 'failed');
  };
  return (
    <span className={`copy-button${className ? ` ${className}` : ''}`}>
      <button type="button" aria-label={label} title={label} onClick={() => void copy()}>
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Not copied' : label}
      </button>
      <span className="sr-only" role="status">
        {state === 'copied' ? 'Copied to the clipboard.' : state === 'failed' ? 'The clipboard refused the copy.' : ''}
      </span>
    </span>
  );
}
