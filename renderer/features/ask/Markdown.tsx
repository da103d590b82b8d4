/**
 * Gaia's answers as Markdown: GFM tables, lists, code. Raw HTML is never rendered — an
 * answer holding <script> or <img onerror> shows those as text (react-markdown turns raw
 * HTML into text; there is deliberately no rehype-raw). Images are shown as their text,
 * never fetched. Links never navigate: a click asks main to open the URL, which it does
 * only for allowlisted https addresses. Inline citations "[n]" become chips.
 *
 * An answer is rendered as blocks (blocks.ts), each memoized on its text: while an answer
 * streams only the growing last block is parsed again, and when it ends the same blocks
 * stay — so a 20,000-token answer never has one long parse of the whole text.
 */
import { memo, useMemo, useState, type MouseEvent, type ReactNode } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import ReactMarkdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { gaia } from '../../api';
import { CopyButton } from '../../ui/CopyButton';
import { BlockSplitter } from './blocks';
import { CitationChip } from './CitationChip';
import { rehypeCitations } from './citations';

const remarkPlugins = [remarkGfm];
const rehypePlugins = [rehypeCitations];

interface HastNode {
  type: string;
  value?: string;
  properties?: Record<string, unknown>;
  children?: HastNode[];
}

function textOf(node: HastNode | undefined): string {
  if (!node) return '';
  if (node.type === 'text') return node.value ?? '';
  return (node.children ?? []).map(textOf).join('');
}

function AnswerLink({ href, children }: { href?: string; children?: ReactNode }) {
  const [refused, setRefused] = useState(false);
  const open = (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    if (!href) return;
    if (href.startsWith('#')) {
      // Footnotes and in-answer anchors: scroll, never navigate.
      const target = document.getElementById(decodeURIComponent(href.slice(1)));
      target?.scrollIntoView({ block: 'center' });
      return;
    }
    gaia.app.openExternal({ url: href }).then(
      (r) => setRefused(!r.opened),
      () => setRefused(true),
    );
  };
  return (
    <>
      <a href={href} title={href} onClick={open} onAuxClick={(e) => e.preventDefault()} rel="noreferrer noopener">
        {children}
      </a>
      {refused && (
        <span className="md-link-refused" role="status">
          {' '}
          (not opened: links from answers open only when they are https addresses of Cohesity sites)
        </span>
      )}
    </>
  );
}

const components: Components = {
  a: ({ href, children }) => <AnswerLink href={href}>{children}</AnswerLink>,
  img: ({ alt, src }) => (
    <span className="md-image" title={src ?? undefined}>
      [image{alt ? `: ${alt}` : ''}]
    </span>
  ),
  pre: ({ node, children }) => {
    const code = textOf(node as unknown as HastNode).replace(/\n$/, '');
    return (
      <div className="md-code">
        <pre>{children}</pre>
        <CopyButton className="md-code-copy" text={code} label="Copy code" />
      </div>
    );
  },
  table: ({ children }) => (
    <div className="md-table">
      <table>{children}</table>
    </div>
  ),
  sup: ({ node, children }) => {
    const n = Number((node as unknown as HastNode | undefined)?.properties?.dataCite);
    return Number.isInteger(n) && n > 0 ? <CitationChip n={n} /> : <sup>{children}</sup>;
  },
};

/** One block of an answer, parsed only when its text changes. */
const MarkdownBlock = memo(function MarkdownBlock({ text }: { text: string }) {
  return (
    <div className="md-block">
      <ReactMarkdown remarkPlugins={remarkPlugins} rehypePlugins={rehypePlugins} components={components}>
        {text}
      </ReactMarkdown>
    </div>
  );
});

/** Link reference and footnote definitions apply across blocks: such an answer is parsed whole once finished. */
const DEFINITION = /^ {0,3}\[[^\]\n]+\]:/m;

/** An answer, finished or still arriving. */
export function Markdown({ text, streaming = false }: { text: string; streaming?: boolean }) {
  // One splitter per shown answer: it remembers the finished blocks between renders.
  const [splitter] = useState(() => new BlockSplitter());
  const whole = !streaming && DEFINITION.test(text);
  const blocks = useMemo(() => (whole ? [text] : splitter.split(text)), [splitter, text, whole]);
  return (
    <div className={streaming ? 'markdown streaming' : 'markdown'}>
      {blocks.map((block, i) => (
        <MarkdownBlock key={i} text={block} />
      ))}
    </div>
  );
}

const WARM_UP = '# A\n\nText **bold** [1] `code` [link](https://example.com)\n\n- item\n\n1. item\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```js\nx\n```\n\n> quote\n';

/**
 * Parses a small answer with every construct once, while the window is idle, so the
 * first real answer does not pay for compiling the parser in the middle of streaming.
 */
export function warmUpMarkdown(): () => void {
  const idle = window.requestIdleCallback ?? ((cb: () => void) => window.setTimeout(cb, 200));
  const cancel = window.cancelIdleCallback ?? window.clearTimeout;
  const handle = idle(() => {
    // Render into a detached element: parsing and rendering paths both get compiled.
    const host = document.createElement('div');
    const root = createRoot(host);
    flushSync(() => root.render(<MarkdownBlock text={WARM_UP} />));
    root.unmount();
  });
  return () => cancel(handle);
}
