/**
 * The key-leak sweep's instruments. `startLeakSweep` is called before the app loads and
 * records, for the whole session:
 *   - every DOM change (added markup, text, attribute values) through a MutationObserver,
 *     so a key shown for a moment and removed again is still caught;
 *   - every body the preview transport answered — each /__gaia/call response and the
 *     page's own /__gaia/events stream — by wrapping the page's fetch before the app's
 *     code runs (the app itself is unchanged: its responses reach it as before);
 *   - what the page sent to the core (a typed key may travel only as the `apiKey` of
 *     gaia:profiles.connect or gaia:profiles.replaceKey);
 *   - console lines and page errors, every URL the page showed and every request the
 *     browser made (URL and headers);
 *   - every key the simulator's key service held at any moment (polled), every key sent
 *     in an `apikey` header, and the keys the test typed.
 * `check()` then reads the DOM (markup, every attribute, every field's value), local and
 * session storage, IndexedDB (every database, store, key and value), Cache Storage and
 * cookies, every file in the preview's data dir (names too, read as UTF-8 and latin1),
 * the preview's own output, and the simulator's request log — and fails, naming the
 * place, on any key or any 8-character piece of one.
 *
 * In the simulator's request log a key may be only the value of an `apikey` header,
 * of a request addressed to the simulator's own host. The one exception is Gaia's key
 * service API itself: PUT /api_keys/{key} and DELETE /api_keys/delete/{key} name, in
 * their path, exactly the key they change — that key, there, and nothing else.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { KEY_SERVICE_PATH, type Simulator } from '../gaia-sim';
import { containsSecret } from './gaia';
import type { PreviewProcess } from './preview-process';
import { filesIn } from './files';

const TAP = '__gaiaLeakTap';
/** Channels whose request carries a key the user typed, in `request.apiKey`. */
const TYPED_KEY_CHANNELS = new Set(['gaia:profiles.connect', 'gaia:profiles.replaceKey']);

export interface LeakSweep {
  /** Every key seen so far (the simulator's, typed ones, header values). */
  keys(): string[];
  /** A key the test typed or made up, to look for too. */
  addKey(key: string): void;
  /** Throws, naming where, if any key (or only these) or an 8-character piece of one is anywhere it should not be. */
  check(when: string, only?: string[]): Promise<void>;
  /** What the instruments recorded, so a test can prove they saw something. */
  recorded(): { domChanges: number; calls: number; eventBytes: number; requestsToCore: number; consoleLines: number; urls: number; pageResponses: number };
  stop(): void;
}

/** The place and the text around the first key, or piece of one, found in `text`; null when clean. */
export function findKey(keys: string[], text: string): { key: string; around: string } | null {
  for (const key of keys) {
    if (!containsSecret(text, key)) continue;
    let at = text.indexOf(key);
    for (let i = 0; at < 0 && i + 8 <= key.length; i++) at = text.indexOf(key.slice(i, i + 8));
    return { key, around: text.slice(Math.max(0, at - 100), at + 100) };
  }
  return null;
}

function expectClean(keys: string[], where: string, text: string): void {
  const found = findKey(keys, text);
  if (found) throw new Error(`a key (ending …${found.key.slice(-4)}) or an 8-character piece of it is in ${where}: …${found.around}…`);
}


/** The instrument that runs in the page before any of the app's code. */
function pageInstrument(tapName: string): void {
  const w = window as unknown as Record<string, (kind: string, id: string, text: string) => Promise<void>>;
  const tap = (kind: string, id: string, text: string) => {
    // The binding is there from the first script on; never let the instrument break the page.
    void w[tapName]?.(kind, id, text)?.catch?.(() => undefined);
  };
  let streams = 0;
  const original = window.fetch.bind(window);
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const url = new URL(href, location.href);
    const mine = url.origin === location.origin && url.pathname.startsWith('/__gaia/');
    const id = `${url.pathname}#${++streams}`;
    if (mine && typeof init?.body === 'string') tap('request', id, init.body);
    const response = await original(input, init);
    if (mine && response.body) {
      const reader = response.clone().body!.getReader();
      const decoder = new TextDecoder();
      void (async () => {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          tap(url.pathname === '/__gaia/events' ? 'event' : 'call', id, decoder.decode(value, { stream: true }));
        }
      })().catch(() => undefined);
    }
    return response;
  };
  const observe = () => {
    new MutationObserver((records) => {
      const parts: string[] = [];
      for (const r of records) {
        if (r.type === 'childList') r.addedNodes.forEach((n) => parts.push(n instanceof Element ? n.outerHTML : (n.textContent ?? '')));
        else if (r.type === 'characterData') parts.push((r.target as CharacterData).data);
        else if (r.type === 'attributes' && r.target instanceof Element) parts.push(`${r.attributeName}=${r.target.getAttribute(r.attributeName!) ?? ''}`);
      }
      if (parts.length) tap('dom', location.pathname, parts.join('\n'));
    }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  };
  observe();
}

