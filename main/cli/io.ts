/**
 * Where the command line writes: answers and data on stdout, everything else (progress,
 * notes, errors) on stderr, so `gaia-desktop … > file` and `| jq` get only the result.
 * Tests hand in their own.
 */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** stderr is a terminal: progress may redraw one line. */
  errIsTty: boolean;
  /** Aborted on Ctrl+C (SIGINT) or SIGTERM. */
  signal: AbortSignal;
}

export function processIo(signal: AbortSignal): CliIo {
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    errIsTty: Boolean(process.stderr.isTTY),
    signal,
  };
}
