/** `gaia-desktop conversations [--search TEXT] [--json]`: the history of a connection, newest first, with where each began. */
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { EXIT } from '../exit-codes';
import { json, table, when } from '../table';

const VIA = { cli: 'CLI', mcp: 'MCP' } as const;

export function registerConversations(program: Command, ctx: CliContext, done: (run: () => Promise<number>) => Promise<void>) {
  program
    .command('conversations')
    .description('List the conversations in the history of a connection, newest first')
    .option('-s, --search <text>', 'only conversations whose questions or answers contain every word')
    .option('--json', 'print JSON for scripts')
    .action((opts: { search?: string; json?: boolean }) =>
      done(() =>
        ctx.withProfile(async ({ call, profile }) => {
          const list = await call('gaia:history.list', opts.search ? { query: opts.search } : {});
          for (const p of list.problems) ctx.io.err(`${p.message}\n`);
          if (opts.json) {
            ctx.io.out(json({ connection: profile.name, conversations: list.conversations }));
          } else if (list.conversations.length === 0) {
            ctx.io.err(opts.search ? `Nothing in the history of “${profile.name}” matches “${opts.search}”.\n` : `No conversations yet on “${profile.name}”.\n`);
          } else {
            ctx.io.out(
              table(
                ['ID', 'UPDATED', 'VIA', 'QUESTIONS', 'TITLE'],
                list.conversations.map((c) => [c.id, when(c.updatedAt), c.origin ? VIA[c.origin] : 'app', String(c.turnCount), c.title + (c.match ? ` — ${c.match}` : '')]),
                36,
              ),
            );
          }
          return EXIT.ok;
        }),
      ),
    );
}
