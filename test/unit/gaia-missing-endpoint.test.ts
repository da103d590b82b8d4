/**
 * When a Gaia failure means "no such endpoint here" (fall back, or say the server cannot)
 * and when it is Gaia's own answer about what was asked for (docs/gaia-api.md §Conversations).
 */
import { describe, expect, it } from 'vitest';
import { appError } from '../../main/core/errors';
import { isMissingEndpoint } from '../../main/core/gaia/endpoints/kit';

const failed = (status: number, serverMessage?: string) => appError('not-found', 'x', 'y', { status, ...(serverMessage ? { serverMessage } : {}) });

describe('isMissingEndpoint', () => {
  it('a 405, or a 404 with nothing readable or words about the path, is a missing endpoint', () => {
    expect(isMissingEndpoint(failed(405))).toBe(true);
    expect(isMissingEndpoint(failed(405, "Dataset 'x' not found."))).toBe(true);
    for (const said of [undefined, 'Not Found', 'not found.', '404 page not found', '404: Not Found', 'Resource not found', 'No route matches POST /ask/stream', 'Unknown endpoint']) {
      expect(isMissingEndpoint(failed(404, said)), String(said)).toBe(true);
    }
  });

  it('a 404 in Gaia’s own words about a dataset, query or conversation is not', () => {
    for (const said of ["Dataset 'Café Ops' not found.", "Query 'q-1' not found.", "Conversation 'c-9' not found.", 'kNotFound']) {
      expect(isMissingEndpoint(failed(404, said)), said).toBe(false);
    }
  });

  it('other failures and non-errors are not', () => {
    expect(isMissingEndpoint(failed(403, 'Not Found'))).toBe(false);
    expect(isMissingEndpoint(failed(500))).toBe(false);
    expect(isMissingEndpoint(new Error('404'))).toBe(false);
  });
});
