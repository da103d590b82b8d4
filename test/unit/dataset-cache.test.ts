import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DatasetSummary } from '../../preload/contract';
import { createDatasetCache } from '../../main/core/datasets/cache';
import { cachedNamesAt, placeOf } from '../../main/core/datasets/place';
import { AppError } from '../../main/core/errors';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'gaia-dsc-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function dataset(i: number): DatasetSummary {
  return {
    id: `ds-${i}`,
    name: `Dataset ${i}`,
    description: i % 3 === 0 ? null : `Backups of share ${i}`,
    numObjects: i,
    numQueries: i * 2,
    dataSources: [`fs-${i % 17}`],
    health: i % 5 === 0 ? 'indexing' : 'healthy',
    progress: i % 5 === 0 ? 50 : null,
    lastIndexedAt: 1_700_000_000_000 + i,
  };
}

describe('dataset cache', () => {
  it('reads back what was written, per profile, and nothing for others', async () => {
    const cache = createDatasetCache({ dataDir: dir });
    expect(await cache.read('p1')).toBeNull();
    await cache.write('p1', [dataset(1), dataset(2)], 1234);
    expect(await cache.read('p1')).toEqual({ fetchedAt: 1234, datasets: [dataset(1), dataset(2)] });
    expect(await cache.read('p2')).toBeNull();
    expect(existsSync(path.join(dir, 'cache', 'datasets-p1.json'))).toBe(true);
    await cache.remove('p1');
    expect(await cache.read('p1')).toBeNull();
  });

  it('handles 100,000 datasets in one compact write, quickly', async () => {
    const cache = createDatasetCache({ dataDir: dir });
    const many = Array.from({ length: 100_000 }, (_, i) => dataset(i));
    const started = performance.now();
    await cache.write('big', many, 42);
    const written = performance.now();
    const back = await createDatasetCache({ dataDir: dir }).read('big');
    const read = performance.now();
    expect(back?.datasets).toHaveLength(100_000);
    expect(back?.datasets[99_999]).toEqual(dataset(99_999));
    const text = readFileSync(path.join(dir, 'cache', 'datasets-big.json'), 'utf8');
    expect(text.split('\n').filter(Boolean)).toHaveLength(1);
    // Typically about 0.5 s each; the bounds leave room for a busy CI machine.
    expect(written - started).toBeLessThan(10_000);
    expect(read - written).toBeLessThan(10_000);
  });

  it.each([0, 1, 999, 1000, 1001, 2500])('round-trips %i datasets of any text, across the pieces the file is written in', async (count) => {
    const cache = createDatasetCache({ dataDir: dir });
    // Multi-byte text (accents, CJK, an emoji), JSON's escapes, and long descriptions, so
    // a piece outgrows the write buffer and byte offsets differ from string offsets.
    const text = (i: number) => `Sauvegarde ${i} — 日本語 “quoted” \\ "raw" \n 🎉 ${'é'.repeat(i % 7 === 0 ? 3000 : 1)}`;
    const list = Array.from({ length: count }, (_, i) => ({ ...dataset(i), description: text(i), dataSources: [text(i).slice(0, 40), `fs-${i}`] }));
    await cache.write('p1', list, 1234);
    expect(await createDatasetCache({ dataDir: dir }).read('p1')).toEqual({ fetchedAt: 1234, datasets: list });
    expect(readdirSync(path.join(dir, 'cache'))).toEqual(['datasets-p1.json']);
  });

  it('the last of several quick writes wins, and a removal after a write sticks', async () => {
    const cache = createDatasetCache({ dataDir: dir });
    await Promise.all([cache.write('p', [dataset(1)], 1), cache.write('p', [dataset(2)], 2), cache.write('p', [dataset(3)], 3)]);
    expect((await cache.read('p'))?.fetchedAt).toBe(3);
    const w = cache.write('p', [dataset(4)], 4);
    const r = cache.remove('p');
    await Promise.all([w, r]);
    expect(await cache.read('p')).toBeNull();
  });

  it('flush waits for writes nobody awaited (the core flushes before it closes)', async () => {
    const cache = createDatasetCache({ dataDir: dir });
    const many = Array.from({ length: 20_000 }, (_, i) => dataset(i));
    void cache.write('p1', many, 1);
    void cache.write('p2', [dataset(1)], 2);
    expect(existsSync(path.join(dir, 'cache', 'datasets-p1.json'))).toBe(false);
    await cache.flush();
    expect(existsSync(path.join(dir, 'cache', 'datasets-p1.json'))).toBe(true);
    expect(existsSync(path.join(dir, 'cache', 'datasets-p2.json'))).toBe(true);
    await cache.flush();
  });

  it('throws a corrupt cache away and carries on', async () => {
    const cache = createDatasetCache({ dataDir: dir });
    await cache.write('p', [dataset(1)], 1);
    const file = path.join(dir, 'cache', 'datasets-p.json');
    writeFileSync(file, '{"version":1,"data":{"fetchedAt":1,"datasets":[{"id"');
    const warnings: string[] = [];
    const fresh = createDatasetCache({ dataDir: dir, log: { warn: (m) => warnings.push(m) } });
    expect(await fresh.read('p')).toBeNull();
    expect(warnings.join(' ')).toMatch(/not valid JSON/);
    expect(readdirSync(path.join(dir, 'cache'))).toEqual([]);
  });

  it('a list already checked is not walked again on write, and a read still checks it', async () => {
    const warnings: string[] = [];
    const cache = createDatasetCache({ dataDir: dir, log: { warn: (m) => warnings.push(m) } });
    // Only a caller that checked the list says so; this one lies, and the read catches it.
    const bad = [{ ...dataset(1), health: 'on fire' }] as unknown as DatasetSummary[];
    await cache.write('p', bad, 1, { checked: true });
    expect(await cache.read('p')).toBeNull();
    expect(warnings.join(' ')).toMatch(/not in the expected form/);
  });

  it('refuses a list outside the contract, and unsafe profile ids', async () => {
    const cache = createDatasetCache({ dataDir: dir });
    const bad = [{ ...dataset(1), health: 'on fire' }] as unknown as DatasetSummary[];
    await expect(cache.write('p', bad, 1)).rejects.toBeInstanceOf(AppError);
    await expect(cache.read('../etc')).rejects.toMatchObject({ info: { kind: 'no-such-profile' } });
  });
});

