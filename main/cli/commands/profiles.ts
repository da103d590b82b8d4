/** `gaia-desktop profiles [--json]`: the connections set up in the app. Keys are never shown, only where they are kept. */
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { EXIT } from '../exit-codes';
import { json, table } from '../table';

export function registerProfiles(program: Command, ctx: CliContext, done: (run: () => Promise<number>) => Promise<void>) {
  program
    .command('profiles')
    .description('List the connections set up in Gaia Desktop (the active one is marked *)')
    .option('--json', 'print JSON for scripts')
    .action((opts: { json?: boolean }) =>
      done(async () => {
        const { call } = await ctx.start();
        const [list, settings] = await Promise.all([call('gaia:profiles.list', {}), call('gaia:settings.get', {})]);
        const assistants = new Set(settings.localAssistants ?? []);
        for (const p of list.problems) ctx.io.err(`${p.message}\n`);
        const rows = list.profiles.map((p) => ({
          id: p.id,
          name: p.name,
          baseUrl: p.baseUrl,
          active: p.id === list.activeId,
          key: p.key.storage,
          verifyTls: p.verifyTls,
          localAssistants: assistants.has(p.id),
        }));
        if (opts.json) {
          ctx.io.out(json({ profiles: rows }));
        } else if (rows.length === 0) {
          ctx.io.err('No connections yet. Open Gaia Desktop → Connections and connect with your base URL and API key.\n');
        } else {
          const keyText = { keychain: 'in the keychain', session: 'this session only', none: 'none stored' } as const;
          ctx.io.out(
            table(
              ['', 'NAME', 'BASE URL', 'KEY', 'ASSISTANTS', 'ID'],
              rows.map((r) => [r.active ? '*' : '', r.name, r.baseUrl + (r.verifyTls ? '' : ' (TLS NOT VERIFIED)'), keyText[r.key], r.localAssistants ? 'allowed' : 'no', r.id]),
              60,
            ),
          );
        }
        return EXIT.ok;
      }),
    );
}
