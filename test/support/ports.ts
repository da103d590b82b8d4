/**
 * What a test core gets from its shell: an Electron-like shell with nothing to drive (no
 * browser, no clipboard). Tests add or replace what they watch, e.g. confirmTrustChange.
 */
import type { ShellPorts } from '../../main/core/ports';

export function testPorts(extra: Partial<ShellPorts> = {}): ShellPorts {
  return {
    shell: 'electron',
    versions: { electron: null, chrome: null },
    openExternal: async () => undefined,
    writeClipboard: async () => false,
    clearClipboardIfUnchanged: async () => undefined,
    setOpenAtLogin: () => undefined,
    ...extra,
  };
}
