/**
 * Serves the built renderer from app://gaia/ instead of file://, so the page has a real
 * origin, a CSP header, and no file-system privileges.
 */
import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { SECURITY_HEADERS } from '../core/platform/csp';
import { resolveStatic } from '../core/platform/static-files';

export const APP_SCHEME = 'app';
export const APP_HOST = 'gaia';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const found = url.host === APP_HOST ? resolveStatic(rendererDir, url.pathname) ?? resolveStatic(rendererDir, '/') : null;
    if (!found) return new Response('Not found', { status: 404, headers: SECURITY_HEADERS });
    return new Response(await readFile(found.file), { headers: { 'Content-Type': found.contentType, ...SECURITY_HEADERS } });
  });
}
