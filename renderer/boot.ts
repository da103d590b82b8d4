/**
 * The first thing the page runs: it connects to main and asks at once for what the shell's
 * first frame shows (app.info, settings), so the answers travel while the rest of the app's
 * modules evaluate. main.tsx imports it before anything else for that reason: ES modules
 * evaluate in import order, and App's tree (React DOM, TanStack, Radix, the icons) is most of
 * the chunk — which is also why this asks through the API directly and the query cache
 * takes the answers afterwards (queries.ts: prefetchShell).
 */
import { connectApi } from './api';

const api = connectApi();

/** False when neither Electron's preload nor a preview token is present. */
export const connected = api !== null;

/** The shell's first calls, already on their way. */
export const shellCalls = api ? { info: api.app.info({}), settings: api.settings.get({}) } : null;
