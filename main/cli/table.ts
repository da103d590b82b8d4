/** Plain-text columns for a terminal: widths from the content, the last column free. */
export function table(header: string[], rows: string[][], maxWidth = 48): string {
  const widths = header.map((h, i) => Math.min(maxWidth, Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length))));
  const cell = (text: string, i: number) => {
    if (i === header.length - 1) return text;
    const cut = text.length > widths[i] ? `${text.slice(0, widths[i] - 1)}…` : text;
    return cut.padEnd(widths[i]);
  };
  return [header, ...rows].map((r) => r.map(cell).join('  ').trimEnd()).join('\n') + '\n';
}

/** A timestamp as a terminal shows it: local date and time, to the minute. */
export function when(ms: number | null): string {
  if (ms === null) return '—';
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** JSON for scripts: one document, two-space indented, newline-terminated. */
export const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
