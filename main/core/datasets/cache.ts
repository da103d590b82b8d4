/**
 * The last dataset list fetched for each profile, `cache/datasets-<profileId>.json`, so
 * the app can show datasets at once (and offline) while it fetches a fresh list.
 *
 * Tenants can have 100,000 datasets: the file is compact JSON (no indentation), written
 * atomically like every other file (a temp file next to it, fsync, rename) — and in
 * pieces of a few thousand datasets, so writing 100,000 never holds a second copy of the
 * whole list as one string. It is a cache: an unreadable one is reported to the log and
 * deleted, never in the way. Reads go through JsonFile, which checks the contents.
 */
import { randomInt } from 'node:crypto';
import { mkdir, open, rename, rm, unlink } from 'node:fs/promises';
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
  /** Where the list was fetched (server and tenant): a list that ends after its connection moved must not pass for the new place's. Absent in files written before it was kept. */
  place: z.string().max(16 * 1024).optional(),
  datasets: z.array(DatasetSummary),
});
export type CachedDatasets = z.infer<typeof CachedDatasets>;

export interface DatasetCache {
  /** Null when there is no usable cache. */
  read(profileId: string): Promise<CachedDatasets | null>;
  /** `checked`: every dataset already passed the contract check on its way to the window, so it is not checked again here (a read always checks). */
  write(profileId: string, datasets: DatasetSummary[], fetchedAt: number, options?: { checked?: boolean; place?: string }): Promise<void>;
  remove(profileId: string): Promise<void>;
  /** Resolves when every write and removal asked for so far has finished: the core waits on it before it closes, so a list fetched just before quitting is on disk (the CLI quits right after one). */
  flush(): Promise<void>;
}

export interface DatasetCacheOptions {
  dataDir: string;
  log?: Pick<Log, 'warn'>;
}

const VERSION = 1;

const StoredCache = CachedDatasets.nullable();
/** Datasets per piece of the file: a few hundred KB of JSON at a time. */
const PIECE = 1000;

/**
 * The file JsonFile reads ({ version, data: { fetchedAt, datasets } }), written in pieces
 * to `<file>.<uint32>` (the temp name JsonFile.removeStaleTemps knows), synced, then
 * renamed over the file: a crash leaves the old file whole. Each piece is encoded into
 * one buffer that is reused for the next: handing the file handle a string makes a new
 * buffer per write, outside the JS heap, and tens of MB of those were waiting for a GC
 * by the end of a 100,000-dataset list — the process's peak memory.
 */
async function writeInPieces(file: string, datasets: DatasetSummary[], fetchedAt: number, place: string | undefined): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${randomInt(0, 2 ** 32)}`;
  const handle = await open(temp, 'w', 0o600);
  let renamed = false;
  let buffer = Buffer.allocUnsafe(256 * 1024);
  /** `text` as UTF-8 at the buffer's start (grown when it does not fit); its length in bytes. */
  const encode = (text: string): number => {
    const size = Buffer.byteLength(text);
    if (size > buffer.length) buffer = Buffer.allocUnsafe(Math.max(size, buffer.length * 2));
    return buffer.write(text, 0, 'utf8');
  };
  const flush = async (from: number, to: number) => {
    for (let at = from; at < to; ) at += (await handle.write(buffer, at, to - at)).bytesWritten;
  };
  try {
    const at = place === undefined ? '' : `"place":${JSON.stringify(place)},`;
    await flush(0, encode(`{"version":${VERSION},"data":{"fetchedAt":${JSON.stringify(fetchedAt)},${at}"datasets":[`));
    for (let i = 0; i < datasets.length; i += PIECE) {
      const size = encode(JSON.stringify(datasets.slice(i, i + PIECE)));
      // A piece is an array's JSON: its "]" is left out, and its "[" too — or, after the first, made the comma.
      if (i) buffer[0] = 0x2c;
      await flush(i ? 0 : 1, size - 1);
    }
    await flush(0, encode(']}}\n'));
    await handle.sync();
    await handle.close();
    await rename(temp, file);
    renamed = true;
  } finally {
    if (!renamed) {
      await handle.close().catch(() => undefined);
      await unlink(temp).catch(() => undefined);
    }
  }
}

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

    write: (profileId, datasets, fetchedAt, options) => {
      checkProfileId(profileId);
      return serial(profileId, async () => {
        try {
          // Unchecked lists are checked here first (an error names no dataset); a read checks either way.
          const place = options?.place;
          const value = options?.checked ? { fetchedAt, datasets, place } : CachedDatasets.parse({ fetchedAt, datasets, place });
          await writeInPieces(fileOf(profileId), value.datasets, value.fetchedAt, value.place);
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

    async flush() {
      while (queues.size) await Promise.all([...queues.values()]);
    },
  };
}
