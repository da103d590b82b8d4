/**
 * `gaia-desktop ask "QUESTION" --dataset NAME… [--conversation ID] [--json]`: the answer
 * streams to stdout as it arrives (Gaia's progress steps on stderr), then its sources
 * with their citations. Ctrl+C stops the request in this process — the connection to
 * Gaia is closed and what arrived is kept in the history as cancelled — and exits 130.
 */
import type { Command } from 'commander';
import type { AskEvent } from '../../../preload/contract';
import { askToEnd } from '../../core/local/ask';
import { sourcesText } from '../../core/local/sources-text';
import type { CliContext } from '../context';
import { EXIT, exitCodeFor } from '../exit-codes';
import { describeError } from '../report';
import { json } from '../table';

interface AskOptions {
  dataset: string[];
  conversation?: string;
  model?: string;
  language?: string;
  json?: boolean;
}

export function registerAsk(program: Command, ctx: CliContext, done: (run: () => Promise<number>) => Promise<void>) {
  program
    .command('ask')
    .description('Ask a question over one or more datasets; the answer streams in, then its sources')
    .argument('<question>', 'the question (quote it)')
    .requiredOption('-d, --dataset <names...>', 'dataset name(s) to ask over')
    .option('-c, --conversation <id>', 'continue this conversation (ids: gaia-desktop conversations)')
    .option('--model <id>', 'the model to answer with (default: Gaia’s)')
    .option('--language <code>', 'the answer’s language, e.g. en or ja')
    .option('--json', 'print one JSON document at the end instead of streaming')
    .action((question: string, opts: AskOptions) =>
      done(() =>
        ctx.withProfile(async ({ core }) => {
          const { io } = ctx;
          const stopped = new AbortController();
          const onAbort = () => {
            if (!opts.json) io.err('\nStopping…\n');
            stopped.abort();
          };
          io.signal.addEventListener('abort', onAbort, { once: true });
          let streamed = false;
          const onEvent = (e: AskEvent) => {
            if (opts.json) return;
            if (e.type === 'delta') {
              io.out(e.text);
              streamed = true;
            } else if (e.type === 'progress') io.err(`… ${e.step}\n`);
            else if (e.type === 'retrying') io.err(`… ${e.reason} (retrying in ${Math.ceil(e.waitMs / 1000)} s)\n`);
          };
          try {
            const outcome = await askToEnd(
              core,
              {
                conversationId: opts.conversation ?? null,
                datasetNames: opts.dataset,
                question,
                ...(opts.model ? { llmId: opts.model } : {}),
                ...(opts.language ? { languageCode: opts.language } : {}),
              },
              { signal: stopped.signal, onEvent },
            );
            const { turn, error } = outcome;
            if (opts.json) {
              io.out(
                json({
                  conversationId: outcome.conversationId,
                  turnId: turn.id,
                  status: turn.status,
                  answer: turn.answer,
                  sources: turn.documents,
                  followUps: turn.followUps,
                  error,
                }),
              );
            } else {
              // The assembled answer is authoritative; print it if nothing (or not all) streamed.
              if (!streamed && turn.answer) io.out(turn.answer);
              if (turn.answer || turn.documents.length) io.out(`\n\n${sourcesText(turn.documents)}\n`);
              if (turn.followUps.length) io.out(`\nFollow-up questions:\n${turn.followUps.map((q) => `  - ${q}`).join('\n')}\n`);
              io.err(`\nConversation ${outcome.conversationId} — continue it with --conversation ${outcome.conversationId}\n`);
            }
            if (turn.status === 'cancelled') {
              if (!opts.json) io.err('Stopped. The part that arrived is kept in the history.\n');
              return EXIT.interrupted;
            }
            if (error) {
              if (!opts.json) io.err(describeError(error));
              return exitCodeFor(error.kind);
            }
            return EXIT.ok;
          } finally {
            io.signal.removeEventListener('abort', onAbort);
          }
        }),
      ),
    );
}
