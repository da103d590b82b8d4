/**
 * What the core needs from the shell it runs in. Electron provides these with its own
 * APIs; the browser preview provides loopback-safe stand-ins. The core never imports
 * electron: it is handed these.
 */
export interface ShellPorts {
  shell: 'electron' | 'preview';
  versions: { electron: string | null; chrome: string | null };
  /** Opens an already allowlisted https URL in the OS browser. */
  openExternal(url: string): Promise<void>;
  /** Writes text to the OS clipboard; false where the shell has no clipboard. */
  writeClipboard(text: string): Promise<boolean>;
  /** Clears the clipboard if it still holds exactly this text. */
  clearClipboardIfUnchanged(text: string): Promise<void>;
  setOpenAtLogin(enabled: boolean): void;
  /** Opens a local folder in the OS file manager; absent where the shell has none (the preview). */
  openFolder?(dir: string): Promise<void>;
  /**
   * Shows a native notification if the window is in the background; false when it is in
   * front (the user sees the page already) or the shell has no notifications (the preview).
   */
  notify?(title: string, body: string): Promise<boolean>;
}
