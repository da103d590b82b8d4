/**
 * Settings, in sections with a table of contents. A new section is one entry in SECTIONS
 * (id, title, icon, component): the page, its contents list and the palette's "Open
 * settings" need nothing else.
 */
import { useQueryClient } from '@tanstack/react-query';
import { Bot, FolderOpen, History, Info, KeyRound, LifeBuoy, Monitor, Palette as PaletteIcon, type LucideIcon } from 'lucide-react';
import { useId, useState, type ComponentType } from 'react';
import type { AppErrorInfo, AppInfo, Settings } from '../../../preload/contract';
import { gaia } from '../../api';
import { useAppInfo, useSettings, useUpdateSettings } from '../../queries';
import { useSession } from '../../session';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { copyText } from '../../ui/clipboard';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { toProblem } from '../../ui/errors';
import { LocalAssistants } from './LocalAssistants';
import { useCurrentSection } from './useCurrentSection';

interface SectionProps {
  settings: Settings;
  update(patch: Partial<Settings>): void;
}

function Row({ label, hint, control, htmlFor }: { label: string; hint?: string; control: React.ReactNode; htmlFor?: string }) {
  const hintId = useId();
  return (
    <div className="settings-row">
      <div>
        {htmlFor ? <label htmlFor={htmlFor}>{label}</label> : <span className="settings-label">{label}</span>}
        {hint && (
          <p className="hint" id={hintId}>
            {hint}
          </p>
        )}
      </div>
      {control}
    </div>
  );
}

function Appearance({ settings, update }: SectionProps) {
  const id = useId();
  return (
    <Row
      label="Theme"
      htmlFor={id}
      hint="Follow the system, or keep light or dark."
      control={
        <select id={id} value={settings.theme} onChange={(e) => update({ theme: e.target.value as Settings['theme'] })}>
          <option value="system">Follow the system</option>
          <option value="light">Light</option>
          <option value="dark">Dark</option>
        </select>
      }
    />
  );
}

function HistorySection({ settings, update }: SectionProps) {
  const id = useId();
  const client = useQueryClient();
  const { active } = useSession();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<AppErrorInfo | null>(null);
  const clear = async () => {
    setBusy(true);
    try {
      const { deleted } = await gaia.history.clear({});
      setResult(deleted === 1 ? 'Deleted 1 conversation from this computer.' : `Deleted ${deleted} conversations from this computer.`);
      setError(null);
      await client.invalidateQueries({ queryKey: ['conversations'] });
    } catch (err) {
      setError(toProblem(err));
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };
  return (
    <>
      <Row
        label="Keep a local history of questions and answers"
        htmlFor={id}
        hint="Stored in the data folder on this computer only."
        control={<input id={id} type="checkbox" role="switch" className="switch" checked={settings.keepHistory} onChange={(e) => update({ keepHistory: e.target.checked })} />}
      />
      <Row
        label="Clear local history"
        hint={active ? `Deletes every conversation of “${active.name}” from this computer. Copies on Gaia stay.` : 'Connect first: history is kept per connection.'}
        control={
          <button type="button" className="danger" disabled={!active || busy} onClick={() => setConfirming(true)}>
            Clear local history…
          </button>
        }
      />
      {result && (
        <p role="status" className="hint">
          {result}
        </p>
      )}
      {error && <ErrorNotice error={error} />}
      {confirming && (
        <ConfirmDialog title="Clear the local history?" confirmLabel="Clear history" danger busy={busy} onConfirm={() => void clear()} onCancel={() => setConfirming(false)}>
          Every conversation of “{active?.name}” is deleted from this computer. This cannot be undone. Conversations kept on Gaia are not touched.
        </ConfirmDialog>
      )}
    </>
  );
}

function KeysSection({ settings, update }: SectionProps) {
  const id = useId();
  const [draft, setDraft] = useState(String(settings.keyAgeWarningDays));
  const days = Number(draft);
  const valid = Number.isInteger(days) && days >= 1 && days <= 3650;
  return (
    <>
      <Row
        label="Remind me to rotate a key older than (days)"
        htmlFor={id}
        hint="Key services advise rotating keys regularly. Each connection can also have its own expiry date."
        control={
          <input
            id={id}
            type="number"
            min={1}
            max={3650}
            value={draft}
            aria-invalid={!valid}
            aria-describedby={valid ? undefined : `${id}-error`}
            style={{ width: '7rem' }}
            onChange={(e) => {
              setDraft(e.target.value);
              const next = Number(e.target.value);
              if (Number.isInteger(next) && next >= 1 && next <= 3650) update({ keyAgeWarningDays: next });
            }}
          />
        }
      />
      {!valid && (
        <p className="field-error" id={`${id}-error`}>
          Enter a whole number of days from 1 to 3650.
        </p>
      )}
    </>
  );
}

/**
 * Only the installed app on macOS and Windows can be opened at login (Electron has no login
 * items on Linux, and the preview is not an app the OS can start): elsewhere the switch says
 * so instead of seeming to work. It stays usable while on, so it can always be turned off.
 */
function loginItemHint(info: AppInfo | undefined): string | undefined {
  if (!info) return undefined;
  if (info.shell !== 'electron') return 'Only the installed app can open at login; this browser preview cannot.';
  if (info.platform === 'linux') return 'Not available on Linux yet: add Gaia Desktop to your desktop’s startup applications instead.';
  return undefined;
}

function SystemSection({ settings, update }: SectionProps) {
  const id = useId();
  const { data: info } = useAppInfo();
  const hint = loginItemHint(info);
  return (
    <Row
      label="Open Gaia Desktop when I log in"
      hint={hint}
      htmlFor={id}
      control={
        <input
          id={id}
          type="checkbox"
          role="switch"
          className="switch"
          checked={settings.openAtLogin}
          disabled={hint !== undefined && !settings.openAtLogin}
          onChange={(e) => update({ openAtLogin: e.target.checked })}
        />
      }
    />
  );
}

function SupportSection() {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    const { text } = await gaia.app.diagnostics({});
    setState((await copyText(text)) ? 'copied' : 'failed');
  };
  return (
    <Row
      label="Diagnostics"
      hint="Version, system and recent log lines for a support ticket. No keys are included."
      control={
        <div className="row">
          <button type="button" onClick={() => void copy()}>
            Copy diagnostics
          </button>
          <span role="status" className="small">
            {state === 'copied' ? 'Diagnostics copied — no keys are included.' : state === 'failed' ? 'The clipboard refused the copy.' : ''}
          </span>
        </div>
      }
    />
  );
}

