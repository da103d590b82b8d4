/**
 * A side sheet (Radix Dialog): a form that needs room, over the page it belongs to. Focus
 * is trapped inside and returns to the control that opened it; Escape closes it unless
 * the form is busy.
 */
import { X } from 'lucide-react';
import { Dialog } from 'radix-ui';
import { useRef, type ReactNode } from 'react';

export function Sheet({
  title,
  description,
  open,
  onOpenChange,
  busy = false,
  children,
}: {
  title: string;
  description?: ReactNode;
  open: boolean;
  onOpenChange(open: boolean): void;
  busy?: boolean;
  children: ReactNode;
}) {
  // No Trigger element is used (the opener is any button), so focus is handed back by hand.
  const opener = useRef<HTMLElement | null>(null);
  return (
    <Dialog.Root open={open} onOpenChange={(next) => (next || !busy) && onOpenChange(next)}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay sheet-overlay" />
        <Dialog.Content
          className="sheet"
          onOpenAutoFocus={() => {
            opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
          }}
          onCloseAutoFocus={(event) => {
            event.preventDefault();
            if (opener.current?.isConnected) opener.current.focus();
          }}
          {...(description ? {} : { 'aria-describedby': undefined })}
        >
          <div className="dialog-head">
            <Dialog.Title>{title}</Dialog.Title>
            <Dialog.Close asChild>
              <button type="button" className="quiet icon" aria-label="Close" disabled={busy}>
                <X size={18} aria-hidden />
              </button>
            </Dialog.Close>
          </div>
          {description ? <Dialog.Description className="dialog-description">{description}</Dialog.Description> : null}
          {children}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
