/** App-wide settings (theme, history, key-age reminder, open at login), one JSON file. */
import path from 'node:path';
import { Settings } from '../../../preload/contract';
import { JsonFile, type StorageProblemInfo } from '../platform/storage/json-file';

export const defaultSettings = (): Settings => ({
  theme: 'system',
  keepHistory: true,
  keyAgeWarningDays: 90,
  openAtLogin: false,
  localAssistants: [],
  resume: { page: 'connections', profileId: null, conversationId: null, draft: '' },
});

export class SettingsStore {
  private readonly file: JsonFile<typeof Settings>;
  private current: Settings = defaultSettings();
  problem: StorageProblemInfo | null = null;
  /** Settings live in memory only: the file cannot be read or written (the user is told at start). */
  memoryOnly: boolean;

  constructor(dataDir: string, options: { memoryOnly?: boolean } = {}) {
    this.file = new JsonFile(path.join(dataDir, 'settings.json'), Settings, 1, defaultSettings);
    this.memoryOnly = options.memoryOnly ?? false;
  }

  async load(): Promise<Settings> {
    if (this.memoryOnly) return this.current;
    try {
      const { value, problem } = await this.file.load();
      this.current = value;
      this.problem = problem;
    } catch (err) {
      // Not a damaged file but one that cannot be opened at all (a folder in its place,
      // no permission): run on defaults in memory, say so, and never write over it.
      const code = (err as NodeJS.ErrnoException)?.code;
      const why = code === 'EISDIR' ? 'it is a folder, not a file' : code === 'EACCES' || code === 'EPERM' ? 'permission was denied' : `it could not be read (${code ?? 'error'})`;
      this.memoryOnly = true;
      this.current = defaultSettings();
      this.problem = {
        file: this.file.file,
        movedTo: null,
        reason: why,
        message: `${this.file.file} cannot be used because ${why}. Gaia Desktop runs with default settings kept in memory; changes are not saved until it is fixed (move it out of the way, then restart).`,
      };
    }
    return this.current;
  }

  get(): Settings {
    return this.current;
  }

  async update(patch: Partial<Settings>): Promise<Settings> {
    const next = Settings.parse({ ...this.current, ...patch });
    // With local history off nothing the user asked or typed is kept on disk, not even here.
    if (!next.keepHistory) next.resume = { ...next.resume, conversationId: null, draft: '' };
    if (!this.memoryOnly) await this.file.save(next);
    this.current = next;
    return next;
  }
}
