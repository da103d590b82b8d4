// When the preview may load its core: once the page and every file it links have been sent.
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { linkedPaths, watchFirstLoad } from '../../main/preview/first-load';

const PAGE = `<!doctype html><html><head>
  <link rel="icon" href="data:," />
  <script type="module" crossorigin src="./assets/index-A.js"></script>
  <link rel="modulepreload" crossorigin href="./assets/react-B.js">
  <link rel="stylesheet" crossorigin href="./assets/index-C.css">
  <link rel="preconnect" href="https://elsewhere.example/">
</head><body><div id="root"></div></body></html>`;

describe('the files the page links', () => {
  it('are its scripts, module preloads and style sheets on this server, not data: or other hosts', () => {
    expect([...linkedPaths(PAGE, '/')]).toEqual(['/assets/index-A.js', '/assets/react-B.js', '/assets/index-C.css']);
  });

  it('include those of the built index.html', () => {
    // The renderer's source page links its entry; the build adds the preloads and styles the same way.
    expect([...linkedPaths(readFileSync('renderer/index.html', 'utf8'), '/')]).toEqual(['/main.tsx']);
  });
});

describe('watchFirstLoad', () => {
  const body = Buffer.from(PAGE);

  it('calls back once, after the page and the last of its files were sent, whatever their order', () => {
    const loaded = vi.fn();
    const sent = watchFirstLoad({ filesSent: loaded });
    sent('/assets/index-C.css', false, Buffer.from('')); // before the page: not counted
    sent('/', true, body);
    sent('/assets/react-B.js', false, Buffer.from(''));
    sent('/assets/index-C.css', false, Buffer.from(''));
    expect(loaded).not.toHaveBeenCalled();
    sent('/assets/index-A.js', false, Buffer.from(''));
    expect(loaded).toHaveBeenCalledTimes(1);
    sent('/', true, body);
    sent('/assets/index-A.js', false, Buffer.from(''));
    expect(loaded).toHaveBeenCalledTimes(1);
  });

  it('calls back with the page itself when it links nothing', () => {
    const loaded = vi.fn();
    watchFirstLoad({ filesSent: loaded })('/', true, Buffer.from('<html><body>plain</body></html>'));
    expect(loaded).toHaveBeenCalledTimes(1);
  });
});
