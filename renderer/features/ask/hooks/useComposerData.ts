/**
 * What the composer offers and remembers: the saved settings (datasets, model, language)
 * of the active profile, the tenant's datasets and models, and whether history is kept.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DatasetSummary, Response } from '../../../../preload/contract';
import { gaia } from '../../../api';
import type { AskIntent } from '../../../navigation';
import { infoOf } from './errors';

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

export function useComposerData(intent: AskIntent | null): ComposerData {
  const [settings, setSettings] = useState<ComposerSettings>({ datasetNames: intent?.datasetNames ?? [], llmId: null, languageCode: null });
  const loaded = useRef(false);
  const [ready, setReady] = useState(false);
  const [datasets, setDatasets] = useState<DatasetSummary[] | null>(null);
  const [datasetNote, setDatasetNote] = useState<string | null>(null);
  const [llms, setLlms] = useState<LlmOption[] | null>(null);
  const [llmNote, setLlmNote] = useState<string | null>(null);
  const [historyOff, setHistoryOff] = useState(false);

  useEffect(() => {
    let alive = true;
    gaia.composer.get({}).then(
      (saved) => {
        if (!alive) return;
        loaded.current = true;
        setSettings(intent ? { ...saved, datasetNames: intent.datasetNames } : saved);
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
        setDatasetNote(`The dataset list is not available (${infoOf(err).message}) Type dataset names exactly as Gaia spells them, and press Enter.`);
      },
    );
    gaia.llms.list({}).then(
      (r) => alive && setLlms(r.llms),
      (err: unknown) => {
        if (!alive) return;
        setLlms(null);
        setLlmNote(`The model list is not available (${infoOf(err).message}) Gaia’s default model answers.`);
      },
    );
    gaia.settings.get({}).then(
      (s) => alive && setHistoryOff(!s.keepHistory),
      () => undefined,
    );
    return () => {
      alive = false;
    };
  }, [intent]);

  const saveSettings = useCallback((next: ComposerSettings) => {
    setSettings(next);
    if (loaded.current) gaia.composer.save(next).catch(() => undefined);
  }, []);

  const adoptDatasets = useCallback((datasetNames: string[]) => {
    setSettings((s) => {
      const next = { ...s, datasetNames };
      if (loaded.current) gaia.composer.save(next).catch(() => undefined);
      return next;
    });
  }, []);

  return { settings, saveSettings, adoptDatasets, datasets, datasetNote, llms, llmNote, historyOff, ready };
}
