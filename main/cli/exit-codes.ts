/**
 * What `gaia-desktop`'s exit status means, one number per kind of trouble, so a script
 * can tell "not connected" from "Gaia is down" without reading the message. Every
 * ErrorKind has its code here (the Record makes a new kind a compile error until it is
 * placed). README → "Command line" lists the same table.
 */
import type { ErrorKind } from '../../preload/contract';

export const EXIT = {
  ok: 0,
  /** Something failed inside Gaia Desktop (or a local file could not be written). */
  failed: 1,
  /** The command line, or what it asked for, was not valid. */
  usage: 2,
  /** No connection to use: none set up, none by that name, no key stored, or not allowed. */
  notConnected: 3,
  /** Gaia refused the key (wrong key, or a key without Gaia rights). */
  refused: 4,
  /** The dataset, conversation or document does not exist. */
  notFound: 5,
  /** Gaia could not be reached: network, DNS, proxy, TLS/certificate, timeout, dropped stream. */
  unreachable: 6,
  /** Gaia answered, but with an error: server error, rate limit, an HTML page, an odd answer. */
  gaiaError: 7,
  /** The OS keychain could not be used. */
  keychain: 8,
  /** Stopped with Ctrl+C (128 + SIGINT). */
  interrupted: 130,
} as const;

const BY_KIND: Record<ErrorKind, number> = {
  'invalid-request': EXIT.usage,
  'unknown-channel': EXIT.failed,
  'forbidden-sender': EXIT.failed,
  'invalid-response': EXIT.failed,
  unauthorized: EXIT.refused,
  forbidden: EXIT.refused,
  'not-found': EXIT.notFound,
  'rate-limited': EXIT.gaiaError,
  'server-error': EXIT.gaiaError,
  'validation-failed': EXIT.usage,
  'html-response': EXIT.gaiaError,
  'unexpected-response': EXIT.gaiaError,
  unsupported: EXIT.gaiaError,
  'tls-unknown-ca': EXIT.unreachable,
  'tls-self-signed': EXIT.unreachable,
  'tls-hostname-mismatch': EXIT.unreachable,
  'tls-expired': EXIT.unreachable,
  'tls-fingerprint-changed': EXIT.unreachable,
  'tls-other': EXIT.unreachable,
  dns: EXIT.unreachable,
  'connection-refused': EXIT.unreachable,
  'connection-reset': EXIT.unreachable,
  timeout: EXIT.unreachable,
  proxy: EXIT.unreachable,
  aborted: EXIT.interrupted,
  'stream-dropped': EXIT.unreachable,
  'body-too-large': EXIT.gaiaError,
  network: EXIT.unreachable,
  'bad-url': EXIT.usage,
  'bad-key': EXIT.notConnected,
  'bad-certificate': EXIT.notConnected,
  'keychain-unavailable': EXIT.keychain,
  'keychain-timeout': EXIT.keychain,
  'keychain-failed': EXIT.keychain,
  storage: EXIT.failed,
  'not-connected': EXIT.notConnected,
  'no-such-profile': EXIT.notConnected,
  'no-such-conversation': EXIT.notFound,
  'not-allowed': EXIT.notConnected,
  // A stored key that no longer matches its connection's address or trust (moved or loosened).
  'key-required': EXIT.notConnected,
  internal: EXIT.failed,
};

export const exitCodeFor = (kind: ErrorKind): number => BY_KIND[kind] ?? EXIT.failed;