/** Everything the page holds: markup, every attribute, every field's value, storage of every kind. */
async function pageState(page: Page) {
  return page.evaluate(async () => {
    const elements = [...document.querySelectorAll('*')];
    const attributes = elements.flatMap((el) => [...el.attributes].map((a) => `${a.name}=${a.value}`));
    const values = elements
      .filter((el) => el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement || el instanceof HTMLOutputElement)
      .map((el) => (el as HTMLInputElement).value);
    const idb: string[] = [];
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue;
      idb.push(`database ${info.name}`);
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open(info.name!);
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      try {
        for (const store of [...db.objectStoreNames]) {
          const tx = db.transaction(store, 'readonly');
          const all = await new Promise<[unknown[], unknown[]]>((resolve, reject) => {
            const keys = tx.objectStore(store).getAllKeys();
            const vals = tx.objectStore(store).getAll();
            tx.oncomplete = () => resolve([keys.result, vals.result]);
            tx.onerror = () => reject(tx.error);
          });
          idb.push(`store ${store}`, JSON.stringify(all));
        }
      } finally {
        db.close();
      }
    }
    const cached: string[] = [];
    if ('caches' in window) {
      for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        for (const req of await cache.keys()) cached.push(name, req.url, await ((await cache.match(req))?.text() ?? ''));
      }
    }
    return {
      html: document.documentElement.outerHTML,
      title: document.title,
      attributes: attributes.join('\n'),
      values: values.join('\n'),
      local: JSON.stringify(Object.entries(localStorage)),
      session: JSON.stringify(Object.entries(sessionStorage)),
      cookie: document.cookie,
      indexedDb: idb.join('\n'),
      databases: idb.filter((l) => l.startsWith('database ')).length,
      cacheStorage: cached.join('\n'),
      href: location.href,
    };
  });
}

