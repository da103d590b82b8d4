/**
 * A native notification when something long finishes while the user is elsewhere:
 *
 *   const started = Date.now();  …  await notifyIfAway('Answer ready', question, started);
 *
 * Only after LONG_MS, and only while the window is in the background; main checks the
 * window's focus again and shows nothing in the browser preview.
 */
import { gaia } from '../api';

export const LONG_MS = 10_000;

export async function notifyIfAway(title: string, body: string, startedAt: number, now = Date.now()): Promise<boolean> {
  if (now - startedAt < LONG_MS) return false;
  if (!document.hidden && document.hasFocus()) return false;
  try {
    const { shown } = await gaia.app.notify({ title: title.slice(0, 200), body: body.slice(0, 1000) });
    return shown;
  } catch {
    // A notification is a courtesy: failing to show one must not disturb what finished.
    return false;
  }
}
