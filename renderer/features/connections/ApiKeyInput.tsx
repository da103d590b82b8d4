import { forwardRef, type ClipboardEvent } from 'react';

/**
 * The one place a key is typed or pasted. Uncontrolled on purpose: the key lives only in
 * the input element (never in React state, never in a DOM attribute) until it is sent to
 * main once; it is never shown back. A paste is trimmed of surrounding spaces and line
 * breaks (main trims and checks again).
 */
export const ApiKeyInput = forwardRef<
  HTMLInputElement,
  { id?: string; label?: string; onFilled: (filled: boolean) => void; required?: boolean; describedBy?: string }
>(function ApiKeyInput({ id, label = 'API key', onFilled, required = true, describedBy }, ref) {
  const onPaste = (event: ClipboardEvent<HTMLInputElement>) => {
    const text = event.clipboardData.getData('text');
    const trimmed = text.trim();
    if (trimmed === text) return;
    event.preventDefault();
    const input = event.currentTarget;
    const start = input.selectionStart ?? input.value.length;
    const end = input.selectionEnd ?? start;
    input.setRangeText(trimmed, start, end, 'end');
    onFilled(input.value !== '');
  };
  return (
    <input
      ref={ref}
      id={id}
      aria-label={label}
      type="password"
      autoComplete="off"
      spellCheck={false}
      autoCapitalize="off"
      autoCorrect="off"
      required={required}
      aria-describedby={describedBy}
      onPaste={onPaste}
      onInput={(event) => onFilled(event.currentTarget.value !== '')}
    />
  );
});
