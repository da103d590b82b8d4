/**
 * The command line as a process: Ctrl+C and SIGTERM stop the running command (a second
 * Ctrl+C leaves at once), and stdout is drained before the exit code is returned, so a
 * piped answer is never cut short.
 */
import { processIo } from './io';
import type { CoreLocation } from './headless-core';
import { EXIT } from './exit-codes';
import { runCli } from './program';

export async function runCliProcess(args: string[], defaults: CoreLocation, exit: (code: number) => void): Promise<void> {
  const interrupt = new AbortController();
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) return exit(EXIT.interrupted);
    interrupted = true;
    interrupt.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // A reader that went away (`| head`) is not an error worth a stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') exit(EXIT.ok);
  });
  let code: number;
  try {
    code = await runCli(args, { io: processIo(interrupt.signal), defaults });
  } catch {
    code = EXIT.failed;
  }
  if (interrupted && code === EXIT.ok) code = EXIT.interrupted;
  await new Promise<void>((resolve) => {
    try {
      process.stdout.write('', () => resolve());
    } catch {
      resolve(); // no stdout at all (a windowed program started without a console)
    }
  });
  exit(code);
}
