/**
 * What the core needs from the shell it runs in. Electron provides these with its own
 * APIs; the browser preview provides loopback-safe stand-ins. The core never imports
 * electron: it is handed these.
 */
export interface ShellPorts {
  shell: 'electron' | 'preview' | 'cli';
  versions: { electron: string | null; chrome: string | null };
  /** Opens an already allowlisted https URL in the OS browser. */
  openExternal(url: string): Promise<void>;
  /** Writes text to the OS clipboard; false where the shell has no clipboard. */
  writeClipboard(text: string): Promise<boolean>;
  /** Clears the clipboard if it still holds exactly this text. */
  clearClipboardIfUnchanged(text: string): Promise<void>;
  setOpenAtLogin(enabled: boolean): void;
}
