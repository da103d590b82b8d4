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
  /**
   * Asks the user, outside the page, whether a connection may loosen the trust its key
   * is sent under (checks off, a new CA or pin, a new proxy). Electron shows a native
   * dialog the page cannot draw or click; the preview has no such surface and answers by
   * its own policy (previewPorts in main/preview/server.ts). A shell without it refuses every such change.
   */
  confirmTrustChange?(question: TrustQuestion): Promise<boolean>;
  /** Tells the user, outside the page, what went wrong with the data folder at start. */
  reportStartupProblems?(problems: ReadonlyArray<{ file: string; message: string }>): void;
  /** Opens a local folder in the OS file manager; absent where the shell has none (the preview). */
  openFolder?(dir: string): Promise<void>;
  /**
   * Shows a native notification if the window is in the background; false when it is in
   * front (the user sees the page already) or the shell has no notifications (the preview).
   */
  notify?(title: string, body: string): Promise<boolean>;
}

/**
 * The ports of a shell with no window (the preview, the command line, a test core): no
 * browser to open links in, no clipboard, no login item. What such a shell can do
 * besides, or says instead, it passes in `own`.
 */
export function headlessPorts(shell: ShellPorts['shell'], own: Partial<Omit<ShellPorts, 'shell'>> = {}): ShellPorts {
  return {
    shell,
    versions: { electron: null, chrome: null },
    openExternal: async () => undefined,
    writeClipboard: async () => false,
    clearClipboardIfUnchanged: async () => undefined,
    setOpenAtLogin: () => undefined,
    ...own,
  };
}

export interface TrustQuestion {
  profileName: string;
  /** Where the key would go: scheme://host:port. */
  origin: string;
  /** What the change does, each in the user's words ("turn certificate checks off for …"). */
  changes: string[];
}
