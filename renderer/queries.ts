/**
 * Request/response data, held by TanStack Query: one cache, one set of keys, so a page
 * that changes something invalidates it and every page showing it refreshes (settings
 * were fetched in three places before). Streams and the per-frame live answer stay in
 * their own stores; this is for data that is asked for and answered.
 *
 * Gaia's data is keyed by the profile it came from, so switching connections never shows
 * another tenant's details, topics or models.
 */
import { QueryClient, queryOptions, useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AppInfo, Settings } from '../preload/contract';
import { gaia } from './api';

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // The core answers locally and caches Gaia's data itself; refetching on focus would only add load.
      refetchOnWindowFocus: false,
      retry: false,
      staleTime: 30_000,
    },
  },
});

export const queryKeys = {
  appInfo: ['app', 'info'] as const,
  settings: ['settings'] as const,
  profiles: ['profiles'] as const,
  keychain: ['keychain'] as const,
  keys: (profileId: string | null) => ['keys', profileId] as const,
  conversations: (profileId: string | null, query = '') => ['conversations', profileId, query] as const,
  details: (profileId: string | null, name: string) => ['datasets', profileId, 'details', name] as const,
  topics: (profileId: string | null, id: string) => ['datasets', profileId, 'topics', id] as const,
  models: (profileId: string | null) => ['models', profileId] as const,
};

export const appInfoQuery = queryOptions({ queryKey: queryKeys.appInfo, queryFn: () => gaia.app.info({}), staleTime: Infinity });
// Read again when a page that shows them opens: cheap (local), and never stale after a change elsewhere.
export const settingsQuery = queryOptions({ queryKey: queryKeys.settings, queryFn: () => gaia.settings.get({}), staleTime: 0 });

/**
 * What the shell's first frame needs, asked for at once and side by side (before React's
 * first render, which would otherwise ask for app.info only after settings had answered);
 * boot.ts has usually asked already, and the cache takes those answers. The promise says
 * when both are in the cache.
 */
export function prefetchShell(asked?: { info: Promise<AppInfo>; settings: Promise<Settings> }): Promise<void> {
  // Settled (never rejected: prefetchQuery keeps a failure in the cache) once both answers are in it.
  return Promise.all([
    queryClient.prefetchQuery(asked ? { ...appInfoQuery, queryFn: () => asked.info } : appInfoQuery),
    queryClient.prefetchQuery(asked ? { ...settingsQuery, queryFn: () => asked.settings } : settingsQuery),
  ]).then(() => undefined);
}

export function useAppInfo() {
  return useQuery(appInfoQuery);
}

export function useSettings() {
  return useQuery(settingsQuery);
}

export function useUpdateSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (patch: Partial<Settings>) => gaia.settings.update(patch),
    onSuccess: (next) => client.setQueryData(queryKeys.settings, next),
  });
}

export function useConversations(profileId: string | null, query = '', enabled = true) {
  return useQuery({
    queryKey: queryKeys.conversations(profileId, query),
    queryFn: () => gaia.history.list(query ? { query } : {}),
    enabled: enabled && !!profileId,
    staleTime: 5_000,
  });
}

export function useDatasetDetails(profileId: string | null, name: string) {
  return useQuery({ queryKey: queryKeys.details(profileId, name), queryFn: () => gaia.datasets.details({ name }), enabled: !!profileId && !!name });
}

export function useDatasetTopics(profileId: string | null, id: string) {
  return useQuery({ queryKey: queryKeys.topics(profileId, id), queryFn: () => gaia.datasets.topics({ id }), enabled: !!profileId && !!id });
}

/** The topics of several datasets at once (the new conversation's suggested questions), sharing the cache with Datasets. */
export function useTopicsOf(profileId: string | null, ids: string[]) {
  return useQueries({
    queries: ids.map((id) => ({ queryKey: queryKeys.topics(profileId, id), queryFn: () => gaia.datasets.topics({ id }), enabled: !!profileId })),
  });
}

export function useModels(profileId: string | null) {
  return useQuery({ queryKey: queryKeys.models(profileId), queryFn: () => gaia.llms.list({}), enabled: !!profileId, staleTime: 5 * 60_000 });
}
