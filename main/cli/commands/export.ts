/** `gaia-desktop export ID [--output FILE]`: one conversation as Markdown with its sources, as the app exports it. */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { appError } from '../../core/errors';
import type { CliContext } from '../context';
import { EXIT } from '../exit-codes';

export function registerExport(program: Command, ctx: CliContext, done: (run: () => Promise<number>) => Promise<void>) {
  program
    .command('export')
    .description('Print one conversation as Markdown, with its sources')
    .argument('<id>', 'the conversation’s id (gaia-desktop conversations lists them)')
    .option('-o, --output <file>', 'write it to this file instead of stdout')
    .action((id: string, opts: { output?: string }) =>
      done(() =>
        ctx.withProfile(async ({ call }) => {
          const { markdown, fileName } = await call('gaia:history.export', { id });
          if (!opts.output) {
            ctx.io.out(markdown.endsWith('\n') ? markdown : `${markdown}\n`);
            return EXIT.ok;
          }
          try {
            await writeFile(opts.output, markdown, { flag: 'wx', mode: 0o600 });
          } catch (err) {
            const code = (err as NodeJS.ErrnoException).code;
            throw appError(
              'storage',
              code === 'EEXIST' ? `${opts.output} already exists.` : `The conversation could not be written to ${opts.output} (${code ?? 'error'}).`,
              code === 'EEXIST' ? `Choose another file name (for example ${fileName}) or remove the file first.` : 'Check the folder exists and is writable.',
            );
          }
          ctx.io.err(`Exported to ${opts.output}\n`);
          return EXIT.ok;
        }),
      ),
    );
}
