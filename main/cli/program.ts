/**
 * `gaia-desktop <command>`: the command line over the app's own core and profiles. The
 * same program runs from a source checkout (`npm run cli -- …`, plain Node) and inside
 * the installed app's binary (main/index.ts hands it the arguments before any window
 * exists). It answers an exit code (exit-codes.ts); it never prints, logs or passes on a
 * key — the core reads keys from the keychain straight into its Gaia client.
 */
import { Command, CommanderError } from 'commander';
import { registerAsk } from './commands/ask';
import { registerConversations } from './commands/conversations';
import { registerDatasets } from './commands/datasets';
import { registerExport } from './commands/export';
import { registerMcp } from './commands/mcp';
import { registerProfiles } from './commands/profiles';
import { createContext, type GlobalOptions } from './context';
import { EXIT } from './exit-codes';
import type { CoreLocation } from './headless-core';
import type { CliIo } from './io';
import { reportError } from './report';

export interface CliOptions {
  io: CliIo;
  defaults: CoreLocation;
  /** How the binary is called, for the help text. */
  name?: string;
  stdin?: NodeJS.ReadableStream;
  stdout?: NodeJS.WritableStream;
}

export async function runCli(args: string[], options: CliOptions): Promise<number> {
  const { io, defaults } = options;
  const program = new Command(options.name ?? 'gaia-desktop');
  const ctx = createContext(io, defaults, () => program.opts<GlobalOptions>());
  let code: number = EXIT.ok;
  const done = async (run: () => Promise<number>) => {
    try {
      code = await run();
    } catch (err) {
      code = reportError(io, err);
    }
  };

  program
    .description('Gaia Desktop from a terminal or a script: the app’s connections, with the keys kept in the OS keychain.')
    .version(defaults.version, '-V, --version')
    .option('-p, --profile <name>', 'the connection to use, by name or id (default: the one active in the app)')
    .option('--data-dir <dir>', 'the app’s data folder (default: the installed app’s)')
    .option('--keychain-service <name>', 'the keychain service the keys are under (default: Gaia Desktop)')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError('(gaia-desktop help shows every command)')
    .addHelpText(
      'after',
      `
Exit codes: 0 ok, 1 failed inside Gaia Desktop, 2 bad usage, 3 not connected (no such connection,
no key, not allowed), 4 key refused, 5 not found, 6 Gaia unreachable (network, TLS), 7 Gaia answered
with an error, 8 keychain unusable, 130 stopped with Ctrl+C.`,
    );
  registerDatasets(program, ctx, done);
  registerAsk(program, ctx, done);
  registerProfiles(program, ctx, done);
  registerConversations(program, ctx, done);
  registerExport(program, ctx, done);
  registerMcp(program, ctx, done, { stdin: options.stdin ?? process.stdin, stdout: options.stdout ?? process.stdout });

  try {
    if (args.length === 0) {
      program.outputHelp();
      return EXIT.usage;
    }
    await program.parseAsync(args, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    return reportError(io, err);
  } finally {
    await ctx.close().catch(() => undefined);
  }
}
