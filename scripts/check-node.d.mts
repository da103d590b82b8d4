/** The one line to print when `version` is older than the `engines.node` range, else null. */
export function nodeProblem(version: string, range: string): string | null;
