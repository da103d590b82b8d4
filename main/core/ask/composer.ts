/**
 * The composer's settings per profile (chosen datasets, model, language):
 * `composer/<profileId>.json`. Settings, not history, so they are kept whether or not
 * history is on.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { ComposerSettings } from '../../../preload/contract';
import type { Log } from '../platform/log';
import { JsonFile } from '../platform/storage/json-file';
import { saveFailure } from '../platform/storage/save-failure';
import { checkProfileId } from '../validate/profile-id';

export interface ComposerStore {
  get(profileId: string): Promise<ComposerSettings>;
  save(profileId: string, settings: ComposerSettings): Promise<ComposerSettings>;
  remove(profileId: string): Promise<void>;
}

const VERSION = 1;
const DEFAULT_COMPOSER = (): ComposerSettings => ({ datasetNames: [], llmId: null, languageCode: null });

export function createComposerStore({ dataDir, log }: { dataDir: string; log?: Pick<Log, 'warn'> }): ComposerStore {
  const fileOf = (profileId: string) => path.join(dataDir, 'composer', `${profileId}.json`);
  const composerFile = (profileId: string) => new JsonFile(fileOf(profileId), ComposerSettings, VERSION, DEFAULT_COMPOSER);
  return {
    get: async (profileId) => {
      checkProfileId(profileId);
      const loaded = await composerFile(profileId).load();
      if (loaded.problem) log?.warn(loaded.problem.message);
      return loaded.value;
    },
    save: async (profileId, settings) => {
      checkProfileId(profileId);
      const parsed = ComposerSettings.parse(settings);
      const value = { ...parsed, datasetNames: [...new Set(parsed.datasetNames)] };
      try {
        await composerFile(profileId).save(value);
      } catch (err) {
        throw saveFailure('your composer settings', 'the Gaia Desktop data folder', err);
      }
      return value;
    },
    remove: async (profileId) => {
      checkProfileId(profileId);
      await rm(fileOf(profileId), { force: true });
    },
  };
}
