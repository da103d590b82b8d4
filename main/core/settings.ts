/** App-wide settings (theme, history, key-age reminder, open at login), one JSON file. */
import path from 'node:path';
import { Settings } from '../../preload/contract';
import { JsonFile, type StorageProblemInfo } from './json-file';

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
    // With local history off nothing the user asked or typed is kept on disk, not even here.
    if (!next.keepHistory) next.resume = { ...next.resume, conversationId: null, draft: '' };
    await this.file.save(next);
    this.current = next;
    return next;
  }
}
