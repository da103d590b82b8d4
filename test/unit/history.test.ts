import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Conversation, type Turn } from '../../preload/contract';
import { createHistory, type StoredConversation } from '../../main/core/ask/history';
import { fold, matchConversation } from '../../main/core/ask/search';
import { safeFileName } from '../../main/core/ask/export';
import { AppError } from '../../main/core/errors';

// Counts the atomic writes that reach the disk (the real writer still does the work).
const writes = vi.hoisted(() => ({ byFile: new Map<string, number>() }));
vi.mock('write-file-atomic', async (importOriginal) => {
  const real = (await importOriginal()) as { default: (file: string, data: string, options?: unknown) => Promise<void> };
  const counted = async (file: string, data: string, options?: unknown) => {
    writes.byFile.set(file, (writes.byFile.get(file) ?? 0) + 1);
    return real.default(file, data, options);
  };
  return { ...real, default: counted };
});

const P = 'profile-1';
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'gaia-hist-'));
  writes.byFile.clear();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const convFile = (id: string, profile = P) => path.join(dir, 'history', profile, `${id}.json`);
const onDisk = (id: string): StoredConversation => JSON.parse(readFileSync(convFile(id), 'utf8')).data;

function turn(over: Partial<Turn> = {}): Turn {
  return {
    id: over.id ?? `t-${Math.random().toString(36).slice(2, 10)}`,
    question: 'What changed in the Q3 budget?',
    datasetNames: ['finance'],
    llmId: null,
    languageCode: null,
    answer: '',
    status: 'streaming',
    error: null,
    progress: [],
    followUps: [],
    documents: [],
    queryUid: null,
    feedback: null,
    refinedFrom: null,
    askedAt: 1_700_000_000_000,
    answeredAt: null,
    ...over,
  };
}

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a failure');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('history', () => {
  it('keeps conversations and turns across restarts, one file each, valid against the contract', async () => {
    const h = createHistory({ dataDir: dir });
    const c = await h.create(P, { title: '  Budget\nquestions ', datasetNames: ['finance', 'finance'] });
    expect(c.title).toBe('Budget questions');
    const t = turn({ answer: 'The travel budget went down.', status: 'complete', answeredAt: 1_700_000_001_000 });
    await h.addTurn(P, c.id, t);
    await h.setServerConversationId(P, c.id, 'srv-123');

    const again = createHistory({ dataDir: dir });
    const loaded = await again.get(P, c.id);
    expect(Conversation.parse(loaded)).toBeTruthy();
    expect(loaded).toMatchObject({ id: c.id, title: 'Budget questions', serverConversationId: 'srv-123', datasetNames: ['finance'] });
    expect(loaded.turns).toEqual([t]);
    const { conversations, problems } = await again.list(P);
    expect(problems).toEqual([]);
    expect(conversations).toEqual([expect.objectContaining({ id: c.id, turnCount: 1, match: null, datasetNames: ['finance'] })]);
    expect(readdirSync(path.join(dir, 'history', P))).toEqual([`${c.id}.json`]);
  });

  it('coalesces streaming updates into few writes, and writes the final state at once', async () => {
    const h = createHistory({ dataDir: dir, throttleMs: 100 });
    const c = await h.create(P, { title: 'Streaming', datasetNames: ['finance'] });
    const t = turn();
    await h.addTurn(P, c.id, t);
    const before = writes.byFile.get(convFile(c.id))!;
    let answer = '';
    const started = Date.now();
    for (let i = 0; i < 60; i++) {
      answer += `chunk ${i} `;
      await h.updateTurn(P, c.id, { ...t, answer });
      await sleep(5);
    }
    const elapsed = Date.now() - started;
    const streamingWrites = writes.byFile.get(convFile(c.id))! - before;
    // At most one write per 100 ms (plus the trailing one), never one per chunk.
    expect(streamingWrites).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 1);
    expect(streamingWrites).toBeLessThan(20);

    // The disk may lag behind while streaming; flush catches it up.
    await h.flush();
    expect(onDisk(c.id).turns[0].answer).toBe(answer);

    // A final state does not wait for the throttle.
    await h.updateTurn(P, c.id, { ...t, answer: `${answer}done`, status: 'complete', answeredAt: 1 });
    expect(onDisk(c.id).turns[0]).toMatchObject({ status: 'complete', answer: `${answer}done` });
  });

  it("holds Gaia's conversation id for the turn's final write when asked to, so a finished answer is one write", async () => {
    const h = createHistory({ dataDir: dir, throttleMs: 10_000 });
    const c = await h.create(P, { title: 'x', datasetNames: [] });
    const t = turn({ answer: 'the whole answer' });
    await h.addTurn(P, c.id, t);
    const before = writes.byFile.get(convFile(c.id))!;
    await h.setServerConversationId(P, c.id, 'srv-9', { withNextWrite: true });
    expect(writes.byFile.get(convFile(c.id))).toBe(before);
    await h.updateTurn(P, c.id, { ...t, status: 'complete', answeredAt: 1 });
    expect(writes.byFile.get(convFile(c.id))).toBe(before + 1);
    expect(onDisk(c.id)).toMatchObject({ serverConversationId: 'srv-9', turns: [{ status: 'complete' }] });
  });

  it('writes a streaming conversation within the throttle time even without flush', async () => {
    const h = createHistory({ dataDir: dir, throttleMs: 50 });
    const c = await h.create(P, { title: 'x', datasetNames: [] });
    const t = turn();
    await h.addTurn(P, c.id, t);
    await h.updateTurn(P, c.id, { ...t, answer: 'partial answer' });
    // Written by the timer alone; the gap grows with the cost of the last write (up to 2 s),
    // which a busy machine makes large, so wait past that cap rather than the throttle.
    await expect.poll(() => onDisk(c.id).turns[0].answer, { timeout: 3_000, interval: 50 }).toBe('partial answer');
  });

  it("loads a turn left 'streaming' by a process that died as 'incomplete'", async () => {
    const h = createHistory({ dataDir: dir });
    const c = await h.create(P, { title: 'x', datasetNames: [] });
    const t = turn({ answer: 'half an ans' });
    await h.addTurn(P, c.id, t);
    expect(onDisk(c.id).turns[0].status).toBe('streaming');
    // This process is still streaming it: it stays streaming here.
    expect((await h.get(P, c.id)).turns[0].status).toBe('streaming');
    // The next start of the app sees an interrupted answer.
    const next = createHistory({ dataDir: dir });
    expect((await next.get(P, c.id)).turns[0]).toMatchObject({ status: 'incomplete', answer: 'half an ans' });
  });

  it('sets a corrupt conversation file aside alone and reports it', async () => {
    const h = createHistory({ dataDir: dir });
    const ids: string[] = [];
    for (const title of ['one', 'two', 'three']) ids.push((await h.create(P, { title, datasetNames: [] })).id);
    writeFileSync(convFile(ids[1]), '{"version":1,"data":{"id":"');

    const next = createHistory({ dataDir: dir });
    const { conversations, problems } = await next.list(P);
    expect(conversations.map((c) => c.title).sort()).toEqual(['one', 'three']);
    expect(problems).toHaveLength(1);
    expect(problems[0].file).toBe(convFile(ids[1]));
    expect(problems[0].movedTo).toMatch(/\.corrupt-/);
    expect(readFileSync(problems[0].movedTo!, 'utf8')).toBe('{"version":1,"data":{"id":"');
    expect(existsSync(convFile(ids[0])) && existsSync(convFile(ids[2]))).toBe(true);
    // Reported once; the rest of the history carries on.
    expect((await next.list(P)).problems).toEqual([]);
    expect((await failure(next.get(P, ids[1]))).info.kind).toBe('no-such-conversation');
  });

  it('reports a conversation that fails validation, too', async () => {
    const h = createHistory({ dataDir: dir });
    const c = await h.create(P, { title: 'valid json, wrong shape', datasetNames: [] });
    writeFileSync(convFile(c.id), JSON.stringify({ version: 1, data: { id: c.id, turns: 'nope' } }));
    const fresh = createHistory({ dataDir: dir });
    const err = await failure(fresh.get(P, c.id));
    expect(err.info.kind).toBe('storage');
    expect(err.info.message).toMatch(/not in the expected form/);
  });

  it('searches questions and answers regardless of case and accents, with an excerpt', async () => {
    const h = createHistory({ dataDir: dir });
    const a = await h.create(P, { title: 'Travel', datasetNames: [] });
    await h.addTurn(P, a.id, turn({ question: 'Where is the CV?', answer: `${'Lorem ipsum dolor sit amet. '.repeat(10)}The Résumé of the Ålesund office is in HR/2023.`, status: 'complete' }));
    const b = await h.create(P, { title: 'Other', datasetNames: [] });
    await h.addTurn(P, b.id, turn({ question: 'Anything about resumes?', answer: 'No.', status: 'complete' }));

    const hits = (await h.list(P, 'RESUME alesund')).conversations;
    expect(hits.map((c) => c.id)).toEqual([a.id]);
    expect(hits[0].match).toContain('Résumé of the Ålesund');
    expect(hits[0].match!.startsWith('…')).toBe(true);
    expect(hits[0].match!.length).toBeLessThanOrEqual(1024);

    expect((await h.list(P, 'resume')).conversations.map((c) => c.id).sort()).toEqual([a.id, b.id].sort());
    expect((await h.list(P, 'nonexistent')).conversations).toEqual([]);
    expect((await h.list(P, '   ')).conversations).toHaveLength(2);
  });

  it('keeps dataset names exactly as Gaia sent them in the history and the export (runs of spaces, leading and trailing)', async () => {
    const spaced = '  Legal   Hold  2024 ';
    const h = createHistory({ dataDir: dir });
    const c = await h.create(P, { title: 'Holds', datasetNames: [spaced] });
    await h.addTurn(P, c.id, turn({ datasetNames: [spaced], answer: 'Seven years.', status: 'complete' }));
    expect((await h.get(P, c.id)).turns[0].datasetNames).toEqual([spaced]);
    expect((await h.list(P)).conversations[0].datasetNames).toEqual([spaced]);
    const { markdown } = await h.exportMarkdown(P, c.id);
    expect(markdown).toContain(spaced);
  });

  it('exports one conversation as markdown with its sources and citations, under a safe name', async () => {
    const h = createHistory({ dataDir: dir });
    const c = await h.create(P, { title: 'CON', datasetNames: ['finance'] });
    await h.addTurn(
      P,
      c.id,
      turn({
        question: 'What changed?\nIn detail.',
        answer: 'Travel went **down** [1].',
        status: 'complete',
        documents: [
          {
            documentId: 'd1',
            name: 'budget_2023*.xlsx',
            path: '/finance/budget_2023*.xlsx',
            type: 'xlsx',
            datasetId: 'ds1',
            datasetName: 'finance',
            objectName: 'fileserver-01',
            environment: 'kPhysical',
            cluster: 'cl-1',
            snapshotAt: 1_690_000_000_000,
            citations: [{ score: 0.87, snippet: 'Travel: 120k → 80k <script>' }],
          },
        ],
        followUps: ['Why?'],
      }),
    );
    const { markdown, fileName } = await h.exportMarkdown(P, c.id);
    expect(markdown).toContain('# CON');
    expect(markdown).toContain('> What changed?\n> In detail.');
    expect(markdown).toContain('Travel went **down** [1].');
    expect(markdown).toContain('### Sources');
    expect(markdown).toContain('budget\\_2023\\*.xlsx');
    // The app's one score scale, and Gaia's enum in words.
    expect(markdown).toContain('relevance 87%');
    expect(markdown).not.toContain('0.87');
    expect(markdown).toContain('Physical server');
    expect(markdown).not.toContain('kPhysical');
    expect(markdown).toContain('Travel: 120k → 80k &lt;script>');
    expect(markdown).not.toContain('<script>');
    expect(markdown).toContain('- Why?');
    expect(fileName).toMatch(/^_CON \d{4}-\d{2}-\d{2}\.md$/);
  });

  it('with history off, writes nothing and keeps conversations for the session only', async () => {
    const h = createHistory({ dataDir: dir, enabled: false, throttleMs: 10 });
    const c = await h.create(P, { title: 'Secret project', datasetNames: [] });
    const t = turn();
    await h.addTurn(P, c.id, t);
    await h.updateTurn(P, c.id, { ...t, answer: 'streamed', status: 'complete' });
    await h.rename(P, c.id, 'Renamed');
    await h.flush();
    await sleep(50);
    expect(readdirSync(dir)).toEqual([]);
    expect(writes.byFile.size).toBe(0);
    expect((await h.list(P)).conversations.map((x) => x.title)).toEqual(['Renamed']);
    expect((await h.get(P, c.id)).turns[0].answer).toBe('streamed');
    expect((await h.exportMarkdown(P, c.id)).markdown).toContain('streamed');
    // The next start has nothing.
    expect((await createHistory({ dataDir: dir }).list(P)).conversations).toEqual([]);
  });

  it('with history off, older history stays readable and deletable, and changes to it stay in memory', async () => {
    const on = createHistory({ dataDir: dir });
    const old = await on.create(P, { title: 'from yesterday', datasetNames: [] });
    const off = createHistory({ dataDir: dir, enabled: false });
    expect((await off.list(P)).conversations.map((c) => c.title)).toEqual(['from yesterday']);
    await off.rename(P, old.id, 'renamed today');
    expect((await off.get(P, old.id)).title).toBe('renamed today');
    expect(onDisk(old.id).title).toBe('from yesterday');
    expect(await off.remove(P, old.id)).toBe(true);
    expect(existsSync(convFile(old.id))).toBe(false);
  });

  it('turning history off stops writing; turning it on saves the session', async () => {
    const h = createHistory({ dataDir: dir });
    const kept = await h.create(P, { title: 'before', datasetNames: [] });
    await h.setEnabled(false);
    const during = await h.create(P, { title: 'during', datasetNames: [] });
    await h.rename(P, kept.id, 'renamed while off');
    expect(existsSync(convFile(during.id))).toBe(false);
    expect(onDisk(kept.id).title).toBe('before');
    await h.setEnabled(true);
    expect(onDisk(during.id).title).toBe('during');
    expect(onDisk(kept.id).title).toBe('renamed while off');
  });

  it('renames and removes; a removed conversation does not come back from a pending write', async () => {
    const h = createHistory({ dataDir: dir, throttleMs: 30 });
    const c = await h.create(P, { title: 'old', datasetNames: [] });
    expect(await h.rename(P, c.id, ' new title ')).toMatchObject({ id: c.id, title: 'new title' });
    const t = turn();
    await h.addTurn(P, c.id, t);
    await h.updateTurn(P, c.id, { ...t, answer: 'more' });
    expect(await h.remove(P, c.id)).toBe(true);
    await sleep(80);
    await h.flush();
    expect(existsSync(convFile(c.id))).toBe(false);
    expect(await h.remove(P, c.id)).toBe(false);
    expect((await failure(h.get(P, c.id))).info.kind).toBe('no-such-conversation');
  });

  it('removes a whole profile', async () => {
    const h = createHistory({ dataDir: dir });
    await h.create(P, { title: 'a', datasetNames: [] });
    await h.saveComposer(P, { datasetNames: ['x'], llmId: null, languageCode: null });
    const other = await h.create('profile-2', { title: 'b', datasetNames: [] });
    await h.removeProfile(P);
    expect(existsSync(path.join(dir, 'history', P))).toBe(false);
    expect(await h.getComposer(P)).toEqual({ datasetNames: [], llmId: null, languageCode: null });
    expect((await h.get('profile-2', other.id)).title).toBe('b');
  });

  it('keeps composer settings per profile', async () => {
    const h = createHistory({ dataDir: dir });
    expect(await h.getComposer(P)).toEqual({ datasetNames: [], llmId: null, languageCode: null });
    await h.saveComposer(P, { datasetNames: ['a', 'b', 'a'], llmId: 'llm-1', languageCode: 'de' });
    expect(await createHistory({ dataDir: dir }).getComposer(P)).toEqual({ datasetNames: ['a', 'b'], llmId: 'llm-1', languageCode: 'de' });
    expect(await h.getComposer('profile-2')).toEqual({ datasetNames: [], llmId: null, languageCode: null });
  });

  it('refuses ids that could leave the history folder, and invalid turns', async () => {
    const h = createHistory({ dataDir: dir });
    for (const bad of ['..', '../x', 'a/b', '.hidden', 'C:']) {
      expect((await failure(h.list(bad))).info.kind).toBe('no-such-profile');
      expect((await failure(h.get(P, bad))).info.kind).toBe('no-such-conversation');
    }
    const c = await h.create(P, { title: 'x', datasetNames: [] });
    await expect(h.addTurn(P, c.id, { ...turn(), status: 'bogus' } as unknown as Turn)).rejects.toThrow();
    expect(onDisk(c.id).turns).toEqual([]);
  });
});

