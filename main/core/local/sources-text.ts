/** An answer's sources as plain text, numbered, with their citations: for a terminal and for an assistant alike. */
import type { SourceDocument } from '../../../preload/contract';

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

export function sourcesText(documents: SourceDocument[]): string {
  if (documents.length === 0) return 'Sources: none given.';
  const lines = ['Sources:'];
  documents.forEach((d, i) => {
    lines.push(`[${i + 1}] ${d.name}${d.datasetName ? ` (dataset ${d.datasetName})` : ''}${d.path ? ` — ${d.path}` : ''}`);
    for (const c of d.citations) lines.push(`    ${c.score === null ? '' : `score ${c.score.toFixed(2)}: `}“${oneLine(c.snippet)}”`);
  });
  return lines.join('\n');
}
