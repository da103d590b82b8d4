/**
 * The last dataset list fetched for each profile, `cache/datasets-<profileId>.json`, so
 * the app can show datasets at once (and offline) while it fetches a fresh list.
 *
 * Tenants can have 100,000 datasets: the file is one compact JSON write (no indentation),
 * atomic like every other file. It is a cache: an unreadable one is reported to the log
 * and deleted, never in the way.
 */
import { rm, unlink } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { DatasetSummary } from '../../../preload/contract';
import { appError } from '../errors';
import { JsonFile } from '../platform/storage/json-file';
import { saveFailure } from '../platform/storage/save-failure';
import { checkProfileId } from '../validate/profile-id';
import type { Log } from '../platform/log';

export const CachedDatasets = z.object({
  fetchedAt: z.number().finite(),
  datasets: z.array(DatasetSummary),
});
export type CachedDatasets = z.infer<typeof CachedDatasets>;

export interface DatasetCache {
  /** Null when there is no usable cache. */
  read(profileId: string): Promise<CachedDatasets | null>;
  write(profileId: string, datasets: DatasetSummary[], fetchedAt: number): Promise<void>;
  remove(profileId: string): Promise<void>;
}

export interface DatasetCacheOptions {
  dataDir: string;
  log?: Pick<Log, 'warn'>;
}

const VERSION = 1;

const StoredCache = CachedDatasets.nullable();

export function createDatasetCache({ dataDir, log }: DatasetCacheOptions): DatasetCache {
  const dir = path.join(dataDir, 'cache');
  const fileOf = (profileId: string) => path.join(dir, `datasets-${profileId}.json`);
  const json = (profileId: string) => new JsonFile(fileOf(profileId), StoredCache, VERSION, () => null, { pretty: false });
  // Writes and removals of one profile's cache run in order, so the last call wins.
  const queues = new Map<string, Promise<unknown>>();
  const serial = <T>(profileId: string, fn: () => Promise<T>): Promise<T> => {
    const run = (queues.get(profileId) ?? Promise.resolve()).then(fn, fn);
    const settled = run.catch(() => undefined);
    queues.set(profileId, settled);
    void settled.then(() => {
      if (queues.get(profileId) === settled) queues.delete(profileId);
    });
    return run;
  };
  let cleaned = false;

  return {
    read: async (profileId) => {
      checkProfileId(profileId);
      if (!cleaned) {
        cleaned = true;
        await JsonFile.removeStaleTemps(dir);
      }
      try {
        const loaded = await json(profileId).load();
        if (loaded.problem) {
          log?.warn(`dataset cache set aside: ${loaded.problem.message}`);
          // Nothing in a cache is worth keeping: the next fetch rebuilds it.
          if (loaded.problem.movedTo) await unlink(loaded.problem.movedTo).catch(() => undefined);
        }
        return loaded.value;
      } catch (err) {
        log?.warn('dataset cache could not be read', (err as NodeJS.ErrnoException)?.code ?? String(err));
        return null;
      }
    },

    write: (profileId, datasets, fetchedAt) => {
      checkProfileId(profileId);
      return serial(profileId, async () => {
        try {
          await json(profileId).save({ fetchedAt, datasets });
        } catch (err) {
          if (err instanceof z.ZodError) {
            throw appError('storage', 'The dataset list could not be cached because it is not in the expected form.', 'Refresh the list. If it keeps happening, copy diagnostics from Settings and report it.', {}, err);
          }
          throw saveFailure('the dataset list', 'the Gaia Desktop data folder', err);
        }
      });
    },

    remove: (profileId) => {
      checkProfileId(profileId);
      return serial(profileId, () => rm(fileOf(profileId), { force: true }));
    },
  };
}
