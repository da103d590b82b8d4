/** Quotes a word for a POSIX shell only when it needs it, so a printed command pastes as it was meant. */
export const shellWord = (word: string): string => (/^[A-Za-z0-9_./:=@-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

/** A command line from its words, each quoted as it needs. */
export const shellCommand = (words: readonly string[]): string => words.map(shellWord).join(' ');
