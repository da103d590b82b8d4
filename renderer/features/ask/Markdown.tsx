/**
 * Gaia's answers as Markdown: GFM tables, lists, code. Raw HTML is never rendered — an
 * answer holding <script> or <img onerror> shows those as text (react-markdown turns raw
 * HTML into text; there is deliberately no rehype-raw). Images are shown as their text,
 * never fetched. Links never navigate: a click asks main to open the URL, which it does
 * only for allowlisted https addresses.
 */
import { memo, useMemo, useState, type MouseEvent, type ReactNode } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { gaia } from '../../api';
import { CopyButton } from '../../ui/CopyButton';
import { splitBlocks } from './blocks';

const remarkPlugins = [remarkGfm];

interface HastNode {
  type: string;
  value?: string;
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
};

function MarkdownBlock({ text }: { text: string }) {
  return (
    <ReactMarkdown remarkPlugins={remarkPlugins} components={components}>
      {text}
    </ReactMarkdown>
  );
}
const MemoBlock = memo(MarkdownBlock);

/** A finished answer. */
export const Markdown = memo(function Markdown({ text }: { text: string }) {
  return (
    <div className="markdown">
      <MarkdownBlock text={text} />
    </div>
  );
});

/** A streaming answer: finished blocks are parsed once; only the growing tail is re-parsed. */
export function StreamingMarkdown({ text }: { text: string }) {
  const blocks = useMemo(() => splitBlocks(text), [text]);
  return (
    <div className="markdown streaming">
      {blocks.map((block, i) => (
        <MemoBlock key={i} text={block} />
      ))}
    </div>
  );
}
