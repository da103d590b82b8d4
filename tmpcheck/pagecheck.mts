import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSimulator } from '/work/main/test/gaia-sim';
import { createCore } from '/work/main/main/core/core';
import { events } from '/work/main/preload/contract';
const sim = await startSimulator({ datasets: 3000 });
const dir = mkdtempSync(path.join(os.tmpdir(), 'pc-'));
const core = await createCore({ dataDir: dir, keychainService: 'pc-' + process.pid, appName: 'x', version: '1', echoLog: true,
  ports: { shell: 'preview', versions: { electron: null, chrome: null }, openExternal: async () => {}, writeClipboard: async () => false, clearClipboardIfUnchanged: async () => {}, setOpenAtLogin: () => {} } as never });
await core.dispatch('gaia:keychain.useSessionOnly', {});
const c = await core.dispatch('gaia:profiles.connect', { name: 'S', baseUrl: sim.baseUrl, apiKey: sim.demoKey, caPem: sim.caPem } as never);
console.log('connect', c.ok, !c.ok && JSON.stringify(c));
let n = 0;
core.onEvent((ch, p: any) => { if (ch === 'gaia:datasets.page') n += p.datasets.length; });
const r = await core.dispatch('gaia:datasets.list', { requestId: 'request-0001', refresh: true, pages: true } as never);
console.log('list', r.ok, JSON.stringify(r).slice(0, 300), 'paged', n);
await core.close(); await sim.stop();
