/**
 * The one handler table: every channel of the contract maps to its implementation here,
 * one module per feature area. The type makes a missing or misspelt channel a compile
 * error.
 */
import type { HandlerTable } from './dispatch';
import { appHandlers } from './app/handlers';
import { withLongWorkNotices } from './app/long-work-notices';
import { askHandlers } from './ask/handlers';
import { assistantHandlers } from './mcp/handlers';
import { datasetHandlers } from './datasets/handlers';
import { keyHandlers } from './keys/handlers';
import { profileHandlers } from './connections/handlers';
import type { Services } from './services';

export function createHandlerTable(s: Services): HandlerTable {
  const table: HandlerTable = {
    ...appHandlers(s),
    ...profileHandlers(s),
    ...datasetHandlers(s),
    ...askHandlers(s),
    ...keyHandlers(s),
    ...assistantHandlers(s),
  };
  return withLongWorkNotices(table, s);
}
