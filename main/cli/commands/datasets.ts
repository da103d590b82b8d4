/** `gaia-desktop datasets [--search TEXT] [--json]`: every dataset, with progress on stderr while pages load. */
import type { Command } from 'commander';
import { randomUUID } from 'node:crypto';
import type { DatasetsProgressPayload } from '../progress';
import { createProgress } from '../progress';
import type { CliContext } from '../context';
import { json, table, when } from '../table';
import { EXIT } from '../exit-codes';
import { reportInfo } from '../report';

export function registerDatasets(program: Command, ctx: CliContext, done: (run: () => Promise<number>) => Promise<void>) {
  program
    .command('datasets')
    .description('List the datasets of a connection (every page, fetched fresh)')
    .option('-s, --search <text>', 'only datasets whose name contains this (searched on the server)')
    .option('--json', 'print JSON for scripts')
    .action((opts: { search?: string; json?: boolean }) =>
      done(() =>
        ctx.withProfile(async ({ core, call, profile }) => {
          const requestId = randomUUID();
          const progress = createProgress(ctx.io);
          const off = core.onEvent((channel, payload) => {
            if (channel !== 'gaia:datasets.progress') return;
            const p = payload as DatasetsProgressPayload;
            if (p.requestId === requestId) progress.datasets(p);
          });
          const stop = () => void call('gaia:datasets.cancel', { requestId }).catch(() => undefined);
          ctx.io.signal.addEventListener('abort', stop, { once: true });
          try {
            const list = await call('gaia:datasets.list', { requestId, refresh: true, ...(opts.search ? { server: { nameContains: opts.search } } : {}) });
            progress.end();
            // The app shows the saved list when Gaia cannot answer; this command promises a fresh
            // one, so a script is told it failed (with the kind's exit code), never handed an old list as if current.
            if (list.error) {
              const code = reportInfo(ctx.io, list.error);
              ctx.io.err(`(The list saved ${when(list.fetchedAt)} is still shown in the app.)\n`);
              return code;
            }
            if (opts.json) {
              ctx.io.out(json({ connection: profile.name, source: list.source, fetchedAt: new Date(list.fetchedAt).toISOString(), datasets: list.datasets }));
            } else if (list.datasets.length === 0) {
              ctx.io.err(opts.search ? `No dataset on “${profile.name}” has “${opts.search}” in its name.\n` : `“${profile.name}” has no datasets yet.\n`);
            } else {
              const rows = list.datasets.map((d) => [d.name, String(d.numObjects), d.health + (d.progress !== null ? ` ${d.progress}%` : ''), when(d.lastIndexedAt), d.description ?? '']);
              ctx.io.out(table(['NAME', 'OBJECTS', 'HEALTH', 'LAST INDEXED', 'DESCRIPTION'], rows));
              ctx.io.err(`${list.datasets.length} dataset${list.datasets.length === 1 ? '' : 's'} on “${profile.name}”.\n`);
            }
            return EXIT.ok;
          } finally {
            progress.end();
            ctx.io.signal.removeEventListener('abort', stop);
            off();
          }
        }),
      ),
    );
}
