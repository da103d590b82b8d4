/**
 * A page or program holding the preview's token opens every event stream it allows
 * (main/preview/server.ts: MAX_STREAMS). The real tab must say so in the user's words —
 * what happened and what to do — rather than wait in silence for answers that never
 * stream; once a stream is free again it reconnects and the notice goes. The preview's
 * terminal says so too.
 */
import http from 'node:http';
import { MAX_STREAMS } from '../../main/preview/server';
import { expect, liveVersion, test } from '../support/e2e-fixtures';

function holdStream(origin: string, token: string): Promise<http.IncomingMessage> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = http.get({ host: hostname, port, path: '/__gaia/events', headers: { 'x-gaia-token': token } }, resolve);
    req.on('error', reject);
  });
}

test('a tab refused live updates says why and what to do, and recovers when they are free', async ({ page, preview }) => {
  const held = await Promise.all(Array.from({ length: MAX_STREAMS }, () => holdStream(preview.origin, preview.token)));
  expect(held.map((r) => r.statusCode)).toEqual(Array(MAX_STREAMS).fill(200));
  for (const r of held) r.resume();
  try {
    await page.goto(preview.url);
    await liveVersion(page).waitFor();
    const notice = page.getByRole('alert').filter({ hasText: 'not receiving live updates' });
    await expect(notice).toBeVisible();
    await expect(notice).toContainText('Close the other tabs of this preview');
    await expect(notice).toContainText('stop the preview');
    await expect.poll(() => preview.output()).toContain('A tab was refused live updates');
    // One stream freed: the tab takes it at its next try (at most 5 s later) and the notice goes.
    held.pop()!.destroy();
    await expect(notice).toHaveCount(0, { timeout: 15_000 });
  } finally {
    for (const r of held) r.destroy();
  }
});
