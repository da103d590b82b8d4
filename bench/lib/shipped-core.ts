/**
 * The core as the in-process rows (datasets.list per call, 100,000 datasets) run it:
 * built by bench/vite.config.ts into the main bundle's folder as bench-core.js — the same
 * Vite build of the same sources as the app's main, with no tsx transform around it. The
 * bare client is built beside it the same way, as bench-bare.js (bare.ts), on its own so
 * that a process that only needs the floor does not load the core.
 */
export { createCore } from '../../main/core/core';
export { headlessPorts } from '../../main/core/ports';
export { createGaiaClient } from '../../main/core/gaia/client';
export { createLog } from '../../main/core/platform/log';