function AboutSection() {
  const { data: info } = useAppInfo();
  const [message, setMessage] = useState<string | null>(null);
  if (!info) return null;
  const open = async (folder: 'data' | 'logs', path: string) => {
    const { opened } = await gaia.app.openFolder({ folder });
    setMessage(opened ? null : `This preview cannot open folders. The folder is ${path}`);
  };
  const facts: [string, string][] = [
    ['Version', `${info.name} ${info.version}`],
    ['System', `${info.platform} ${info.arch}${info.shell === 'preview' ? ' (browser preview)' : ''}`],
    ['Electron', info.versions.electron ?? '—'],
    ['Chrome', info.versions.chrome ?? '—'],
    ['Node', info.versions.node],
  ];
  return (
    <>
      <dl className="about-facts">
        {facts.map(([label, value]) => (
          <div key={label} style={{ display: 'contents' }}>
            <dt>{label}</dt>
            <dd style={{ gridColumn: 'span 2' }}>{value}</dd>
          </div>
        ))}
        {(
          [
            ['Data folder', 'data', info.dataDir],
            ['Log folder', 'logs', info.logDir],
          ] as const
        ).map(([label, folder, path]) => (
          <div key={folder} style={{ display: 'contents' }}>
            <dt>{label}</dt>
            <dd>
              <code>{path}</code>
            </dd>
            <dd>
              <button type="button" aria-label={`Open ${label.toLowerCase()}`} onClick={() => void open(folder, path)}>
                <FolderOpen size={16} aria-hidden />
                Open
              </button>
            </dd>
          </div>
        ))}
      </dl>
      {message && (
        <p role="status" className="hint">
          {message}
        </p>
      )}
    </>
  );
}

interface Section {
  id: string;
  title: string;
  icon: LucideIcon;
  component: ComponentType<SectionProps>;
}

/** The sections, in order. Add a section here (e.g. local assistants) and it appears in the page and its contents. */
export const SECTIONS: Section[] = [
  { id: 'appearance', title: 'Appearance', icon: PaletteIcon, component: Appearance },
  { id: 'history', title: 'History', icon: History, component: HistorySection },
  { id: 'keys', title: 'Keys', icon: KeyRound, component: KeysSection },
  { id: 'assistants', title: 'Local assistants', icon: Bot, component: LocalAssistants },
  { id: 'system', title: 'System', icon: Monitor, component: SystemSection },
  { id: 'support', title: 'Support', icon: LifeBuoy, component: SupportSection },
  { id: 'about', title: 'About', icon: Info, component: AboutSection },
];

const SECTION_IDS = SECTIONS.map((s) => `settings-${s.id}`);
const NO_SECTIONS: string[] = [];

export function SettingsPage() {
  const { data: settings, error: loadError } = useSettings();
  const [current, setCurrent] = useCurrentSection(settings ? SECTION_IDS : NO_SECTIONS);
  const mutation = useUpdateSettings();
  const error = loadError ? toProblem(loadError) : mutation.error ? toProblem(mutation.error) : null;
  return (
    <>
      <h1>Settings</h1>
      {error && <ErrorNotice error={error} />}
      {settings && (
        <div className="settings-page">
          <nav className="settings-toc" aria-label="Settings sections">
            {SECTIONS.map((s) => (
              <a key={s.id} href={`#settings-${s.id}`} aria-current={current === `settings-${s.id}` ? 'location' : undefined} onClick={(e) => {
                e.preventDefault();
                setCurrent(`settings-${s.id}`);
                const target = document.getElementById(`settings-${s.id}`);
                target?.scrollIntoView({ block: 'start' });
                target?.querySelector<HTMLElement>('h2')?.focus();
              }}>
                {s.title}
              </a>
            ))}
          </nav>
          <div className="settings-sections">
            {SECTIONS.map((s) => (
              <section key={s.id} id={`settings-${s.id}`} className="panel settings-section" aria-labelledby={`settings-${s.id}-title`}>
                <h2 id={`settings-${s.id}-title`} tabIndex={-1}>
                  <s.icon size={18} aria-hidden />
                  {s.title}
                </h2>
                <s.component settings={settings} update={(patch) => mutation.mutate(patch)} />
              </section>
            ))}
          </div>
        </div>
      )}
    </>
  );
}
