/**
 * "The key is nowhere it should not be", for the browser end-to-end tests. Watches a
 * page (console lines, page errors, every core answer over the preview transport, every
 * pushed event) and, when asked, also reads the DOM and every input's value, local and
 * session storage, every file in the preview's data dir, and the simulator's request
 * log — and fails on a key or any 8-character piece of one.
 *
 * The one place a key may travel is the `apikey` header of a request to Gaia. Gaia's key
 * service also names a key in the path of its own PUT and DELETE (that is its API:
 * `/api_keys/{key}`, `/api_keys/delete/{key}`); such a request may name exactly the key
 * it updates or deletes, and nothing else.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { containsSecret } from './gaia';
import type { Simulator } from '../gaia-sim';
import type { PreviewProcess } from './preview-process';
import { filesIn } from './files';

export interface LeakWatch {
  /** What was seen so far, for the check. */
  observed(): { console: string[]; answers: string[]; events: string; };
  /** Throws, naming where, if a key or a piece of one is anywhere it should not be. */
  check(keys: string[]): Promise<void>;
  stop(): void;
}


const KEY_SERVICE = '/es/api/v1/credentials/api_keys/';

export async function watchForKeys(page: Page, preview: PreviewProcess, sim: Simulator): Promise<LeakWatch> {
  const consoleLines: string[] = [];
  const answers: string[] = [];
  const pending: Array<Promise<void>> = [];
  page.on('console', (m) => consoleLines.push(m.text()));
  page.on('pageerror', (e) => consoleLines.push(`${e.name}: ${e.message}\n${e.stack ?? ''}`));
  page.on('response', (res) => {
    if (!new URL(res.url()).pathname.startsWith('/__gaia/call')) return;
    pending.push(
      res.text().then(
        (t) => void answers.push(t),
        () => undefined,
      ),
    );
  });

  // Every pushed event, on a stream of our own (the page's stream never ends, so its body cannot be read).
  let events = '';
  const controller = new AbortController();
  const stream = await fetch(`${preview.origin}/__gaia/events`, { headers: { 'x-gaia-token': preview.token }, signal: controller.signal });
  const reading = (async () => {
    try {
      const decoder = new TextDecoder();
      for await (const chunk of stream.body as unknown as AsyncIterable<Uint8Array>) events += decoder.decode(chunk, { stream: true });
    } catch {
      // aborted at stop()
    }
  })();

  const find = (keys: string[], where: string, text: string) => {
    for (const key of keys) {
      if (containsSecret(text, key)) {
        let at = text.indexOf(key);
        for (let i = 0; at < 0 && i + 8 <= key.length; i++) at = text.indexOf(key.slice(i, i + 8));
        throw new Error(`a key (ending ${key.slice(-4)}) or a piece of it was found in ${where}: …${text.slice(Math.max(0, at - 80), at + 80)}…`);
      }
    }
  };

  return {
    observed: () => ({ console: consoleLines, answers, events }),
    async check(keys) {
      await Promise.all(pending);
      expectNonEmpty(keys);
      // The page: markup, what inputs hold, and what the page stored.
      find(keys, 'the DOM', await page.content());
      const state = await page.evaluate(() => ({
        inputs: [...document.querySelectorAll('input, textarea, select')].map((el) => (el as HTMLInputElement).value),
        local: JSON.stringify({ ...localStorage }),
        session: JSON.stringify({ ...sessionStorage }),
        title: document.title,
      }));
      find(keys, 'an input’s value', state.inputs.join('\n'));
      find(keys, 'localStorage', state.local);
      find(keys, 'sessionStorage', state.session);
      find(keys, 'the console', consoleLines.join('\n'));
      for (const answer of answers) find(keys, 'a core answer', answer);
      find(keys, 'a pushed event', events);
      // Everything the app wrote.
      for (const file of filesIn(preview.dataDir)) find(keys, `the file ${path.relative(preview.dataDir, file)}`, readFileSync(file, 'latin1'));
      // What reached Gaia.
      for (const r of sim.requestLog) {
        const headers = Object.fromEntries(Object.entries(r.headers).filter(([name]) => name.toLowerCase() !== 'apikey'));
        // The raw header list repeats the headers as name, value, name, value…: drop the apikey pair only.
        const raw = (r as { rawHeaders?: string[] }).rawHeaders ?? [];
        const rawHeaders = raw.flatMap((v, i) => (i % 2 === 0 ? (v.toLowerCase() === 'apikey' ? [] : [v, raw[i + 1]]) : []));
        const named = (r.method === 'PUT' || r.method === 'DELETE') && r.path.startsWith(KEY_SERVICE) ? r.path.split('/').filter(Boolean).pop() : undefined;
        // The key a PUT or DELETE names is cut out of its path first (keys can share a prefix, e.g. "sim-read-").
        const text = JSON.stringify({ ...r, headers, rawHeaders });
        find(keys, `a request to Gaia (${r.method} ${r.path.startsWith(KEY_SERVICE) ? KEY_SERVICE : r.path})`, named ? text.split(named).join('<named key>') : text);
        if (named) find([named], `a request to Gaia outside its path (${r.method})`, JSON.stringify({ query: r.query, body: r.body, headers, rawHeaders }));
      }
    },
    stop() {
      controller.abort();
      void reading;
    },
  };
}

function expectNonEmpty(keys: string[]) {
  if (keys.length === 0 || keys.some((k) => k.length < 8)) throw new Error('watchForKeys.check needs the keys to look for');
}
