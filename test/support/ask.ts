/**
 * Watches the simulator's side of HTTP requests through Node's diagnostics channels
 * (the simulator runs in the test's own process), so a test can prove that Stop really
 * closed the connection: the server sees its response closed before it finished.
 */
import dc from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface WatchedRequest {
  url: string;
  startedAt: number;
  /** When the server-side response closed (client hang-up or normal end). */
  closedAt: number | null;
  /** True when the server wrote the whole response before it closed. */
  finished: boolean;
}

export function diagnosticsChannel(urlPart: string): { requests: WatchedRequest[]; dispose(): void } {
  const requests: WatchedRequest[] = [];
  const onStart = (message: unknown) => {
    const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
    if (!request.url?.includes(urlPart)) return;
    const watched: WatchedRequest = { url: request.url, startedAt: Date.now(), closedAt: null, finished: false };
    requests.push(watched);
    response.once('close', () => {
      watched.closedAt = Date.now();
      watched.finished = response.writableFinished;
    });
  };
  dc.subscribe('http.server.request.start', onStart);
  return { requests, dispose: () => dc.unsubscribe('http.server.request.start', onStart) };
}
