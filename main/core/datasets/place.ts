/**
 * Where a dataset list comes from: one profile talking to one server and tenant. A list
 * fetched before its connection moved belongs to the old place, and nothing may read it
 * as the new one's — neither the Datasets page nor the names put on an answer's sources.
 */
import type { Profile } from '../../../preload/contract';
import type { DatasetCache } from './cache';

/** A stored profile's place fields (tests and older callers may leave the tenant out). */
export type PlacedProfile = Pick<Profile, 'id' | 'baseUrl'> & Partial<Pick<Profile, 'securityContext'>>;

export const placeOf = (p: PlacedProfile) => `${p.id}\n${p.baseUrl}\n${p.securityContext ?? ''}`;

/** A stored list is this place's when it says so, or when it was written before lists said where from. */
export const isFromPlace = (stored: { place?: string }, place: string) => stored.place === undefined || stored.place === place;

/** The cached names of this place's datasets by id; empty when the cached list is another place's. */
export async function cachedNamesAt(cache: Pick<DatasetCache, 'read'>, profile: PlacedProfile): Promise<Map<string, string>> {
  const stored = await cache.read(profile.id);
  if (!stored || !isFromPlace(stored, placeOf(profile))) return new Map();
  return new Map(stored.datasets.map((d) => [d.id, d.name]));
}
