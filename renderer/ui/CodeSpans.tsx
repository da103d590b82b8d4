/**
 * Main's messages mark commands and file names with backticks, the way the terminal (CLI,
 * demo) shows them: in the window those spans are set as code, not shown as backticks.
 */
export function CodeSpans({ text }: { text: string }) {
  const parts = text.split('`');
  // An odd count means a stray backtick: the text is shown as it came.
  if (parts.length % 2 === 0) return <>{text}</>;
  return <>{parts.map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : part))}</>;
}
