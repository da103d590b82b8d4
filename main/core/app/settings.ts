/** App-wide settings (theme, history, key-age reminder, open at login), one JSON file. */
import path from 'node:path';
import { Settings } from '../../../preload/contract';
import { JsonFile, type StorageProblemInfo } from '../platform/storage/json-file';

export const defaultSettings = (): Settings => ({
  theme: 'system',
  keepHistory: true,
  keyAgeWarningDays: 90,
  openAtLogin: false,
});

export class SettingsStore {
  private readonly file: JsonFile<typeof Settings>;
  private current: Settings = defaultSettings();
  problem: StorageProblemInfo | null = null;

  constructor(dataDir: string) {
    this.file = new JsonFile(path.join(dataDir, 'settings.json'), Settings, 1, defaultSettings);
  }

  async load(): Promise<Settings> {
    const { value, problem } = await this.file.load();
    this.current = value;
    this.problem = problem;
    return value;
  }

  get(): Settings {
    return this.current;
  }

  async update(patch: Partial<Settings>): Promise<Settings> {
    const next = Settings.parse({ ...this.current, ...patch });
    await this.file.save(next);
    this.current = next;
    return next;
  }
}
