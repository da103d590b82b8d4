/**
 * A native notification when a long answer or a long dataset load ends while the window is
 * in the background. Main decides when and writes the words: the page has no channel to
 * put its own text in an OS notification, so a page someone else controls cannot make one
 * that looks like it came from the system. The shell's notify port shows nothing while the
 * window has focus (the page shows the result itself) and is absent in the preview and the
 * command line.
 */
import type { AskEvent } from '../../../preload/contract';
import type { Emit, HandlerTable } from '../dispatch';
import type { Services } from '../services';

/** Shorter work than this ends while the user is still looking. */
export const NOTICE_AFTER_MS = 10_000;
/**
 * Not the question: it is whatever text the page sent (ask.start takes any string), so
 * quoting it would let a page that is not ours write "Your session expired, sign in at …"
 * under the app's name. The page shows which answer it was once the window is looked at.
 */
const ANSWER_READY = 'Your answer is ready in Gaia Desktop.';
const ANSWER_FAILED = 'Gaia could not finish an answer. Open Gaia Desktop to see what happened.';

export function withLongWorkNotices(table: HandlerTable, s: Services): HandlerTable {
  const notify = s.options.ports.notify;
  if (!notify) return table;
  const after = s.options.noticeAfterMs ?? NOTICE_AFTER_MS;
  const show = (title: string, body: string): void => {
    // A notification is a courtesy: failing to show one must not disturb what finished.
    notify(title, body).catch((err: unknown) => s.log.warn('a notification could not be shown', err));
  };
  const ask = table['gaia:ask.start'];
  const list = table['gaia:datasets.list'];
  return {
    ...table,
    'gaia:ask.start': (request, ctx) => {
      const startedAt = performance.now();
      const emit: Emit = (channel, payload) => {
        const sent = ctx.emit(channel, payload);
        if (channel === 'gaia:ask.event' && performance.now() - startedAt >= after) {
          const event = payload as AskEvent;
          // A stopped answer was stopped by the user, who needs no news of it.
          if (event.type === 'done') show('Answer ready', ANSWER_READY);
          else if (event.type === 'error' && event.error.kind !== 'aborted') show('The answer could not finish', ANSWER_FAILED);
        }
        return sent;
      };
      return ask(request, { ...ctx, emit });
    },
    'gaia:datasets.list': async (request, ctx) => {
      const startedAt = performance.now();
      const result = await list(request, ctx);
      // Only a whole fresh list is news; a cached one, a failed refresh or a server-side search is not.
      if (result.source === 'network' && !result.error && !request.server && performance.now() - startedAt >= after) {
        const n = result.streamed ?? result.datasets.length;
        show('Datasets loaded', `${n.toLocaleString('en-US')} ${n === 1 ? 'dataset is' : 'datasets are'} ready to search.`);
      }
      return result;
    },
  };
}
