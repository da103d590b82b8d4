/**
 * The question box and what it asks over, in one card: the question on top; the chosen
 * datasets, the model and the answer language underneath, beside Send. Enter sends,
 * Shift+Enter starts a new line (and Enter while an IME is composing is left alone).
 * While an answer streams in this conversation, Send becomes Stop (Escape stops too).
 */
import { useId, useRef, useState, type FormEvent, type KeyboardEvent, type RefObject } from 'react';
import { ArrowUp, Square } from 'lucide-react';
import type { DatasetSummary } from '../../../preload/contract';
import { DatasetPicker } from './DatasetPicker';
import { LANGUAGES, languageName } from './format';
import type { ComposerSettings, LlmOption } from './hooks/useComposerData';

/** Drafts survive switching pages, per profile. */
const drafts = new Map<string, string>();

export function Composer({
  profileId,
  savedDraft,
  onDraft,
  settings,
  onSettings,
  datasets,
  datasetNote,
  llms,
  llmNote,
  running,
  onAsk,
  onStop,
  inputRef,
}: {
  profileId: string;
  /** The unsent question from before the app was last closed. */
  savedDraft: string | null;
  onDraft: (draft: string) => void;
  settings: ComposerSettings;
  onSettings: (next: ComposerSettings) => void;
  datasets: DatasetSummary[] | null;
  datasetNote: string | null;
  llms: LlmOption[] | null;
  llmNote: string | null;
  running: boolean;
  /** Resolves false when the question could not be sent (the text is kept then). */
  onAsk: (question: string) => Promise<boolean>;
  onStop: () => void;
  /** The question box, for the page to focus (after "New conversation"). */
  inputRef?: RefObject<HTMLTextAreaElement | null>;
}) {
  const [question, setQuestionState] = useState(() => drafts.get(profileId) ?? savedDraft ?? '');
  const [sending, setSending] = useState(false);
  const ownRef = useRef<HTMLTextAreaElement>(null);
  const textRef = inputRef ?? ownRef;
  const hintId = useId();

  const setQuestion = (value: string) => {
    drafts.set(profileId, value);
    setQuestionState(value);
    onDraft(value);
  };

  const problem = settings.datasetNames.length ? null : 'Choose at least one dataset.';
  const canSend = !running && !sending && question.trim() !== '' && settings.datasetNames.length > 0;

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (!canSend) return;
    const asked = question.trim();
    setSending(true);
    setQuestion('');
    const ok = await onAsk(asked);
    setSending(false);
    if (!ok) setQuestion(asked);
    textRef.current?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.nativeEvent.isComposing) return;
    if (event.key === 'Enter' && !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      void submit();
    } else if (event.key === 'Escape' && running) {
      event.preventDefault();
      onStop();
    }
  };

  const lines = question.split('\n').length;
  const llmValue = settings.llmId ?? '';
  const known = llms?.some((l) => l.id === llmValue && !l.isDisabled) ?? false;

  return (
    <form className="composer" aria-label="Ask a question" onSubmit={(e) => void submit(e)}>
      <div className="composer-card">
        <textarea
          ref={textRef}
          // Ask is where work happens: with a connection active, typing starts right away.
          autoFocus
          aria-label="Question"
          aria-describedby={hintId}
          placeholder={settings.datasetNames.length ? 'Ask about the chosen datasets…' : 'Choose a dataset below, then ask…'}
          rows={Math.min(8, Math.max(1, lines))}
          value={question}
          onChange={(e) => setQuestion(e.target.value)}
          onKeyDown={onKeyDown}
        />
        <div className="composer-bar">
          <DatasetPicker selected={settings.datasetNames} onChange={(datasetNames) => onSettings({ ...settings, datasetNames })} datasets={datasets} note={datasetNote} />
          <div className="composer-options">
            <label className="pill-select" title={llmNote ?? 'The model that writes the answer'}>
              <select aria-label="Model" value={known ? llmValue : ''} onChange={(e) => onSettings({ ...settings, llmId: e.target.value || null })}>
                <option value="">Gaia’s default model</option>
                {(llms ?? []).map((l) => (
                  <option key={l.id} value={l.id} disabled={l.isDisabled}>
                    {l.name}
                    {l.isDefault ? ' (default)' : ''}
                    {l.isDisabled ? ' — not available' : ''}
                  </option>
                ))}
              </select>
            </label>
            <label className="pill-select" title="The language of the answer">
              <select aria-label="Answer language" value={settings.languageCode ?? ''} onChange={(e) => onSettings({ ...settings, languageCode: e.target.value || null })}>
                <option value="">Any language</option>
                {LANGUAGES.map((code) => (
                  <option key={code} value={code}>
                    {languageName(code)}
                  </option>
                ))}
              </select>
            </label>
            {running ? (
              <button type="button" className="send-button stop" aria-label="Stop" title="Stop (Escape)" onClick={onStop}>
                <Square size={14} aria-hidden="true" fill="currentColor" />
              </button>
            ) : (
              <button type="submit" className="send-button" aria-label={sending ? 'Sending…' : 'Send'} title="Send (Enter)" disabled={!canSend}>
                <ArrowUp size={18} aria-hidden="true" />
              </button>
            )}
          </div>
        </div>
      </div>
      <p id={hintId} className={`muted small composer-hint${running || problem || llmNote ? '' : ' keys-only'}`}>
        {running ? 'An answer is arriving. Stop it (or press Escape) to ask something else here.' : (problem ?? (llmNote || 'Enter sends · Shift+Enter starts a new line'))}
      </p>
    </form>
  );
}
