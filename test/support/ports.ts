/**
 * What a test core gets from its shell: the product's windowless ports (headlessPorts),
 * as an Electron shell unless a test says otherwise. Tests add or replace what they
 * watch, e.g. confirmTrustChange or the clipboard.
 */
import { headlessPorts, type ShellPorts } from '../../main/core/ports';

export function testPorts({ shell = 'electron', ...own }: Partial<ShellPorts> = {}): ShellPorts {
  return headlessPorts(shell, own);
}
