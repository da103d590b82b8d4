/**
 * What a keychain failure means, in the user's words, per OS: macOS Keychain, Windows
 * Credential Manager, the Secret Service on Linux (and its D-Bus), or a keyring library
 * that could not load. Every message says what to do, and offers the session-only choice
 * (except to the command line, which cannot reach a running app's session-only keys).
 */
import type { ErrorKind } from '../../../../preload/contract';
import { shellWord } from '../shell-word';
import { KeyringTimeout } from './backend';

/**
 * How this process was started, so a message names a way back that exists: an installed
 * app, `npm start` in a source checkout, the browser preview (`npm run preview`, and
 * `npm run demo`, which runs the preview's core in its own process), or one command of
 * the command line (`gaia-desktop datasets`, `npm run cli -- datasets`), which has no
 * window and no session-only keys of its own.
 */
export interface Launch {
  how: 'packaged' | 'source' | 'preview' | 'cli';
  /**
   * What the user types to start it again, as a shell command with its words quoted
   * ("gaia-desktop", "npm run preview -- --port 5200", …), or null where it is started from an icon.
   */
  command: string | null;
  /** For the command line: run from a source checkout (`npm run cli`), not an installed app. */
  checkout?: boolean;
}

export const PACKAGED: Launch = { how: 'packaged', command: 'gaia-desktop' };

export interface Failure {
  kind: Extract<ErrorKind, 'keychain-unavailable' | 'keychain-timeout' | 'keychain-failed' | 'bad-key'>;
  message: string;
  action: string;
}

const sessionOnlyHint = (launch: Launch) =>
  launch.how === 'cli'
    ? // Session-only keys live in the memory of a running app, which a command line cannot reach.
      'The command line can use only keys in the keychain, not keys a running Gaia Desktop keeps for its session only.'
    : `Or choose to keep keys for this session only (they are forgotten when ${launch.how === 'preview' ? 'the preview stops' : 'Gaia Desktop quits'}).`;

/**
 * The same action once keys are already kept for this session only: offering that choice
 * again would read as something still to do, so the fix is left on its own.
 */
export function withoutSessionOnlyOffer(action: string, launch: Launch): string {
  const offer = ` ${sessionOnlyHint(launch)}`;
  return action.endsWith(offer) ? action.slice(0, -offer.length) : action;
}

const fromCheckout = (launch: Launch) => launch.how === 'source' || launch.how === 'preview' || (launch.how === 'cli' && launch.checkout === true);

/** "Quit Gaia Desktop and start it again" in the words of how it was started. */
function startAgain(launch: Launch, where: string): string {
  if (launch.how === 'preview') return `Stop it (Ctrl+C in its terminal) and run \`${launch.command ?? 'npm run preview'}\` again ${where}`;
  if (launch.how === 'source') return `Quit Gaia Desktop and run \`${launch.command ?? 'npm start'}\` again ${where}`;
  if (launch.how === 'cli') return `Run \`${launch.command ?? 'gaia-desktop'}\` again ${where}`;
  return `Quit Gaia Desktop and start it again ${where}`;
}

/**
 * A command that runs `command` (a shell command, its words quoted) inside a private
 * D-Bus session with gnome-keyring unlocked. gnome-keyring-daemon --unlock reads the
 * password from standard input up to its end, so the password is read first and piped
 * in; the first time, that password creates the login keyring. The script is one
 * quoted word, so whatever quotes the command holds reach bash -c intact.
 */
export function keyringSessionCommand(command: string): string {
  const script = `read -rsp "Keyring password: " pw; echo; printf %s "$pw" | gnome-keyring-daemon --unlock --components=secrets >/dev/null; unset pw; exec ${command}`;
  return `dbus-run-session -- bash -c ${shellWord(script)}`;
}

export function backendName(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'macOS Keychain';
  if (platform === 'win32') return 'Windows Credential Manager';
  return 'Secret Service (GNOME Keyring, KeePassXC or KWallet)';
}

