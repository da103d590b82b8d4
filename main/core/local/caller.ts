/**
 * The core called from inside its own process, as the command line and the MCP server
 * do: the same dispatch the window goes through (request validated, handler, response
 * validated), with an error envelope turned back into the AppError it carries, so the
 * caller reports the app's own words.
 */
import type { Channel, Request, Response } from '../../../preload/contract';
import type { Dispatch } from '../dispatch';
import { AppError } from '../errors';

export type Caller = <C extends Channel>(channel: C, request: Request<C>) => Promise<Response<C>>;

export function createCaller(dispatch: Dispatch): Caller {
  return async (channel, request) => {
    const envelope = await dispatch(channel, request);
    if (!envelope.ok) throw new AppError(envelope.error);
    return envelope.value as Response<typeof channel>;
  };
}
