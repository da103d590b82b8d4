/**
 * Which connections local assistants may use: the user's choice in Settings → Local
 * assistants (`settings.localAssistants`, profile ids), off until they tick one. The MCP
 * server asks here before every call, reading the settings file afresh, so a change in
 * the app's window applies to a server that is already running.
 */
import { appError } from '../errors';
import type { StoredProfile } from '../connections/profiles';
import type { SettingsStore } from '../app/settings';

export const HOW_TO_ALLOW = 'Open Gaia Desktop → Settings → Local assistants and tick the connections assistants may use.';

/** The profile ids assistants may use now, as the settings file says. */
export async function allowedProfileIds(settings: SettingsStore): Promise<Set<string>> {
  const current = await settings.load();
  return new Set(current.localAssistants ?? []);
}

/** Throws 'not-allowed', saying how to allow it, unless the user allowed this connection. */
export async function requireAllowed(settings: SettingsStore, profile: Pick<StoredProfile, 'id' | 'name'>): Promise<void> {
  const allowed = await allowedProfileIds(settings);
  if (allowed.has(profile.id)) return;
  throw appError(
    'not-allowed',
    allowed.size === 0
      ? 'Gaia Desktop does not let local assistants use Gaia yet.'
      : `Gaia Desktop does not let local assistants use the connection “${profile.name}”.`,
    `Open Gaia Desktop → Settings → Local assistants and tick “${profile.name}” under “Connections assistants may use”. The key stays in the keychain either way.`,
  );
}
