/**
 * Rotating a profile's key on Gaia's key service, in the order that never leaves the
 * profile without a working key:
 *
 *   1. create   a new key on the service (with the old key, same permissions)
 *   2. validate the new key with GET /datasets
 *   3. switch   the profile to it (keychain, then the profile's key facts)
 *   4. delete-old  the old key on the service (with the new key)
 *
 * Until step 3 has finished, the profile keeps its old key; when a step before it
 * fails, the new key is deleted again (and if even that fails, the user is told it is
 * left over). When step 4 fails, the rotation still counts (the profile uses the new,
 * validated key) and the old key is reported as left to delete by hand.
 *
 * Every step reports its progress; the messages name keys only by their last four.
 */
import { AppError, appError, toErrorInfo } from '../errors';
import type { KeyPermission } from '../../../preload/contract';
import { settingsOf } from '../connections/clients';
import { bindingId } from '../connections/key-binding';
import { last4Of, type KeyHandles } from './handles';
import type { StoredProfile } from '../connections/profiles';
import type { Services } from '../services';

export type RotateStep = 'create' | 'validate' | 'switch' | 'delete-old';
export type RotateState = 'running' | 'done' | 'failed' | 'skipped';
export type RotateReport = (step: RotateStep, state: RotateState, message: string) => void;

export interface RotateOutcome {
  profile: StoredProfile;
  leftover: string | null;
}

const STEPS: RotateStep[] = ['create', 'validate', 'switch', 'delete-old'];

const ending = (key: string) => {
  const l4 = last4Of(key);
  return l4 ? `ending …${l4}` : '(too short to show its ending)';
};

function hostOf(profile: StoredProfile): string {
  try {
    return new URL(profile.baseUrl).host;
  } catch {
    return profile.baseUrl;
  }
}

function originOf(baseUrl: string): string | null {
  try {
    return new URL(baseUrl).origin;
  } catch {
    return null;
  }
}

