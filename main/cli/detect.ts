/**
 * Tells a command line (`gaia-desktop datasets …`) from a normal start of the app, from
 * the process's arguments alone, before Electron does anything (no window, no single-
 * instance lock). The first word that is not an option must be one of the commands;
 * options that take a value (`--data-dir DIR`) are skipped with their value, and
 * anything else (Chromium switches, macOS's -psn_…, a file opened with the app) means a
 * normal start.
 */

/** The first word of every command (program.ts registers them; a unit test keeps the two in step). */
export const COMMANDS = ['datasets', 'ask', 'profiles', 'conversations', 'export', 'mcp', 'help'] as const;

const TAKES_VALUE = new Set(['--profile', '-p', '--data-dir', '--keychain-service']);

/** The arguments for the command line, or null when the app should start as usual. */
export function commandLineArgs(argv: string[], defaultApp: boolean): string[] | null {
  // Packaged: [exe, …args]. Run from a checkout (electron .): [electron, appPath, …args].
  const args = argv.slice(defaultApp ? 2 : 1);
  for (let i = 0; i < args.length; i++) {
    const word = args[i];
    if (TAKES_VALUE.has(word)) {
      i++;
      continue;
    }
    if (word.startsWith('-')) continue;
    return (COMMANDS as readonly string[]).includes(word) ? args : null;
  }
  return null;
}
