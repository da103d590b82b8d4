/**
 * Where a dataset list comes from: one profile talking to one server and tenant with one
 * key. A list fetched before its connection moved, or before its key was replaced (another
 * user's key may see other datasets), belongs to the old place, and nothing may read it as
 * the new one's — neither the Datasets page nor the names put on an answer's sources.
 */
import type { Profile } from '../../../preload/contract';
import type { DatasetCache } from './cache';

/** A stored profile's place fields (tests and older callers may leave the tenant and key id out). */
export type PlacedProfile = Pick<Profile, 'id' | 'baseUrl'> & Partial<Pick<Profile, 'securityContext'>> & { keyId?: string | null };

/** Marks the key id in a place (placeOf). */
const KEY_PART = '\nkey ';

/**
 * The key enters as the profile's random key id (profiles.ts), never as the key or anything
 * computed from it. Without one (a profile from before key ids), the place is as it was
 * written then, so those cached lists still show until a key is stored again.
 */
export const placeOf = (p: PlacedProfile) => `${p.id}\n${p.baseUrl}\n${p.securityContext ?? ''}${p.keyId ? `${KEY_PART}${p.keyId}` : ''}`;

/**
 * A stored list is this place's when it says so, or when it was written before lists said
 * where from — unless a key has been stored since key ids began (the place names one): that
 * list may be another key's.
 */
export const isFromPlace = (stored: { place?: string }, place: string) => (stored.place === undefined ? !place.includes(KEY_PART) : stored.place === place);

/** The cached names of this place's datasets by id; empty when the cached list is another place's. */
export async function cachedNamesAt(cache: Pick<DatasetCache, 'read'>, profile: PlacedProfile): Promise<Map<string, string>> {
  const stored = await cache.read(profile.id);
  if (!stored || !isFromPlace(stored, placeOf(profile))) return new Map();
  return new Map(stored.datasets.map((d) => [d.id, d.name]));
}
