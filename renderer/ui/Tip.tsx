import { Tooltip } from 'radix-ui';
import type { ReactNode } from 'react';

/** The rail's tooltip: its label, and the shortcut when there is one (needs a Tooltip.Provider above). */
export function Tip({ label, shortcut, children }: { label: string; shortcut?: string; children: ReactNode }) {
  return (
    <Tooltip.Root>
      <Tooltip.Trigger asChild>{children}</Tooltip.Trigger>
      <Tooltip.Portal>
        <Tooltip.Content className="tooltip" side="right" sideOffset={8}>
          {label}
          {shortcut && <kbd className="kbd">{shortcut}</kbd>}
        </Tooltip.Content>
      </Tooltip.Portal>
    </Tooltip.Root>
  );
}
