/**
 * The models Gaia offers, and each one's own name by id, remembered from the last list:
 * an ask names its model by both (llmName travels with llmId).
 */
import { AppError } from '../../errors';
import type { CallOptions, GaiaClient } from '../client';
import { toLlms } from '../convert';
import { gaiaPath } from '../urls';
import { WireLlm } from '../wire';
import type { EndpointKit } from './kit';

export interface ModelEndpoints extends Pick<GaiaClient, 'llms'> {
  /** The model's name for an ask, reading the list once if it is not known yet; null if it stays unknown. */
  nameOf(llmId: string | null | undefined, o: CallOptions | undefined): Promise<string | null>;
}

export function modelEndpoints(kit: EndpointKit): ModelEndpoints {
  const { ctx, transport, log, get, listIn } = kit;
  const names = new Map<string, string>();

  const llms: GaiaClient['llms'] = async (o) => {
    const value = await transport.json(get(gaiaPath(ctx, 'llms'), 'GET /llms'), o);
    const items = listIn(value, ['llms', 'models'], 'GET /llms');
    for (const item of items) {
      const w = WireLlm.safeParse(item);
      if (w.success && w.data.id && w.data.name) names.set(w.data.id, w.data.name);
    }
    return toLlms(items);
  };

  return {
    llms,
    async nameOf(llmId, o) {
      if (!llmId) return null;
      if (!names.has(llmId)) {
        try {
          await llms({ signal: o?.signal });
        } catch (err) {
          // The ask still goes out with llmId alone; Gaia will say if that is not enough.
          if (o?.signal?.aborted) throw err;
          log.warn('gaia: the model list could not be read, so llmName is not sent', err instanceof AppError ? err.info.kind : String(err));
        }
      }
      return names.get(llmId) ?? null;
    },
  };
}