function timeoutFailure(platform: NodeJS.Platform, seconds: number | null, launch: Launch): Failure {
  const orSessionOnly = sessionOnlyHint(launch);
  const base = `The keychain (${backendName(platform)}) did not answer${seconds === null ? '' : ` within ${seconds} seconds`}.`;
  if (platform === 'darwin') {
    return { kind: 'keychain-timeout', message: base, action: `If macOS asked for your password, answer it and try again. Otherwise open Keychain Access, check that the “login” keychain is unlocked, and try again. ${orSessionOnly}` };
  }
  if (platform === 'win32') {
    return { kind: 'keychain-timeout', message: base, action: `Try again. If it keeps happening, restart Windows. ${orSessionOnly}` };
  }
  return {
    kind: 'keychain-timeout',
    message: base,
    action: `If your keyring asked for a password, unlock it and try again. Otherwise the keyring service may be stuck: log out and back in (or restart gnome-keyring-daemon / KeePassXC) and try again. ${orSessionOnly}`,
  };
}

function shortReason(raw: string): string {
  const oneLine = raw.replace(/\s+/g, ' ').trim();
  return oneLine.length > 300 ? `${oneLine.slice(0, 300)}…` : oneLine;
}

function linuxFailure(raw: string, launch: Launch): Failure {
  const orSessionOnly = sessionOnlyHint(launch);
  // D-Bus gave up waiting itself (its own timeout, shorter than ours).
  if (/Did not receive a reply|NoReply|timed? ?out/i.test(raw)) return timeoutFailure('linux', null, launch);
  if (/DBUS_SESSION_BUS_ADDRESS|autolaunch|Failed to connect to socket|Connection refused|Could not connect|Unknown address type|not a valid (unix )?address|Address does not contain/i.test(raw)) {
    return {
      kind: 'keychain-unavailable',
      message: 'Gaia Desktop cannot reach your session’s message bus (D-Bus), which is how it talks to the keychain (Secret Service). This happens when it is started outside a desktop session, for example over SSH or in a container.',
      action:
        `${startAgain(launch, 'from your desktop session')}.` +
        (launch.command
          ? ` On a machine without a desktop (needs the dbus and gnome-keyring packages), ${launch.how === 'cli' ? 'run the command' : 'start it'} inside a D-Bus session with an unlocked keyring: ${keyringSessionCommand(launch.command)} — it asks for the keyring password (the first time, the one you type becomes it).`
          : '') +
        ` ${orSessionOnly}`,
    };
  }
  if (/ServiceUnknown|org\.freedesktop\.secrets|not provided by any \.service files|NameHasNoOwner|no such name/i.test(raw)) {
    return {
      kind: 'keychain-unavailable',
      message: 'No keychain service (Secret Service) is running in your desktop session, so there is nowhere safe to keep your API key.',
      action: `Install gnome-keyring (or KeePassXC with its Secret Service integration turned on), make sure it is running and unlocked, then try again. ${orSessionOnly}`,
    };
  }
  if (/lock|prompt was dismissed|dismissed|NoStorageAccess.*denied|not allowed/i.test(raw)) {
    return {
      kind: 'keychain-unavailable',
      message: 'Your keyring is locked, and Gaia Desktop could not unlock it.',
      action: `Unlock it — in GNOME open “Passwords and Keys” (Seahorse) and unlock the Login keyring; in KeePassXC unlock the database — then try again. ${orSessionOnly}`,
    };
  }
  if (/no result found|no default collection|collection/i.test(raw)) {
    return {
      kind: 'keychain-unavailable',
      message: 'Your keychain has no default keyring to store keys in.',
      action: `Open “Passwords and Keys” (Seahorse), create a keyring and make it the default (or enable Secret Service integration for a KeePassXC database), unlock it, then try again. ${orSessionOnly}`,
    };
  }
  return {
    kind: 'keychain-failed',
    message: `The keychain (Secret Service) refused the request: ${shortReason(raw)}`,
    action: `Check that your keyring is running and unlocked, then try again. ${orSessionOnly}`,
  };
}