describe('names from the cached list, by place (main/core/datasets/place.ts)', () => {
  const old = { id: 'p1', baseUrl: 'https://old.example/v2/mcm/gaia', securityContext: null };
  const moved = { ...old, baseUrl: 'https://new.example/v2/mcm/gaia' };

  it("names an answer's sources only from a list fetched where the connection points now", async () => {
    const cache = createDatasetCache({ dataDir: dir });
    // A list that finished on the old server after the connection moved (list-after-move.test.ts).
    await cache.write('p1', [dataset(1)], 1234, { place: placeOf(old) });
    await cache.flush();
    expect(await cachedNamesAt(cache, old)).toEqual(new Map([['ds-1', 'Dataset 1']]));
    expect(await cachedNamesAt(cache, moved)).toEqual(new Map());
    expect(await cachedNamesAt(cache, { ...old, securityContext: 'tenant-b' })).toEqual(new Map());
  });

  it('still uses a list written before lists said where they came from', async () => {
    const cache = createDatasetCache({ dataDir: dir });
    await cache.write('p1', [dataset(2)], 1234);
    await cache.flush();
    expect(await cachedNamesAt(cache, moved)).toEqual(new Map([['ds-2', 'Dataset 2']]));
  });

  it('uses neither such a list nor one from before key ids once a key has been stored again', async () => {
    const cache = createDatasetCache({ dataDir: dir });
    const rekeyed = { ...old, keyId: '1b4e28ba-2fa1-11d2-883f-0016d3cca427' };
    await cache.write('p1', [dataset(2)], 1234);
    await cache.flush();
    expect(await cachedNamesAt(cache, rekeyed)).toEqual(new Map());
    await cache.write('p1', [dataset(3)], 1234, { place: placeOf(old) });
    await cache.flush();
    expect(await cachedNamesAt(cache, old)).toEqual(new Map([['ds-3', 'Dataset 3']]));
    expect(await cachedNamesAt(cache, rekeyed)).toEqual(new Map());
    expect(await cachedNamesAt(cache, { ...old, keyId: 'another-key-id' })).toEqual(new Map());
  });
});