export async function startLeakSweep(page: Page, preview: PreviewProcess, sim: Simulator): Promise<LeakSweep> {
  const simHost = new URL(sim.origin).host;
  const keys = new Set<string>();
  const addKey = (k: unknown) => {
    if (typeof k === 'string' && k.length >= 8) keys.add(k);
  };
  const pollKeys = () => sim.keys().forEach((k) => addKey(k.apiKey));
  pollKeys();
  // Keys that are created and deleted between two checks still have to be looked for.
  const poller = setInterval(pollKeys, 20);

  const dom: string[] = [];
  const streams = new Map<string, { kind: string; text: string }>();
  const toCore: string[] = [];
  const consoleLines: string[] = [];
  const urls: string[] = [];
  const requestHeaders: string[] = [];
  const pageResponses: Array<Promise<string>> = [];

  await page.exposeBinding(TAP, (_source, kind: string, id: string, text: string) => {
    if (kind === 'dom') dom.push(text);
    else if (kind === 'request') toCore.push(text);
    else {
      const s = streams.get(id) ?? { kind, text: '' };
      s.text += text;
      streams.set(id, s);
    }
  });
  await page.addInitScript(pageInstrument, TAP);
  page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()} ${JSON.stringify(m.location())}`));
  page.on('pageerror', (e) => consoleLines.push(`${e.name}: ${e.message}\n${e.stack ?? ''}`));
  page.on('framenavigated', (f) => urls.push(f.url()));
  page.on('request', (r) => {
    urls.push(r.url());
    requestHeaders.push(JSON.stringify(r.headers()));
  });
  // A second, independent record of the core's answers: Playwright's own view of each response.
  page.on('response', (r) => {
    if (new URL(r.url()).pathname === '/__gaia/call') pageResponses.push(r.text().catch(() => ''));
  });

  /** Every value sent in an apikey header is a key to look for. */
  const collectSentKeys = () => {
    for (const r of sim.requestLog) {
      for (let i = 0; i + 1 < r.rawHeaders.length; i += 2) if (r.rawHeaders[i].toLowerCase() === 'apikey') addKey(r.rawHeaders[i + 1]);
    }
  };

  const checkRequestLog = (all: string[]) => {
    const keyService = `${KEY_SERVICE_PATH}/`;
    for (const r of sim.requestLog) {
      const where = `a request to Gaia (${r.method} ${r.path.startsWith(keyService) ? `${KEY_SERVICE_PATH}/…` : r.path})`;
      const sent: string[] = [];
      const rawHeaders: string[] = [];
      for (let i = 0; i + 1 < r.rawHeaders.length; i += 2) {
        if (r.rawHeaders[i].toLowerCase() === 'apikey') sent.push(r.rawHeaders[i + 1]);
        else rawHeaders.push(r.rawHeaders[i], r.rawHeaders[i + 1]);
      }
      if (sent.some((k) => all.includes(k)) && r.headers.host !== simHost) throw new Error(`${where} carried an apikey header to ${String(r.headers.host)}, not the simulator’s host ${simHost}`);
      const headers = Object.fromEntries(Object.entries(r.headers).filter(([name]) => name.toLowerCase() !== 'apikey'));
      // Gaia's key service names the key it changes in its path: that key, there, only.
      const named = (r.method === 'PUT' || r.method === 'DELETE') && r.path.startsWith(keyService) ? r.path.split('/').pop() : undefined;
      const cut = (s: string) => (named ? s.split(named).join('<the key this request changes>') : s);
      expectClean(all, where, JSON.stringify({ method: r.method, path: cut(r.path), rawPath: cut(r.rawPath), query: r.query, body: r.body, headers, rawHeaders }));
      if (named) expectClean([named], `${where}, outside its path`, JSON.stringify({ query: r.query, body: r.body, headers, rawHeaders }));
    }
  };

  return {
    keys: () => (pollKeys(), collectSentKeys(), [...keys]),
    addKey,
    recorded: () => ({
      domChanges: dom.length,
      calls: [...streams.values()].filter((s) => s.kind === 'call').length,
      eventBytes: [...streams.values()].filter((s) => s.kind === 'event').reduce((n, s) => n + s.text.length, 0),
      requestsToCore: toCore.length,
      consoleLines: consoleLines.length,
      urls: urls.length,
      pageResponses: pageResponses.length,
    }),
    async check(when, only) {
      pollKeys();
      collectSentKeys();
      const all = only ?? [...keys];
      checkRequestLog(all);
      const at = (where: string) => `${where} (${when})`;
      const state = await pageState(page);
      expectClean(all, at('the DOM'), state.html);
      expectClean(all, at('the page title'), state.title);
      expectClean(all, at('an attribute value'), state.attributes);
      expectClean(all, at('a field’s value'), state.values);
      expectClean(all, at('the page address'), state.href);
      expectClean(all, at('localStorage'), state.local);
      expectClean(all, at('sessionStorage'), state.session);
      expectClean(all, at('IndexedDB'), state.indexedDb);
      expectClean(all, at('Cache Storage'), state.cacheStorage);
      expectClean(all, at('document.cookie'), state.cookie);
      expectClean(all, at('a cookie'), JSON.stringify(await page.context().cookies()));
      expectClean(all, at('a DOM change'), dom.join('\n'));
      for (const [id, s] of streams) expectClean(all, at(s.kind === 'event' ? `the event stream ${id}` : `a core answer ${id}`), s.text);
      for (const text of await Promise.all(pageResponses)) expectClean(all, at('a core answer (as the browser received it)'), text);
      for (const text of toCore) {
        const body = JSON.parse(text) as { channel?: string; request?: { apiKey?: unknown } };
        if (TYPED_KEY_CHANNELS.has(String(body.channel)) && body.request) delete body.request.apiKey;
        expectClean(all, at(`a call to the core (${String(body.channel)})`), JSON.stringify(body));
      }
      expectClean(all, at('the console'), consoleLines.join('\n'));
      expectClean(all, at('a URL the page showed or requested'), urls.join('\n'));
      expectClean(all, at('a request header the browser sent'), requestHeaders.join('\n'));
      for (const file of filesIn(preview.dataDir, { folders: true })) {
        const name = path.relative(preview.dataDir, file);
        expectClean(all, at(`a file name in the data dir (${name})`), name);
        if (statSync(file).isDirectory()) continue;
        const bytes = readFileSync(file);
        expectClean(all, at(`the file ${name} (UTF-8)`), bytes.toString('utf8'));
        expectClean(all, at(`the file ${name} (latin1)`), bytes.toString('latin1'));
      }
      expectClean(all, at('the preview’s output (stdout and stderr)'), preview.output());
    },
    stop() {
      clearInterval(poller);
    },
  };
}
