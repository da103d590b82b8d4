/**
 * A failure, told in the app's own words: the AppErrorInfo message and its next step,
 * exactly as the window would show them (the core wrote them), with the exit code that
 * goes with their kind.
 */
import type { AppErrorInfo } from '../../preload/contract';
import { toErrorInfo } from '../core/errors';
import { exitCodeFor } from './exit-codes';
import type { CliIo } from './io';

export function describeError(info: AppErrorInfo): string {
  const lines = [`Error: ${info.message}`];
  if (info.action) lines.push(info.action);
  for (const f of info.fields ?? []) lines.push(`  ${f.field}: ${f.message}`);
  return `${lines.join('\n')}\n`;
}

/** Prints the failure on stderr and answers its exit code. */
export function reportError(io: CliIo, err: unknown): number {
  return reportInfo(io, toErrorInfo(err));
}

/** The same, for a failure the core answered as data (e.g. a list's `error`). */
export function reportInfo(io: CliIo, info: AppErrorInfo): number {
  io.err(describeError(info));
  return exitCodeFor(info.kind);
}