describe('search helpers', () => {
  it('folds case and accents and maps back to the original text', () => {
    const f = fold('Crème BRÛLÉE ﬁne');
    expect(f.text).toBe('creme brulee ﬁne');
    expect(f.map[f.text.indexOf('brulee')]).toBe('Crème '.length);
  });

  it('requires every term', () => {
    const c = { id: 'c', title: 'T', serverConversationId: null, createdAt: 0, updatedAt: 0, datasetNames: [], turns: [turn({ question: 'alpha', answer: 'beta' })] };
    expect(matchConversation(c, 'alpha beta')).not.toBeNull();
    expect(matchConversation(c, 'alpha gamma')).toBeNull();
  });
});

describe('safeFileName', () => {
  it('makes names that are valid everywhere', () => {
    const at = Date.UTC(2024, 4, 1);
    expect(safeFileName('a/b\\c:d*e?f"g<h>i|j', at)).toBe('a b c d e f g h i j 2024-05-01.md');
    expect(safeFileName('  ...  ', at)).toBe('Gaia conversation 2024-05-01.md');
    expect(safeFileName('nul.txt', at)).toBe('_nul.txt 2024-05-01.md');
    expect(safeFileName('evil\u202Egpj.exe', at)).not.toMatch(/\u202E/);
    expect([...safeFileName('é'.repeat(300), at)].length).toBeLessThanOrEqual(80 + 14);
  });
});
