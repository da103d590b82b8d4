/**
 * One conversation as a Markdown document — questions, answers, sources and their
 * citations — and a file name for it that is safe on every OS.
 */
import type { Conversation, SourceDocument, Turn } from '../../../preload/contract';
import { gaiaWords, relevance } from '../../../preload/words';

export interface ExportOptions {
  exportedAt: number;
  datasetNames?: string[];
}

const STATUS_NOTE: Record<Turn['status'], string | null> = {
  complete: null,
  streaming: '_The answer was still arriving when this was exported._',
  incomplete: '_This answer is incomplete: Gaia Desktop stopped before it finished._',
  cancelled: '_This answer was cancelled before it finished._',
  error: '_This answer ended with an error._',
};

function when(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return 'unknown';
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Text that must read literally in Markdown (names, paths): no emphasis, links or HTML. */
export function escapeInline(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/([\\`*_{}[\]()#+!|~>-])/g, '\\$1')
    .replace(/</g, '&lt;');
}

function quote(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => (line.trim() === '' ? '>' : `> ${line.replace(/</g, '&lt;')}`))
    .join('\n');
}

function sourceLine(doc: SourceDocument, index: number): string {
  const details = [
    doc.path && doc.path !== doc.name ? `\`${doc.path.replace(/`/g, "'")}\`` : null,
    doc.datasetName ? `dataset ${escapeInline(doc.datasetName)}` : null,
    doc.objectName ? `object ${escapeInline(doc.objectName)}` : null,
    doc.environment ? escapeInline(gaiaWords(doc.environment) ?? doc.environment) : null,
    doc.cluster ? `cluster ${escapeInline(doc.cluster)}` : null,
    doc.snapshotAt !== null ? `snapshot ${when(doc.snapshotAt)}` : null,
  ].filter((d): d is string => d !== null);
  const lines = [`${index + 1}. **${escapeInline(doc.name || doc.documentId)}**${details.length ? ` — ${details.join(' · ')}` : ''}`];
  for (const citation of doc.citations) {
    const score = citation.score === null ? '' : ` (relevance ${relevance(citation.score)})`;
    lines.push('', `   Citation${score}:`, '', quote(citation.snippet).replace(/^/gm, '   '));
  }
  return lines.join('\n');
}

export function conversationToMarkdown(conversation: Conversation, options: ExportOptions): string {
  const out: string[] = [`# ${escapeInline(conversation.title) || 'Conversation'}`, ''];
  const datasets = options.datasetNames ?? [...new Set(conversation.turns.flatMap((t) => t.datasetNames))];
  out.push(`- Started: ${when(conversation.createdAt)}`);
  out.push(`- Last activity: ${when(conversation.updatedAt)}`);
  if (datasets.length > 0) out.push(`- Datasets: ${datasets.map(escapeInline).join(', ')}`);
  out.push(`- Exported from Gaia Desktop: ${when(options.exportedAt)}`, '');

  conversation.turns.forEach((turn, i) => {
    out.push('---', '', `## Question ${i + 1}`, '', quote(turn.question), '');
    const meta = [`Asked ${when(turn.askedAt)}`];
    if (turn.datasetNames.length > 0) meta.push(`datasets: ${turn.datasetNames.map(escapeInline).join(', ')}`);
    if (turn.refinedFrom) meta.push('refined from an earlier answer');
    out.push(`_${meta.join(' · ')}_`, '', '### Answer', '');
    out.push(turn.answer.trim() === '' ? '_No answer was received._' : turn.answer.trim(), '');
    const note = STATUS_NOTE[turn.status];
    if (note) out.push(note, '');
    if (turn.error) out.push(`_Error: ${escapeInline(turn.error.message)}_`, '');
    if (turn.documents.length > 0) {
      out.push('### Sources', '');
      turn.documents.forEach((doc, d) => out.push(sourceLine(doc, d), ''));
    }
    if (turn.followUps.length > 0) {
      out.push('### Suggested follow-up questions', '', ...turn.followUps.map((q) => `- ${escapeInline(q)}`), '');
    }
  });
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
// Control characters, characters Windows forbids, and bidirectional overrides (which can
// make "evil\u202Edm.exe" read as "evil exe.md").
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f<>:"/\\|?*\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** A file name that is valid and harmless on Windows, macOS and Linux. */
export function safeFileName(title: string, createdAt: number, extension = '.md'): string {
  let base = title.normalize('NFC').replace(UNSAFE, ' ').replace(/\s+/g, ' ').trim();
  base = base.replace(/^[.\s]+|[.\s]+$/g, '');
  // Cut by code points, so no surrogate pair is split.
  const points = [...base];
  if (points.length > 80) base = points.slice(0, 80).join('').trimEnd().replace(/[.\s]+$/, '');
  if (base === '') base = 'Gaia conversation';
  if (RESERVED.test(base)) base = `_${base}`;
  const date = Number.isFinite(createdAt) ? new Date(createdAt).toISOString().slice(0, 10) : null;
  return `${base}${date ? ` ${date}` : ''}${extension}`;
}
