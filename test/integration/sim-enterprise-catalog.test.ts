/**
 * The catalog `npm run demo` shows (the simulator's `datasets: 'enterprise'`), through the
 * real gaia.client over TLS: documented shapes, realistic variety, and answers that cite the
 * bundled documents — including the question the demo opens with.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DatasetDetails, DatasetSummary, SourceDocument, Topic } from '../../preload/contract';
import type { StreamEvent } from '../../main/core/gaia/client';
import { useSimClient } from '../support/gaia';

const gaia = useSimClient({ datasets: 'enterprise' });


const DAY = 86_400_000;

describe('the enterprise demo catalog', () => {
  it('lists 40–80 datasets in the contract shape, with varied sources, two indexing and one with warnings', async () => {
    const all = await gaia.client.listAllDatasets({});
    z.array(DatasetSummary).parse(all);
    expect(all.length).toBeGreaterThanOrEqual(40);
    expect(all.length).toBeLessThanOrEqual(80);
    expect(new Set(all.map((d) => d.name)).size).toBe(all.length);
    // None of the test catalog's odd names.
    expect(all.map((d) => d.name)).not.toContain('Payroll?Q3');
    for (const name of ['Travel & Expenses', 'Finance Reports', 'HR Policies (EMEA)', 'Legal Contracts – Vendors', 'Engineering Wiki Snapshot', 'Customer Support Tickets Q3']) {
      expect(all.map((d) => d.name)).toContain(name);
    }
    const indexing = all.filter((d) => d.health === 'indexing');
    expect(indexing).toHaveLength(2);
    for (const d of indexing) {
      expect(d.progress).toBeGreaterThan(0);
      expect(d.progress).toBeLessThan(100);
    }
    expect(all.filter((d) => d.health === 'warning')).toHaveLength(1);
    expect(all.filter((d) => d.health === 'healthy')).toHaveLength(all.length - 3);
    const objects = all.map((d) => d.numObjects);
    expect(Math.min(...objects)).toBeGreaterThanOrEqual(200);
    expect(Math.max(...objects)).toBeGreaterThan(100_000);
    expect(all.some((d) => d.numQueries > 100)).toBe(true);
    // Indexed recently, not in the future.
    for (const d of all) {
      expect(d.lastIndexedAt).toBeLessThan(Date.now());
      expect(d.lastIndexedAt).toBeGreaterThan(Date.now() - 11 * DAY);
    }
  });

  it('names Gaia environments for its sources, and windows reaching back months', async () => {
    const all = await gaia.client.listAllDatasets({});
    const environments = new Set<string>();
    let longest = 0;
    for (const d of all) {
      const details = DatasetDetails.parse(await gaia.client.datasetDetails(d.name));
      for (const s of details.dataSources) environments.add(String(s.environment));
      expect(details.protectedObjects.length).toBeGreaterThan(0);
      const { start, end } = details.indexingWindow;
      expect(start).toBeLessThan(end!);
      longest = Math.max(longest, end! - start!);
      if (d.health === 'indexing') {
        expect(details.lastRun!.end).toBeNull();
        expect(details.lastRun!.progress).toBeLessThan(100);
      }
      if (d.health === 'warning') expect(details.lastRun!.stats.numErrors).toBeGreaterThan(0);
    }
    for (const env of ['kO365Exchange', 'kO365Sharepoint', 'kGenericNas', 'kVMware', 'kSQL', 'kPhysical']) expect(environments).toContain(env);
    expect(longest).toBeGreaterThan(90 * DAY);
  });

  it('gives every dataset topics with suggested questions', async () => {
    for (const d of await gaia.client.listAllDatasets({})) {
      const topics = z.array(Topic).parse(await gaia.client.topics(d.id));
      expect(topics.length, d.name).toBeGreaterThan(0);
      for (const t of topics) expect(t.suggestedQuestions.length, `${d.name}: ${t.name}`).toBeGreaterThan(0);
    }
  });

  it('streams the question the demo opens with, citing the travel policy where it sits', async () => {
    // scripts/demo.ts: these two datasets, the first suggested question of the first.
    const all = await gaia.client.listAllDatasets({});
    const travel = all.find((d) => d.name === 'Travel & Expenses')!;
    const question = (await gaia.client.topics(travel.id))[0].suggestedQuestions[0];
    expect(question).toMatch(/\?$/);
    const events: StreamEvent[] = [];
    // Paced as a model writes (one network read is one delta, so an unpaced answer may be one piece).
    gaia.sim.faults.set({ streamPace: { msPerWord: 3 } });
    const result = await gaia.client
      .askStream({ datasetNames: ['Travel & Expenses', 'Finance Reports'], queryString: question }, { onEvent: (e) => events.push(e) })
      .finally(() => gaia.sim.faults.clear());
    expect(events.filter((e) => e.type === 'delta').length).toBeGreaterThan(3);
    expect(result.responseString).toMatch(/180 EUR/);
    expect(result.responseString).toMatch(/\[1\]/);
    z.array(SourceDocument).parse(result.documents);
    expect(result.documents[0].name).toBe('travel-policy.md');
    expect(result.documents[0].citations[0].snippet).toMatch(/180 EUR per night/);
  });

  it('answers from the added enterprise documents', async () => {
    const result = await gaia.client.ask({ datasetNames: ['HR Policies (EMEA)'], queryString: 'How many days of annual leave do EMEA employees get?' });
    expect(result.responseString).toMatch(/25 days/);
    expect(result.documents[0].name).toBe('hr-leave-policy-emea.md');
  });
});