export async function rotateProfileKey(s: Services, handles: KeyHandles, profileId: string, report: RotateReport): Promise<RotateOutcome> {
  const { profiles, connections, log } = s;
  const profile = await profiles.get(profileId);
  const host = hostOf(profile);
  const oldKey = await connections.storedKey(profile);
  if (!oldKey) {
    throw appError('not-connected', `The connection “${profile.name}” has no API key stored, so there is nothing to rotate.`, 'Add a key to it on the Connections page (Replace key) first.');
  }
  log.addSecret(oldKey);

  const oldClient = connections.probe(settingsOf(profile, oldKey));
  let newClient: ReturnType<typeof connections.probe> | null = null;
  let reached = 0;
  const skipRest = (from: number) => {
    for (const step of STEPS.slice(from)) report(step, 'skipped', 'Not done, because an earlier step failed.');
  };
  /** The user's words for a failed step: what happened, that the profile is safe, what is left. */
  const stopped = (err: unknown, what: string, leftover: string | null): AppError => {
    const info = toErrorInfo(err);
    return appError(
      info.kind,
      `The key was not rotated: ${what} ${info.message}`,
      `“${profile.name}” still uses its old key (${ending(oldKey)}), which works. ${leftover ?? 'Nothing was left behind on the server.'} ${info.action}`,
      { ...(info.status !== undefined ? { status: info.status } : {}), ...(info.fields ? { fields: info.fields } : {}), ...(info.host ? { host: info.host } : {}) },
      err,
    );
  };
  /** Deletes the new key again with the old one; answers what is left over if that fails. */
  const undoCreate = async (newKey: string): Promise<string | null> => {
    try {
      await oldClient.apiKeys.delete(newKey);
      handles.forgetKey(newKey);
      return null;
    } catch (err) {
      log.warn(`rotate: could not delete the unused new key of profile ${profileId}`, toErrorInfo(err).kind);
      return `The new key (${ending(newKey)}) was created on ${host} but could not be deleted again: delete it on the Keys page or in Helios (Settings → Access Management → API Keys).`;
    }
  };

  try {
    // 1. create
    reached = 0;
    report('create', 'running', `Creating a new key on ${host}…`);
    let permissions: KeyPermission = 'write';
    try {
      const listed = await oldClient.apiKeys.list();
      const mine = listed.find((k) => k.apiKey === oldKey);
      if (mine && (mine.permissions === 'read' || mine.permissions === 'write')) permissions = mine.permissions;
    } catch {
      // The list is only read to copy the old key's permissions; create says what is wrong if anything is.
    }
    let newKey: string;
    try {
      newKey = await oldClient.apiKeys.create(permissions);
    } catch (err) {
      const info = toErrorInfo(err);
      report('create', 'failed', info.message);
      skipRest(1);
      if (info.kind === 'forbidden') {
        throw appError(
          'forbidden',
          `The key was not rotated: the current key of “${profile.name}” may not create keys (403). Read-only keys, and keys whose role lacks GAIA_MODIFY, cannot rotate themselves.`,
          'Nothing was changed. Create a new key in Helios (Settings → Access Management → API Keys) and paste it with “Replace key” on the Connections page.',
          { status: 403, ...(info.host ? { host: info.host } : {}) },
          err,
        );
      }
      throw stopped(err, 'a new key could not be created.', null);
    }
    log.addSecret(newKey);
    handles.handleFor({ profileId, binding: bindingId(profile) }, newKey, true);
    report('create', 'done', `Created a new key ${ending(newKey)} (${permissions}).`);

    // 2. validate
    reached = 1;
    report('validate', 'running', 'Checking that the new key works (GET /datasets)…');
    try {
      newClient = connections.probe(settingsOf(profile, newKey));
      await newClient.validate();
    } catch (err) {
      report('validate', 'failed', toErrorInfo(err).message);
      skipRest(2);
      const leftover = await undoCreate(newKey);
      throw stopped(err, 'the new key did not work.', leftover);
    }
    report('validate', 'done', 'The new key works.');

    // 3. switch
    reached = 2;
    report('switch', 'running', `Switching “${profile.name}” to the new key…`);
    let switched: StoredProfile;
    try {
      // Refused if the profile moved while the new key was checked; file and keychain stay as they were.
      switched = await connections.storeKey(profile, newKey);
      await connections.invalidate(profileId);
    } catch (err) {
      report('switch', 'failed', toErrorInfo(err).message);
      skipRest(3);
      const leftover = await undoCreate(newKey);
      throw stopped(err, 'the new key could not be stored.', leftover);
    }
    report('switch', 'done', `“${profile.name}” now uses the new key ${ending(newKey)}${switched.keyStorage === 'session' ? ' (kept for this session only)' : ''}.`);

    // 4. delete-old
    reached = 3;
    const sharedWith = await otherProfilesUsing(s, profile, oldKey);
    if (sharedWith.length > 0) {
      const names = sharedWith.map((p) => `“${p.name}”`).join(', ');
      const leftover = `The old key (${ending(oldKey)}) was not deleted, because ${names} still ${sharedWith.length === 1 ? 'uses' : 'use'} it. Rotate or replace the key there, then delete the old key on the Keys page.`;
      report('delete-old', 'skipped', leftover);
      return { profile: switched, leftover };
    }
    report('delete-old', 'running', `Deleting the old key ${ending(oldKey)} on ${host}…`);
    try {
      await newClient.apiKeys.delete(oldKey);
      handles.forgetKey(oldKey);
      report('delete-old', 'done', `Deleted the old key ${ending(oldKey)}.`);
      return { profile: switched, leftover: null };
    } catch (err) {
      const info = toErrorInfo(err);
      if (info.status === 404) {
        handles.forgetKey(oldKey);
        report('delete-old', 'done', `The old key ${ending(oldKey)} was already gone.`);
        return { profile: switched, leftover: null };
      }
      report('delete-old', 'failed', info.message);
      log.warn(`rotate: profile ${profileId} switched, but its old key could not be deleted (${info.kind})`);
      return {
        profile: switched,
        leftover: `The old key (${ending(oldKey)}) could not be deleted on ${host} and still works: ${info.message} Delete it on the Keys page (it is no longer this connection's key) or in Helios (Settings → Access Management → API Keys).`,
      };
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    // A bug, not a Gaia failure: say what state things are in.
    log.error(`rotate failed unexpectedly at step ${STEPS[reached]}`, err);
    throw stopped(err, `something went wrong at the “${STEPS[reached]}” step.`, null);
  } finally {
    await oldClient.close().catch(() => undefined);
    await newClient?.close().catch(() => undefined);
  }
}

/** Other profiles on the same key service whose stored key is this one (deleting it would break them). */
async function otherProfilesUsing(s: Services, profile: StoredProfile, key: string): Promise<StoredProfile[]> {
  const origin = originOf(profile.baseUrl);
  const { profiles } = await s.profiles.load();
  const out: StoredProfile[] = [];
  for (const other of profiles) {
    if (other.id === profile.id || other.keyStorage === 'none' || originOf(other.baseUrl) !== origin) continue;
    try {
      if ((await s.keychain.get(other.id)) === key) out.push(other);
    } catch {
      // A keychain that cannot answer for another profile does not stop the rotation.
    }
  }
  return out;
}
