/**
 * Runs in Chromium, on the preview's own origin: the renderer's real preview transport
 * (renderer/preview-transport.ts) and bridge (preload/bridge.ts), bundled from the same
 * sources, exposed as window.__benchGaia — the `gaia` object the app's pages use. Bundled
 * by bench/lib/bundle.ts and injected through the DevTools protocol.
 */
import { createBridge, unwrap } from '../../preload/bridge';
import { createPreviewTransport } from '../../renderer/preview-transport';

const transport = createPreviewTransport();
if (!transport) throw new Error('no preview token in the address');
(window as unknown as { __benchGaia: unknown }).__benchGaia = unwrap(createBridge(transport));
