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
const isOurs = (word: string) => TAKES_VALUE.has(word) || [...TAKES_VALUE].some((name) => name.startsWith('--') && word.startsWith(`${name}=`));

/**
 * The arguments for the command line, or null when the app should start as usual.
 * Switches before the command that are not ours (Chromium's, the OS's) are dropped, so
 * the command line never refuses an option it was not given by the user.
 */
export function commandLineArgs(argv: string[], defaultApp: boolean): string[] | null {
  // Packaged: [exe, …args]. Run from a checkout (electron .): [electron, appPath, …args].
  const args = argv.slice(defaultApp ? 2 : 1);
  const leading: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const word = args[i];
    if (TAKES_VALUE.has(word)) {
      leading.push(word, args[i + 1] ?? '');
      i++;
      continue;
    }
    if (word.startsWith('-')) {
      if (isOurs(word)) leading.push(word);
      continue;
    }
    return (COMMANDS as readonly string[]).includes(word) ? [...leading, ...args.slice(i)] : null;
  }
  return null;
}
