/**
 * What the composer offers and remembers: the saved settings (datasets, model, language)
 * of the active profile, the tenant's datasets and models, and whether history is kept.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DatasetSummary, Response } from '../../../../preload/contract';
import { gaia } from '../../../api';
import type { AskIntent } from '../../../navigation';
import { useModels, useSettings } from '../../../queries';
import { toProblem } from '../../../ui/errors';

export type ComposerSettings = Response<'gaia:composer.get'>;
export type LlmOption = Response<'gaia:llms.list'>['llms'][number];

export interface ComposerData {
  settings: ComposerSettings;
  /** Sets and saves (once the saved settings have been read, so they are not overwritten). */
  saveSettings(next: ComposerSettings): void;
  /** The datasets a conversation asked, for its follow-ups. */
  adoptDatasets(datasetNames: string[]): void;
  datasets: DatasetSummary[] | null;
  datasetNote: string | null;
  llms: LlmOption[] | null;
  llmNote: string | null;
  historyOff: boolean;
  /** The saved settings have been read (or could not be). */
  ready: boolean;
}

export function useComposerData(intent: AskIntent | null, profileId: string): ComposerData {
  const [settings, setSettings] = useState<ComposerSettings>({ datasetNames: intent?.datasetNames ?? [], llmId: null, languageCode: null });
  const loaded = useRef(false);
  // What the user changed before the saved settings arrived: kept over them, not lost.
  const early = useRef<Partial<ComposerSettings>>({});
  const [ready, setReady] = useState(false);
  const [datasets, setDatasets] = useState<DatasetSummary[] | null>(null);
  const [datasetNote, setDatasetNote] = useState<string | null>(null);
  const models = useModels(profileId);
  const llms = models.data?.llms ?? null;
  const llmNote = models.isError ? `The model list is not available (${toProblem(models.error).message}) Gaia’s default model answers.` : null;
  // The shared settings query: a change made in Settings shows here without a second read.
  const historyOff = useSettings().data?.keepHistory === false;

  useEffect(() => {
    let alive = true;
    gaia.composer.get({}).then(
      (saved) => {
        if (!alive) return;
        loaded.current = true;
        const base = intent ? { ...saved, datasetNames: intent.datasetNames } : saved;
        const changed = early.current;
        const next = { ...base, ...changed };
        setSettings(next);
        if (Object.keys(changed).length) gaia.composer.save(next).catch(() => undefined);
        setReady(true);
      },
      () => {
        if (!alive) return;
        loaded.current = true;
        setReady(true);
      },
    );
    gaia.datasets.list({ requestId: crypto.randomUUID() }).then(
      (r) => {
        if (!alive) return;
        setDatasets(r.datasets);
        setDatasetNote(r.error ? `Showing the datasets saved earlier: ${r.error.message}` : null);
      },
      (err: unknown) => {
        if (!alive) return;
        setDatasets(null);
        setDatasetNote(`The dataset list is not available (${toProblem(err).message}) Type dataset names exactly as Gaia spells them, and press Enter.`);
      },
    );
    return () => {
      alive = false;
    };
  }, [intent]);

  const apply = useCallback((change: (s: ComposerSettings) => ComposerSettings) => {
    setSettings((s) => {
      const next = change(s);
      if (loaded.current) gaia.composer.save(next).catch(() => undefined);
      else early.current = { ...early.current, ...changedFields(s, next) };
      return next;
    });
  }, []);
  const saveSettings = useCallback((next: ComposerSettings) => apply(() => next), [apply]);
  const adoptDatasets = useCallback((datasetNames: string[]) => apply((s) => ({ ...s, datasetNames })), [apply]);

  return { settings, saveSettings, adoptDatasets, datasets, datasetNote, llms, llmNote, historyOff, ready };
}

function changedFields(before: ComposerSettings, after: ComposerSettings): Partial<ComposerSettings> {
  const out: Partial<ComposerSettings> = {};
  if (before.datasetNames.join('\n') !== after.datasetNames.join('\n')) out.datasetNames = after.datasetNames;
  if (before.llmId !== after.llmId) out.llmId = after.llmId;
  if (before.languageCode !== after.languageCode) out.languageCode = after.languageCode;
  return out;
}
