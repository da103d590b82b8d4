/**
 * When the page has its own files: index.html and every script, module preload and style
 * sheet it links, the files the browser fetches before it runs anything. The preview loads
 * its core then, so none of these waits behind one of the core's loading steps.
 */
const LINKED = /<(?:script|link)\b[^>]*?\s(?:src|href)="([^"]+)"/g;

/** The paths index.html (served at `pagePath`) links on this server. */
export function linkedPaths(html: string, pagePath: string): Set<string> {
  const paths = new Set<string>();
  for (const [, ref] of html.matchAll(LINKED)) {
    let url: URL;
    try {
      url = new URL(ref, new URL(pagePath, 'http://page.invalid'));
    } catch {
      continue;
    }
    // Its own files only: not the data: icon, nor anything on another host.
    if (url.host === 'page.invalid') paths.add(url.pathname);
  }
  return paths;
}

export interface FirstLoad {
  /** The first index.html and every file it links have been sent (at once when it links none). */
  filesSent(): void;
}

/** Returns what the server calls after each file it sent; the callback runs once. */
export function watchFirstLoad({ filesSent }: FirstLoad): (pathname: string, isPage: boolean, body: Buffer) => void {
  let pending: Set<string> | null = null;
  let done = false;
  return (pathname, isPage, body) => {
    if (done) return;
    if (isPage && !pending) {
      pending = linkedPaths(body.toString('utf8'), pathname);
    } else pending?.delete(pathname);
    if (pending?.size === 0) {
      done = true;
      filesSent();
    }
  };
}
