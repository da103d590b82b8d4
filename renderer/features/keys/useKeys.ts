/**
 * The active connection's keys on its key service, in the query cache: loaded again
 * whenever the connection's own key changes (used a new key, rotated, replaced).
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { Profile } from '../../../preload/contract';
import { gaia } from '../../api';
import { queryKeys } from '../../queries';
import type { ServiceKey } from './keyText';

export function useKeys(profile: Profile) {
  const client = useQueryClient();
  const stamp = `${profile.key.last4 ?? ''}:${profile.key.addedAt ?? ''}`;
  const queryKey = [...queryKeys.keys(profile.id), stamp] as const;
  const query = useQuery({ queryKey, queryFn: () => gaia.keys.list({}), staleTime: 0 });
  const replace = useCallback(
    (updated: ServiceKey) =>
      client.setQueryData(queryKey, (old: { keys: ServiceKey[] } | undefined) => old && { keys: old.keys.map((k) => (k.handle === updated.handle ? updated : k)) }),
    // queryKey is rebuilt each render from these two.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [client, profile.id, stamp],
  );
  return { keys: query.data?.keys ?? null, loading: query.isFetching, error: query.error, reload: query.refetch, replace };
}
