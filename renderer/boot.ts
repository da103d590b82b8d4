/**
 * The first thing the page runs: it connects to main and asks at once for what the shell's
 * first frame shows (app.info, settings), so the answers travel while the rest of the app's
 * modules evaluate. main.tsx imports it before anything else for that reason: ES modules
 * evaluate in import order, and App's tree (Radix, the icons, TanStack) is most of the chunk.
 */
import { connectApi } from './api';
import { prefetchShell } from './queries';

/** Null when neither Electron's preload nor a preview token is present. */
export const connected = connectApi() !== null;
if (connected) prefetchShell();
