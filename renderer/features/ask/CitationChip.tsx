/**
 * An inline citation "[n]" of an answer as a chip: hovering or focusing it shows the
 * source and its best snippet; a click scrolls to that source in the answer's source
 * strip and highlights it. Without sources yet (while the answer streams), or for a
 * number with no source, it stays the plain number it was.
 */
import { createContext, useContext } from 'react';
import { HoverCard } from 'radix-ui';
import { FileText } from 'lucide-react';
import type { SourceDocument } from '../../../preload/contract';
import { gaiaWords, relevance } from '../../../preload/words';
import type { CitedSource } from './citations';
import { usePortal } from './portal';

export interface CitationTargets {
  documents: SourceDocument[];
  /** What each citation number points at (index n − 1). */
  cited: CitedSource[];
  /** Scrolls to and highlights the document cited as [n]. */
  reveal(n: number): void;
}

export const CitationContext = createContext<CitationTargets | null>(null);

export function CitationChip({ n }: { n: number }) {
  const targets = useContext(CitationContext);
  const container = usePortal();
  const target = targets?.cited[n - 1];
  const doc = target ? targets.documents[target.doc] : undefined;
  // Until the sources arrive (while streaming) the same box, without the brackets: nothing moves when it becomes a chip.
  if (!targets || !target || !doc)
    return (
      <sup className="citation-plain">
        <span className="sr-only">[</span>
        {n}
        <span className="sr-only">]</span>
      </sup>
    );
  const where = [doc.datasetName, gaiaWords(doc.environment)].filter(Boolean).join(' · ');
  return (
    <HoverCard.Root openDelay={250} closeDelay={120}>
      <HoverCard.Trigger asChild>
        <button type="button" className="citation-chip" aria-label={`Source ${n}: ${doc.name}`} onClick={() => targets.reveal(n)}>
          {n}
        </button>
      </HoverCard.Trigger>
      <HoverCard.Portal container={container}>
        <HoverCard.Content className="citation-card" side="top" align="start" sideOffset={6} collisionPadding={12} aria-label={`Source ${n}`}>
          <p className="citation-card-title">
            <span className="citation-card-number">{n}</span>
            <FileText size={14} aria-hidden="true" />
            <strong>{doc.name}</strong>
          </p>
          {doc.path && doc.path !== doc.name && <p className="citation-card-path">{doc.path}</p>}
          {where && <p className="citation-card-where">{where}</p>}
          {target.snippet && (
            <blockquote className="citation-card-snippet">
              {target.snippet.length > 420 ? `${target.snippet.slice(0, 420).trimEnd()}…` : target.snippet}
            </blockquote>
          )}
          <p className="citation-card-foot">
            {target.score !== null ? `Relevance ${relevance(target.score)} · ` : ''}
            Click the number to see it among the sources
          </p>
          <HoverCard.Arrow className="citation-card-arrow" />
        </HoverCard.Content>
      </HoverCard.Portal>
    </HoverCard.Root>
  );
}
