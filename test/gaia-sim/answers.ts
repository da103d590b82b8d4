/**
 * Answers drawn from the bundled documents: the paragraphs that share the most words
 * with the question become the citations, and the answer is Markdown built from them —
 * sometimes with a list, a table or a code block, as Gaia's answers have.
 */
import { randomUUID } from 'node:crypto';
import type { CorpusDoc, DatasetEntry } from './corpus';
import { unit } from './corpus';

export interface Hit {
  dataset: DatasetEntry;
  doc: CorpusDoc;
  paragraph: string;
  score: number;
}

function tokens(text: string): Set<string> {
  const lower = text.toLowerCase();
  const words = lower.match(/[\p{L}\p{N}]{3,}/gu) ?? [];
  // CJK text has no spaces: every ideograph/kana counts as a token.
  const cjk = lower.match(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/gu) ?? [];
  return new Set([...words, ...cjk]);
}

export function search(question: string, datasets: DatasetEntry[], limit = 3): Hit[] {
  const q = tokens(question);
  const hits: Hit[] = [];
  for (const dataset of datasets) {
    for (const doc of dataset.docs) {
      for (const paragraph of doc.paragraphs) {
        const p = tokens(`${doc.title} ${paragraph}`);
        let overlap = 0;
        for (const t of q) if (p.has(t)) overlap++;
        const score = q.size ? overlap / Math.sqrt(q.size * Math.max(1, p.size)) : 0;
        hits.push({ dataset, doc, paragraph, score });
      }
    }
  }
  hits.sort((a, b) => b.score - a.score || a.doc.file.localeCompare(b.doc.file));
  const seen = new Set<string>();
  return hits.filter((h) => (seen.has(h.paragraph) ? false : (seen.add(h.paragraph), true))).slice(0, limit);
}

function firstSentences(p: string, n: number): string {
  const prose = p.split('\n\n```')[0];
  return prose.split(/(?<=[.。!?])\s*/u).slice(0, n).join(' ');
}

/**
 * The score a citation carries on the wire. The answer's own table shows the same one, so a
 * source is not 69 % in the sources and 0 % in the answer that cites it.
 */
function cosineScore(overlap: number): number {
  return Math.round((0.5 + overlap / 2) * 1000) / 1000;
}

export function compose(question: string, hits: Hit[], turn: number): string {
  if (!hits.length || hits[0].score === 0) {
    return `I could not find anything about “${question}” in the selected datasets.\n\nTry rephrasing the question, or select more datasets.`;
  }
  const lead = turn > 1 ? 'Following up on our conversation: ' : '';
  const parts = [`${lead}${firstSentences(hits[0].paragraph, 2)} [1]`];
  if (hits.length > 1) {
    parts.push('Related points:');
    parts.push(hits.slice(1).map((h, i) => `- ${firstSentences(h.paragraph, 1)} [${i + 2}]`).join('\n'));
  }
  const code = hits.find((h) => h.paragraph.includes('```'));
  if (code) parts.push(code.paragraph.slice(code.paragraph.indexOf('```')));
  if (/\b(table|compare|summary|summar|overview)\b/i.test(question) || unit(question) < 0.3) {
    parts.push(
      ['| # | Document | Dataset | Relevance |', '|---|---|---|---|', ...hits.map((h, i) => `| ${i + 1} | ${h.doc.title} | ${h.dataset.name} | ${Math.round(cosineScore(h.score) * 100)}% |`)].join('\n'),
    );
  }
  return parts.join('\n\n');
}

/** One document per file, with every cited paragraph of it, in order of first hit. */
export function wireDocuments(hits: Hit[]): Array<Record<string, unknown>> {
  const byId = new Map<string, Hit[]>();
  for (const h of hits) {
    const id = `${h.dataset.id}:${h.doc.file}`;
    byId.set(id, [...(byId.get(id) ?? []), h]);
  }
  return [...byId].map(([documentId, group]) => {
    const h = group[0];
    return {
      documentId,
      name: h.doc.file,
      absolutePath: h.dataset.folder ? `${h.dataset.folder}/${h.doc.file}` : `/${h.dataset.name}/shared/${h.doc.file}`,
      type: 'md',
      datasetId: h.dataset.id,
      folderId: `${h.dataset.id}-f1`,
      citations: group.map((g) => ({ cosineScore: cosineScore(g.score), textSnippet: g.paragraph })),
      // [C] the connector types every objectInfo field as a string.
      objectInfo: {
        cloudProvider: 'kAWS',
        clusterIdentifier: '8812:1700000000',
        environment: h.dataset.sources?.[0].environment ?? 'kGenericNas',
        globalId: `${h.dataset.id}-obj`,
        name: h.dataset.sources?.[0].name ?? `${h.dataset.name} share`,
        objectId: String(4242 + h.dataset.index),
        regionId: 'eu-central-1',
      },
      baasSnapshot: { regionId: 'eu-central-1', snapshotInfo: { runInstanceId: 991, runStartTimeUsecs: (Date.now() - 86_400_000) * 1000 } },
    };
  });
}

export function followUpsFor(hits: Hit[]): string[] {
  const out: string[] = [];
  for (const h of hits) for (const q of h.doc.questions) if (!out.includes(q) && out.length < 3) out.push(q);
  return out;
}

export const newQueryUid = () => randomUUID();
