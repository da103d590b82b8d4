/**
 * The one handler table: every channel of the contract maps to its implementation here,
 * one module per feature area. The type makes a missing or misspelt channel a compile
 * error.
 */
import type { HandlerTable } from './dispatch';
import { appHandlers } from './handlers/app';
import { askHandlers } from './handlers/ask';
import { assistantHandlers } from './handlers/assistants';
import { datasetHandlers } from './handlers/datasets';
import { keyHandlers } from './handlers/keys';
import { profileHandlers } from './handlers/profiles';
import type { Services } from './services';

export function createHandlerTable(s: Services): HandlerTable {
  return {
    ...appHandlers(s),
    ...profileHandlers(s),
    ...datasetHandlers(s),
    ...askHandlers(s),
    ...keyHandlers(s),
    ...assistantHandlers(s),
  };
}
