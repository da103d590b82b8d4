/**
 * What a keychain failure means, in the user's words, per OS: macOS Keychain, Windows
 * Credential Manager, the Secret Service on Linux (and its D-Bus), or a keyring library
 * that could not load. Every message says what to do, and offers the session-only choice.
 */
import type { ErrorKind } from '../../../../preload/contract';
import { KeyringTimeout } from './backend';

export interface Failure {
  kind: Extract<ErrorKind, 'keychain-unavailable' | 'keychain-timeout' | 'keychain-failed' | 'bad-key'>;
  message: string;
  action: string;
}

const SESSION_ONLY_HINT = 'Or choose to keep keys for this session only (they are forgotten when Gaia Desktop quits).';

export function backendName(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'macOS Keychain';
  if (platform === 'win32') return 'Windows Credential Manager';
  return 'Secret Service (GNOME Keyring, KeePassXC or KWallet)';
}

function timeoutFailure(platform: NodeJS.Platform, seconds: number | null): Failure {
  const base = `The keychain (${backendName(platform)}) did not answer${seconds === null ? '' : ` within ${seconds} seconds`}.`;
  if (platform === 'darwin') {
    return { kind: 'keychain-timeout', message: base, action: `If macOS asked for your password, answer it and try again. Otherwise open Keychain Access, check that the “login” keychain is unlocked, and try again. ${SESSION_ONLY_HINT}` };
  }
  if (platform === 'win32') {
    return { kind: 'keychain-timeout', message: base, action: `Try again. If it keeps happening, restart Windows. ${SESSION_ONLY_HINT}` };
  }
  return {
    kind: 'keychain-timeout',
    message: base,
    action: `If your keyring asked for a password, unlock it and try again. Otherwise the keyring service may be stuck: log out and back in (or restart gnome-keyring-daemon / KeePassXC) and try again. ${SESSION_ONLY_HINT}`,
  };
}

function shortReason(raw: string): string {
  const oneLine = raw.replace(/\s+/g, ' ').trim();
  return oneLine.length > 300 ? `${oneLine.slice(0, 300)}…` : oneLine;
}

function linuxFailure(raw: string): Failure {
  // D-Bus gave up waiting itself (its own timeout, shorter than ours).
  if (/Did not receive a reply|NoReply|timed? ?out/i.test(raw)) return timeoutFailure('linux', null);
  if (/DBUS_SESSION_BUS_ADDRESS|autolaunch|Failed to connect to socket|Connection refused|Could not connect|Unknown address type|not a valid (unix )?address|Address does not contain/i.test(raw)) {
    return {
      kind: 'keychain-unavailable',
      message: 'Gaia Desktop cannot reach your session’s message bus (D-Bus), which is how it talks to the keychain (Secret Service). This happens when it is started outside a desktop session, for example over SSH or in a container.',
      action:
        'Quit Gaia Desktop and start it again from your desktop session. On a machine without a desktop, start it inside a D-Bus session with an unlocked keyring: ' +
        "dbus-run-session -- sh -c 'gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec gaia-desktop' " +
        `(type the keyring password, then press Ctrl-D). ${SESSION_ONLY_HINT}`,
    };
  }
  if (/ServiceUnknown|org\.freedesktop\.secrets|not provided by any \.service files|NameHasNoOwner|no such name/i.test(raw)) {
    return {
      kind: 'keychain-unavailable',
      message: 'No keychain service (Secret Service) is running in your desktop session, so there is nowhere safe to keep your API key.',
      action: `Install gnome-keyring (or KeePassXC with its Secret Service integration turned on), make sure it is running and unlocked, then try again. ${SESSION_ONLY_HINT}`,
    };
  }
  if (/lock|prompt was dismissed|dismissed|NoStorageAccess.*denied|not allowed/i.test(raw)) {
    return {
      kind: 'keychain-unavailable',
      message: 'Your keyring is locked, and Gaia Desktop could not unlock it.',
      action: `Unlock it — in GNOME open “Passwords and Keys” (Seahorse) and unlock the Login keyring; in KeePassXC unlock the database — then try again. ${SESSION_ONLY_HINT}`,
    };
  }
  if (/no result found|no default collection|collection/i.test(raw)) {
    return {
      kind: 'keychain-unavailable',
      message: 'Your keychain has no default keyring to store keys in.',
      action: `Open “Passwords and Keys” (Seahorse), create a keyring and make it the default (or enable Secret Service integration for a KeePassXC database), unlock it, then try again. ${SESSION_ONLY_HINT}`,
    };
  }
  return {
    kind: 'keychain-failed',
    message: `The keychain (Secret Service) refused the request: ${shortReason(raw)}`,
    action: `Check that your keyring is running and unlocked, then try again. ${SESSION_ONLY_HINT}`,
  };
}

