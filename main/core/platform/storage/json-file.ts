/**
 * One versioned JSON file, validated on load and on save, written atomically
 * (temp file, fsync, rename — write-file-atomic does exactly this). A file that cannot
 * be read or fails validation is moved aside, kept, and reported: the app still starts,
 * and the user's data is never silently overwritten.
 */
import { readFile, readdir, rename, stat, unlink } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { z } from 'zod';
import type { StorageProblem } from '../../../../preload/contract';

/** The contract's StorageProblem, plus the bare reason. */
export interface StorageProblemInfo extends StorageProblem {
  /** Why, in a few words ("it is not valid JSON ..."), for callers that word their own message. */
  reason?: string;
}

export interface Loaded<T> {
  value: T;
  problem: StorageProblemInfo | null;
}

export interface JsonFileOptions {
  /** Indented JSON (the default) for files a person may read; false for big caches. */
  pretty?: boolean;
}

/** write-file-atomic's temp files: `<name>.<uint32>` next to the target. */
const TEMP_FILE = /^(.+)\.(\d{1,10})$/;

export class JsonFile<S extends z.ZodType> {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly file: string,
    private readonly schema: S,
    private readonly version: number,
    private readonly empty: () => z.output<S>,
    private readonly options: JsonFileOptions = {},
  ) {}

  /**
   * Removes temp files that a killed process left behind in `dir` (a write cut short
   * by SIGKILL or power loss leaves `<name>.<number>`; the target itself is intact).
   * Only files older than `olderThanMs` go, so a write in progress is never touched.
   */
  static async removeStaleTemps(dir: string, olderThanMs = 60_000): Promise<number> {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return 0;
    }
    let removed = 0;
    const cutoff = Date.now() - olderThanMs;
    for (const name of names) {
      const m = TEMP_FILE.exec(name);
      if (!m || !m[1].endsWith('.json')) continue;
      const full = path.join(dir, name);
      try {
        if ((await stat(full)).mtimeMs <= cutoff) {
          await unlink(full);
          removed++;
        }
      } catch {
        // gone already, or not ours to remove
      }
    }
    return removed;
  }

  async load(): Promise<Loaded<z.output<S>>> {
    let raw: string;
    try {
      raw = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { value: this.empty(), problem: null };
      throw err;
    }
    let reason: string;
    try {
      const doc = JSON.parse(raw) as { version?: unknown; data?: unknown };
      if (doc?.version === this.version) {
        const parsed = this.schema.safeParse(doc.data);
        if (parsed.success) return { value: parsed.data, problem: null };
        reason = 'its contents are not in the expected form';
      } else {
        reason = typeof doc?.version === 'number' && doc.version > this.version
          ? 'it was written by a newer version of Gaia Desktop'
          : 'it has no recognisable version';
      }
    } catch {
      reason = 'it is not valid JSON (perhaps cut short by a crash or a full disk)';
    }
    const movedTo = await this.setAside();
    return {
      value: this.empty(),
      problem: {
        file: this.file,
        movedTo,
        reason,
        message: `${path.basename(this.file)} could not be read because ${reason}. It was kept${movedTo ? ` as ${path.basename(movedTo)}` : ''} and the app started with a fresh one.`,
      },
    };
  }

  /**
   * Saves are serialised, so the last call always wins on disk. `checked`: the caller
   * has just validated `value` against this schema (a large cache need not be walked
   * twice); load() checks it again either way.
   */
  save(value: z.output<S>, options: { checked?: boolean } = {}): Promise<void> {
    const run = async () => {
      const data = options.checked ? value : this.schema.parse(value);
      mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
      const text = this.options.pretty === false ? JSON.stringify({ version: this.version, data }) : JSON.stringify({ version: this.version, data }, null, 2);
      await writeFileAtomic(this.file, `${text}\n`, { mode: 0o600 });
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async setAside(): Promise<string | null> {
    // e.g. settings.json.corrupt-20261201T204712.123Z: short pieces, so the log's
    // token redaction leaves the name readable.
    const target = `${this.file}.corrupt-${new Date().toISOString().replace(/[-:]/g, '')}`;
    try {
      await rename(this.file, target);
      return target;
    } catch {
      return null;
    }
  }
}
