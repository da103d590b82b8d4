/**
 * The dataset channels through the real dispatch (request and response checked against
 * the contract, events checked before they go out) with the real client against the
 * simulator: what the renderer gets for every gaia:datasets.* and gaia:llms.list call.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetList, type EventChannel } from '../../preload/contract';
import { createDatasetCache } from '../../main/core/datasets/cache';
import { checkEvent, createDispatch, type Dispatch, type HandlerTable } from '../../main/core/dispatch';
import { appError } from '../../main/core/errors';
import type { GaiaClient } from '../../main/core/gaia/client';
import { datasetHandlers } from '../../main/core/datasets/handlers';
import type { Services } from '../../main/core/services';
import { startSimulator, type Simulator } from '../gaia-sim';
import { capturingLog, simClient, type CapturingLog } from '../support/gaia';

let sim: Simulator;
let log: CapturingLog;
let client: GaiaClient;
let dir: string;
let connected = true;
const events: Array<{ channel: EventChannel; payload: unknown; valid: boolean }> = [];
let dispatch: Dispatch;

beforeAll(async () => {
  sim = await startSimulator();
  log = capturingLog();
  client = simClient(sim, log);
  dir = mkdtempSync(path.join(os.tmpdir(), 'gaia-dsh-'));
  const services = {
    log,
    datasetCache: createDatasetCache({ dataDir: dir, log }),
    connections: {
      active: async () => {
        if (!connected) throw appError('not-connected', 'You are not connected to Gaia yet.', 'Open Connections.');
        return { profile: { id: 'p1', baseUrl: sim.baseUrl, securityContext: null }, client };
      },
    },
  } as unknown as Services;
  dispatch = createDispatch(
    datasetHandlers(services) as unknown as HandlerTable,
    (channel, payload) => {
      const valid = checkEvent(channel, payload);
      events.push({ channel, payload, valid });
      return valid;
    },
    { warn: () => undefined, error: () => undefined },
  );
});

afterAll(async () => {
  await client?.close();
  await sim?.stop();
  log?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

type Ok<T = Record<string, unknown>> = { ok: true; value: T };
async function ok<T = Record<string, unknown>>(channel: string, request: unknown): Promise<T> {
  const result = await dispatch(channel, request);
  if (!result.ok) throw new Error(`${channel} failed: ${JSON.stringify(result.error)}`);
  return (result as Ok<T>).value;
}

describe('dataset channels', () => {
  it('gaia:datasets.list answers a contract-valid list and sends valid progress events for its requestId', async () => {
    events.length = 0;
    const list = DatasetList.parse(await ok('gaia:datasets.list', { requestId: 'handler-list-1' }));
    expect(list.source).toBe('network');
    expect(list.datasets.length).toBe(36);
    const progress = events.filter((e) => e.channel === 'gaia:datasets.progress');
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.every((e) => e.valid && (e.payload as { requestId: string }).requestId === 'handler-list-1')).toBe(true);
    // Next time, from the cache.
    expect((await ok<{ source: string }>('gaia:datasets.list', { requestId: 'handler-list-2' })).source).toBe('cache');
  });

  it('details, topics and a topic summary for names with slashes, CJK and accents', async () => {
    const list = DatasetList.parse(await ok('gaia:datasets.list', { requestId: 'handler-list-3' }));
    for (const name of ['Legal/Contracts 2024', '財務 レポート', 'Project Ünïcödé', 'Payroll?Q3', 'Lab Results 100%']) {
      const details = await ok<{ dataset: { name: string; id: string }; protectedObjects: Array<{ name: string }>; lastRun: unknown }>('gaia:datasets.details', { name });
      expect(details.dataset.name).toBe(name);
      expect(details.protectedObjects[0].name).toBe(`${name} share 1`);
      expect(details.lastRun).not.toBeNull();
      const id = list.datasets.find((d) => d.name === name)!.id;
      expect(details.dataset.id).toBe(id);
      const { topics } = await ok<{ topics: Array<{ uuid: string; suggestedQuestions: string[] }> }>('gaia:datasets.topics', { id });
      expect(topics.length).toBeGreaterThan(0);
      const summary = await ok<{ description: string | null; suggestedQuestions: string[] }>('gaia:datasets.topicSummary', { id, uuid: topics[0].uuid });
      expect(summary.description).toBeTruthy();
      expect(summary.suggestedQuestions).toEqual(topics[0].suggestedQuestions);
    }
  });

  it('stats and models', async () => {
    const { stats } = await ok<{ stats: Record<string, unknown> }>('gaia:datasets.stats', {});
    expect(stats.numDatasets).toBe(36);
    const { llms } = await ok<{ llms: Array<{ id: string; isDefault: boolean }> }>('gaia:llms.list', {});
    expect(llms.find((l) => l.isDefault)?.id).toBe('sim-gpt-4o');
  });

  it('an unknown dataset is "not found", an unknown request id is not cancelled', async () => {
    const missing = await dispatch('gaia:datasets.details', { name: 'No such dataset' });
    expect(missing).toMatchObject({ ok: false, error: { kind: 'not-found' } });
    expect(await ok('gaia:datasets.cancel', { requestId: 'nothing-running' })).toEqual({ cancelled: false });
  });

  it('cancel through the channel stops a running list', async () => {
    sim.faults.set({ latencyMs: 400 });
    try {
      const pending = dispatch('gaia:datasets.list', { requestId: 'handler-cancel-1', refresh: true });
      await new Promise((r) => setTimeout(r, 100));
      expect(await ok('gaia:datasets.cancel', { requestId: 'handler-cancel-1' })).toEqual({ cancelled: true });
      expect(await pending).toMatchObject({ ok: false, error: { kind: 'aborted' } });
    } finally {
      sim.faults.clear();
    }
  });

  it('server filters are checked by the contract (no "unknown" status on the server)', async () => {
    const bad = await dispatch('gaia:datasets.list', { requestId: 'handler-bad-1', server: { statuses: ['unknown'] } });
    expect(bad).toMatchObject({ ok: false, error: { kind: 'invalid-request' } });
    const list = await ok<{ datasets: Array<{ name: string }> }>('gaia:datasets.list', { requestId: 'handler-srv-1', server: { namePrefix: 'Board' } });
    expect(list.datasets.map((d) => d.name)).toEqual(['Board Minutes 2023', 'Board Minutes 2024']);
  });

  it('without a connection every channel says "not connected"', async () => {
    connected = false;
    try {
      for (const [channel, request] of [
        ['gaia:datasets.list', { requestId: 'handler-nc-1' }],
        ['gaia:datasets.details', { name: 'Finance Reports' }],
        ['gaia:datasets.stats', {}],
        ['gaia:datasets.topics', { id: 'abc' }],
        ['gaia:datasets.topicSummary', { id: 'abc', uuid: 'def' }],
        ['gaia:llms.list', {}],
      ] as const) {
        expect(await dispatch(channel, request)).toMatchObject({ ok: false, error: { kind: 'not-connected' } });
      }
    } finally {
      connected = true;
    }
  });
});