function macFailure(raw: string): Failure {
  if (/timed? ?out/i.test(raw)) return timeoutFailure('darwin', null);
  if (/-25308|interaction is not allowed|InteractionNotAllowed/i.test(raw)) {
    return {
      kind: 'keychain-unavailable',
      message: 'The macOS keychain is locked and macOS cannot ask for your password right now (for example in a remote session).',
      action: `Open Keychain Access, unlock the “login” keychain, then try again. ${SESSION_ONLY_HINT}`,
    };
  }
  if (/-128|user cancell?ed|canceled|cancelled/i.test(raw)) {
    return {
      kind: 'keychain-unavailable',
      message: 'Access to the keychain was declined.',
      action: `Try again and choose “Allow” or “Always Allow” when macOS asks. ${SESSION_ONLY_HINT}`,
    };
  }
  if (/-25294|-25295|-25307|could not be found|No default keychain|NoDefaultKeychain|NoKeychain/i.test(raw)) {
    return {
      kind: 'keychain-unavailable',
      message: 'macOS has no usable default keychain for your account.',
      action: `Open Keychain Access and make “login” the default keychain (File → Make Keychain “login” Default), or restore it with Keychain First Aid, then try again. ${SESSION_ONLY_HINT}`,
    };
  }
  if (/-25293|passphrase|not correct|auth/i.test(raw)) {
    return {
      kind: 'keychain-unavailable',
      message: 'The keychain password was not accepted.',
      action: `Open Keychain Access, unlock the “login” keychain with your password, then try again. ${SESSION_ONLY_HINT}`,
    };
  }
  return {
    kind: 'keychain-failed',
    message: `The macOS Keychain refused the request: ${shortReason(raw)}`,
    action: `Open Keychain Access, check that the “login” keychain is unlocked, then try again. ${SESSION_ONLY_HINT}`,
  };
}

function windowsFailure(raw: string): Failure {
  if (/timed? ?out/i.test(raw)) return timeoutFailure('win32', null);
  if (/logon session|1312|NoSuchLogonSession/i.test(raw)) {
    return {
      kind: 'keychain-unavailable',
      message: 'Windows Credential Manager is not available in this kind of session (for example over SSH, as a service, or under “Run as” another user).',
      action: `Sign in to Windows with your own account and start Gaia Desktop from the desktop. ${SESSION_ONLY_HINT}`,
    };
  }
  if (/too (big|long)|BadStubData|1783|attribute|size/i.test(raw)) {
    return { kind: 'bad-key', message: 'This key is too long for Windows Credential Manager.', action: 'Check that you pasted only the API key, then try again.' };
  }
  if (/access is denied|denied|0x80070005/i.test(raw)) {
    return {
      kind: 'keychain-unavailable',
      message: 'Windows refused access to Credential Manager.',
      action: `Sign in with your own account (not a restricted or guest account) and try again. ${SESSION_ONLY_HINT}`,
    };
  }
  return {
    kind: 'keychain-failed',
    message: `Windows Credential Manager refused the request: ${shortReason(raw)}`,
    action: `Try again. If it keeps happening, restart Windows. ${SESSION_ONLY_HINT}`,
  };
}

const LOAD_FAILURE = /Cannot find module|Failed to load native binding|native binding|not supported on|ERR_DLOPEN_FAILED|invalid ELF|cannot open shared object/i;

/** Turns what the store said into words for the user. Exported for tests. */
export function describeKeychainFailure(platform: NodeJS.Platform, err: unknown, timeoutMs: number): Failure {
  const seconds = Math.round(timeoutMs / 100) / 10;
  if (err instanceof KeyringTimeout) return timeoutFailure(platform, seconds);
  const raw = err instanceof Error ? `${err.message} ${(err as { code?: unknown }).code ?? ''}` : String(err);
  if (LOAD_FAILURE.test(raw)) {
    return {
      kind: 'keychain-unavailable',
      message: 'Gaia Desktop’s keychain support could not be loaded on this computer.',
      action: `Reinstall Gaia Desktop. ${SESSION_ONLY_HINT}`,
    };
  }
  if (platform === 'darwin') return macFailure(raw);
  if (platform === 'win32') return windowsFailure(raw);
  return linuxFailure(raw);
}
