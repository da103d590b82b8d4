/**
 * Progress on stderr while a long listing loads: on a terminal one line redrawn in
 * place, otherwise a line at most every couple of seconds (and every rate-limit wait at
 * once), so logs of a script stay short.
 */
import type { EventPayload } from '../../preload/contract';
import type { CliIo } from './io';

export type DatasetsProgressPayload = EventPayload<'gaia:datasets.progress'>;

const QUIET_MS = 2_000;

export function createProgress(io: CliIo, now: () => number = Date.now) {
  let drawn = false;
  let lastLine = 0;
  const show = (text: string, urgent = false) => {
    if (io.errIsTty) {
      io.err(`\r\x1b[2K${text}`);
      drawn = true;
      return;
    }
    if (!urgent && now() - lastLine < QUIET_MS) return;
    lastLine = now();
    io.err(`${text}\n`);
  };
  return {
    datasets(p: DatasetsProgressPayload) {
      if (p.retry) {
        show(`Gaia asked to slow down: retrying in ${Math.ceil(p.retry.waitMs / 1000)} s (${p.loaded.toLocaleString('en')} datasets so far)…`, true);
        return;
      }
      if (p.pages === 0) return;
      show(`Loading datasets: ${p.loaded.toLocaleString('en')} (${p.pages} page${p.pages === 1 ? '' : 's'})…`);
    },
    /** Clears the redrawn line, so what follows starts clean. */
    end() {
      if (drawn) io.err('\r\x1b[2K');
      drawn = false;
    },
  };
}
