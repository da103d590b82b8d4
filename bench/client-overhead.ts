/**
 * 1. Client overhead on the demo corpus (one page): gaia:datasets.list with refresh
 * through a real core's dispatch — request validation, the handler, the lister (progress
 * events, cache write), the Gaia client (retries armed, deadline, body cap, wire
 * validation and conversion), response validation — against a bare undici request for
 * the same page. Both warm, with keep-alive, interleaved so both see the same noise, and
 * both as built JavaScript (bench-core.js: the core as the app ships it; bench-bare.js: the
 * bare client, from the same build), not TypeScript through tsx.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { benchCore, connect } from './lib/core';
import { ratioOf, type Row } from './lib/report';
import { shippedBare, shippedCore } from './lib/shipped';
import type { SimProcess } from './lib/sim';
import { summarize } from './lib/stats';

const WARMUP = 50;
const RUNS = 300;

export async function clientOverhead(sim: SimProcess): Promise<Row> {
  await sim.faults({});
  const { createGaiaClient, createLog } = await shippedCore();
  const { bareClient } = await shippedBare();
  const { core, dataDir } = await benchCore();
  const bare = bareClient(sim);
  try {
    await connect(core, sim);
    // As in the app, the datasets arrive as page events (checked against the contract on the way out) and the answer carries their count.
    let paged = 0;
    core.onEvent((channel, payload) => {
      if (channel === 'gaia:datasets.page') paged += (payload as { datasets: unknown[] }).datasets.length;
    });
    let label = 'gaia:datasets.list (refresh, pages) via the core’s dispatch';
    // The request id is the caller's (the window makes it), so it is made before the clock starts.
    const requestId = (i: number) => `bench-${i}-${randomBytes(4).toString('hex')}`;
    let viaCore = async (i: number, id = requestId(i)) => {
      const r = await core.dispatch('gaia:datasets.list', { requestId: id, refresh: true, pages: true });
      if (!r.ok) throw Object.assign(new Error(`datasets.list failed: ${r.error.kind}: ${r.error.message}`), { kind: r.error.kind });
      const value = r.value as { datasets: unknown[]; streamed?: number };
      return value.streamed ?? value.datasets.length;
    };
    let closeFallback = async () => undefined as void;
    try {
      await viaCore(0);
    } catch (err) {
      if ((err as { kind?: string }).kind !== 'unsupported') throw err;
      // The datasets handler has not landed: measure the client the handler will use.
      const client = createGaiaClient({ baseUrl: sim.baseUrl, apiKey: sim.demoKey, caPem: sim.caPem, verifyTls: true }, { log: createLog({ dir: null }), env: {} });
      label = 'GaiaClient.listAllDatasets (datasets handler not built yet)';
      viaCore = async () => (await client.listAllDatasets({})).length;
      closeFallback = () => client.close();
    }
    const viaBare = async () => (await bare.listAll()).length;
    // For attribution only: the Gaia client alone (no dispatch, lister, events or cache write).
    const client = createGaiaClient({ baseUrl: sim.baseUrl, apiKey: sim.demoKey, caPem: sim.caPem, verifyTls: true }, { log: createLog({ dir: null }), env: {} });
    const viaClient = async () => (await client.listAllDatasets({})).length;

    paged = 0;
    const count = await viaCore(0);
    const bareCount = await viaBare();
    if (count !== bareCount) throw new Error(`the core saw ${count} datasets, the bare client ${bareCount}`);
    if (paged !== count) throw new Error(`the core sent ${paged} datasets as page events, not ${count}`);
    for (let i = 0; i < WARMUP; i++) {
      await viaCore(i);
      await viaBare();
      await viaClient();
    }
    const core_: number[] = [];
    const bare_: number[] = [];
    const client_: number[] = [];
    const orders = [
      [0, 1, 2],
      [1, 2, 0],
      [2, 0, 1],
    ];
    for (let i = 0; i < RUNS; i++) {
      // Rotate which goes first, so none always runs right after another.
      for (const which of orders[i % 3]) {
        const id = requestId(i);
        const t = performance.now();
        if (which === 0) await viaCore(i, id);
        else if (which === 1) await viaBare();
        else await viaClient();
        [core_, bare_, client_][which].push(performance.now() - t);
      }
    }
    await client.close();
    await closeFallback();
    const value = summarize(core_);
    const baseline = { what: 'bare undici Agent (keep-alive, same CA): GET + read + JSON.parse', ...summarize(bare_) };
    const ratio = ratioOf(value, baseline);
    return {
      id: 'client.datasets-list',
      section: '1',
      figure: `datasets.list, demo corpus (${count} datasets, 1 page), per call`,
      unit: 'ms',
      value,
      baseline,
      ratio,
      target: 'ratio ≤ 1.10',
      status: ratio !== null && ratio <= 1.1 ? 'met' : 'MISSED',
      note: `${label} in this process vs ${baseline.what}; both as built JavaScript (the core as shipped, the bare client from the same Vite build; neither through tsx); ${RUNS} calls each after ${WARMUP} warm-up, interleaved; simulator in its own process. For attribution, the Gaia client alone (listAllDatasets, no dispatch, lister or cache write): median ${summarize(client_).median?.toFixed(2)} ms.`,
      extra: { addedMsMedian: value.median! - baseline.median!, ratioP95: value.p95! / baseline.p95!, datasets: count, gaiaClientAlone: summarize(client_) },
    };
  } finally {
    await bare.close();
    await core.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
