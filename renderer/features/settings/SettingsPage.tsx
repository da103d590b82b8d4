import { useEffect, useState } from 'react';
import type { AppErrorInfo, Settings } from '../../../preload/contract';
import { GaiaError } from '../../../preload/contract';
import { gaia } from '../../api';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { applyTheme } from '../../ui/useTheme';
import { LocalAssistants } from './LocalAssistants';

export function SettingsPage() {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [error, setError] = useState<AppErrorInfo | null>(null);
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    gaia.settings.get({}).then(setSettings, (e: unknown) => e instanceof GaiaError && setError(e.info));
  }, []);

  const update = async (patch: Partial<Settings>) => {
    try {
      const next = await gaia.settings.update(patch);
      setSettings(next);
      applyTheme(next.theme);
      setError(null);
    } catch (e) {
      if (e instanceof GaiaError) setError(e.info);
    }
  };

  const copyDiagnostics = async () => {
    const { text } = await gaia.app.diagnostics({});
    await navigator.clipboard.writeText(text);
    setCopied(true);
  };

  return (
    <>
      <h1>Settings</h1>
      {error && <ErrorNotice error={error} />}
      {settings && (
        <form className="settings" onSubmit={(e) => e.preventDefault()}>
          <label>
            Theme
            <select value={settings.theme} onChange={(e) => void update({ theme: e.target.value as Settings['theme'] })}>
              <option value="system">Follow the system</option>
              <option value="light">Light</option>
              <option value="dark">Dark</option>
            </select>
          </label>
          <label className="checkbox">
            <input type="checkbox" checked={settings.keepHistory} onChange={(e) => void update({ keepHistory: e.target.checked })} />
            Keep a local history of questions and answers
          </label>
          <label>
            Remind me to rotate a key older than (days)
            <input
              type="number"
              min={1}
              max={3650}
              value={settings.keyAgeWarningDays}
              onChange={(e) => {
                const days = Number(e.target.value);
                if (Number.isInteger(days) && days >= 1 && days <= 3650) void update({ keyAgeWarningDays: days });
              }}
            />
          </label>
          <label className="checkbox">
            <input type="checkbox" checked={settings.openAtLogin} onChange={(e) => void update({ openAtLogin: e.target.checked })} />
            Open Gaia Desktop when I log in
          </label>
          <div>
            <button type="button" onClick={() => void copyDiagnostics()}>
              Copy diagnostics
            </button>
            {copied && <span role="status"> Diagnostics copied — no keys are included.</span>}
          </div>
        </form>
      )}
      <LocalAssistants />
    </>
  );
}