function macFailure(raw: string, launch: Launch): Failure {
  const orSessionOnly = sessionOnlyHint(launch);
  if (/timed? ?out/i.test(raw)) return timeoutFailure('darwin', null, launch);
  if (/-25308|interaction is not allowed|InteractionNotAllowed/i.test(raw)) {
    return {
      kind: 'keychain-unavailable',
      message: 'The macOS keychain is locked and macOS cannot ask for your password right now (for example in a remote session).',
      action: `Open Keychain Access, unlock the “login” keychain, then try again. ${orSessionOnly}`,
    };
  }
  if (/-128|user cancell?ed|canceled|cancelled/i.test(raw)) {
    return {
      kind: 'keychain-unavailable',
      message: 'Access to the keychain was declined.',
      action: `Try again and choose “Allow” or “Always Allow” when macOS asks. ${orSessionOnly}`,
    };
  }
  if (/-25294|-25295|-25307|could not be found|No default keychain|NoDefaultKeychain|NoKeychain/i.test(raw)) {
    return {
      kind: 'keychain-unavailable',
      message: 'macOS has no usable default keychain for your account.',
      action: `Open Keychain Access and make “login” the default keychain (File → Make Keychain “login” Default), or restore it with Keychain First Aid, then try again. ${orSessionOnly}`,
    };
  }
  if (/-25293|passphrase|not correct|auth/i.test(raw)) {
    return {
      kind: 'keychain-unavailable',
      message: 'The keychain password was not accepted.',
      action: `Open Keychain Access, unlock the “login” keychain with your password, then try again. ${orSessionOnly}`,
    };
  }
  return {
    kind: 'keychain-failed',
    message: `The macOS Keychain refused the request: ${shortReason(raw)}`,
    action: `Open Keychain Access, check that the “login” keychain is unlocked, then try again. ${orSessionOnly}`,
  };
}

function windowsFailure(raw: string, launch: Launch): Failure {
  const orSessionOnly = sessionOnlyHint(launch);
  if (/timed? ?out/i.test(raw)) return timeoutFailure('win32', null, launch);
  if (/logon session|1312|NoSuchLogonSession/i.test(raw)) {
    return {
      kind: 'keychain-unavailable',
      message: 'Windows Credential Manager is not available in this kind of session (for example over SSH, as a service, or under “Run as” another user).',
      action: `Sign in to Windows with your own account, then ${launch.how === 'packaged' ? 'start Gaia Desktop from the desktop' : `run \`${launch.command}\` from a terminal on the desktop`}. ${orSessionOnly}`,
    };
  }
  if (/too (big|long)|BadStubData|1783|attribute|size/i.test(raw)) {
    return { kind: 'bad-key', message: 'This key is too long for Windows Credential Manager.', action: 'Check that you pasted only the API key, then try again.' };
  }
  if (/access is denied|denied|0x80070005/i.test(raw)) {
    return {
      kind: 'keychain-unavailable',
      message: 'Windows refused access to Credential Manager.',
      action: `Sign in with your own account (not a restricted or guest account) and try again. ${orSessionOnly}`,
    };
  }
  return {
    kind: 'keychain-failed',
    message: `Windows Credential Manager refused the request: ${shortReason(raw)}`,
    action: `Try again. If it keeps happening, restart Windows. ${orSessionOnly}`,
  };
}

const LOAD_FAILURE = /Cannot find module|Failed to load native binding|native binding|not supported on|ERR_DLOPEN_FAILED|invalid ELF|cannot open shared object/i;

/** Turns what the store said into words for the user. Exported for tests. */
export function describeKeychainFailure(platform: NodeJS.Platform, err: unknown, timeoutMs: number, launch: Launch = PACKAGED): Failure {
  const orSessionOnly = sessionOnlyHint(launch);
  const seconds = Math.round(timeoutMs / 100) / 10;
  if (err instanceof KeyringTimeout) return timeoutFailure(platform, seconds, launch);
  const raw = err instanceof Error ? `${err.message} ${(err as { code?: unknown }).code ?? ''}` : String(err);
  if (LOAD_FAILURE.test(raw)) {
    return {
      kind: 'keychain-unavailable',
      message: 'Gaia Desktop’s keychain support could not be loaded on this computer.',
      action: `${!fromCheckout(launch) ? 'Reinstall Gaia Desktop.' : 'Run `npm install` again in the checkout: it installs the keyring module’s binary for this OS (@napi-rs/keyring).'} ${orSessionOnly}`,
    };
  }
  if (platform === 'darwin') return macFailure(raw, launch);
  if (platform === 'win32') return windowsFailure(raw, launch);
  return linuxFailure(raw, launch);
}

