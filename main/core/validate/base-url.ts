/**
 * Checks and normalises the addresses a user types: the Gaia API base URL of a profile,
 * and an optional proxy. Every refusal is an AppError of kind 'bad-url' that says what is
 * wrong and what to type instead; softer concerns come back as warnings.
 *
 * A message never repeats a user name or password found in an address.
 */
import { appError } from '../errors';

export interface CheckedUrl {
  /** The address as it will be stored: scheme, host (lower case), port if not the default, path without trailing slashes. */
  normalized: string;
  warnings: string[];
}

export const HELIOS_GAIA_URL = 'https://helios.cohesity.com/v2/mcm/gaia';
const GAIA_PATH = '/v2/mcm/gaia';
const EXAMPLE = `For Cohesity Helios the address is ${HELIOS_GAIA_URL}.`;
const MAX_LENGTH = 2048;

/**
 * A loopback IP literal: 127.0.0.0/8 or ::1. Names are not: "localhost" and *.localhost
 * are looked up like any other name (RFC 6761 asks resolvers to keep them on loopback,
 * but many send them to DNS), so plain http, which carries the key in clear text, is
 * allowed only to an address that cannot leave this computer.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  // IPv4-mapped IPv6 loopback, as WHATWG URL writes it.
  if (/^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(host)) return true;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return v4 !== null && Number(v4[1]) === 127 && v4.slice(2).every((part) => Number(part) <= 255);
}

function isHeliosHost(hostname: string): boolean {
  // helios.cohesity.com and its regional/government siblings (helios.eu.cohesity.com, ...).
  return /(^|\.)helios[.-]([a-z0-9-]+\.)*cohesity\.com$/.test(hostname);
}

/** Shows an address in a message without any user name or password it carries. */
function shown(input: string): string {
  const cleaned = input.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1…@');
  return cleaned.length > 200 ? `${cleaned.slice(0, 200)}…` : cleaned;
}

function parse(input: string, what: string, defaultScheme: 'https' | 'http'): { url: URL; warnings: string[] } {
  const warnings: string[] = [];
  const trimmed = input.trim();
  if (trimmed === '') {
    throw appError('bad-url', `The ${what} is empty.`, `Enter the ${what}. ${what === 'Gaia address' ? EXAMPLE : ''}`.trim());
  }
  if (trimmed.length > MAX_LENGTH) {
    throw appError('bad-url', `The ${what} is too long to be a web address.`, `Enter the ${what} only, up to ${MAX_LENGTH} characters.`);
  }
  if (/\s/.test(trimmed)) {
    throw appError('bad-url', `“${shown(trimmed)}” is not a web address: it contains spaces.`, `Check the ${what} and remove the spaces.`);
  }
  let candidate = trimmed;
  // "helios.cohesity.com/v2/mcm/gaia" or "proxy.corp:3128": no scheme given.
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(candidate)) {
    if (/^[a-z][a-z0-9+.-]*:(?!\d)/i.test(candidate)) {
      // mailto:, ftp:foo and the like — a scheme, just not ours.
      const scheme = candidate.slice(0, candidate.indexOf(':'));
      throw appError('bad-url', `“${shown(trimmed)}” is a ${scheme}: address, not a web address.`, `Enter an address that starts with ${defaultScheme}://.`);
    }
    candidate = `${defaultScheme}://${candidate}`;
    warnings.push(`${defaultScheme}:// was added in front of the address.`);
  }
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    throw appError('bad-url', `“${shown(trimmed)}” is not a web address.`, `Check the ${what} for typing mistakes. ${what === 'Gaia address' ? EXAMPLE : ''}`.trim());
  }
  if (url.hostname === '') {
    throw appError('bad-url', `“${shown(trimmed)}” is not a web address: it has no host name.`, `Enter the full ${what}, including the host name.`);
  }
  if (url.username !== '' || url.password !== '') {
    throw appError(
      'bad-url',
      `The ${what} contains a user name or password (the part before “@”).`,
      what === 'Gaia address'
        ? 'Remove it: Gaia Desktop sends your API key separately and keeps it in the system keychain.'
        : 'Remove it: proxies that need a user name and password are not supported yet. Ask your administrator for a proxy that does not, or for an exception for Gaia.',
    );
  }
  return { url, warnings };
}

/**
 * Checks a Gaia API base URL. https only; http only for a server on this computer
 * (loopback), with a warning. Throws AppError 'bad-url'.
 */
export function normalizeBaseUrl(input: string): CheckedUrl {
  const what = 'Gaia address';
  const { url, warnings } = parse(input, what, 'https');
  const host = url.hostname.toLowerCase();
  const loopback = isLoopbackHost(host);

  if (url.protocol === 'http:') {
    const name = host.replace(/\.$/, '');
    if (!loopback && (name === 'localhost' || name.endsWith('.localhost'))) {
      throw appError(
        'bad-url',
        `“${shown(input.trim())}” uses http:// with a host name, which is looked up like any other name and could lead off this computer with your API key unencrypted.`,
        `For a test server on this computer, use its address instead: http://127.0.0.1${url.port ? `:${url.port}` : ''}${url.pathname.replace(/\/+$/, '')}`,
      );
    }
    if (!loopback) {
      throw appError(
        'bad-url',
        `“${shown(input.trim())}” uses http://, which would send your API key over the network unencrypted.`,
        `Use https:// instead. ${EXAMPLE}`,
      );
    }
    warnings.push('This address uses http:// without encryption. That is only acceptable for a test server on this computer.');
  } else if (url.protocol !== 'https:') {
    throw appError('bad-url', `“${shown(input.trim())}” is not an https:// address.`, `Enter an address that starts with https://. ${EXAMPLE}`);
  }

  const heliosUi = isHeliosHost(host) && (url.hash !== '' || !url.pathname.replace(/\/+$/, '').toLowerCase().endsWith('/gaia'));
  if (url.hash.startsWith('#/') || heliosUi) {
    const suggestion = isHeliosHost(host) ? `https://${url.host}${GAIA_PATH}` : HELIOS_GAIA_URL;
    throw appError(
      'bad-url',
      'This looks like the address of the Helios web console (as shown in the browser), not of the Gaia API.',
      `Use the API address instead: ${suggestion}`,
    );
  }
  if (url.hash !== '') {
    throw appError('bad-url', 'The Gaia address must not contain a “#” part.', `Remove everything from “#” on. ${EXAMPLE}`);
  }
  if (url.search !== '') {
    throw appError('bad-url', 'The Gaia address must not contain a query (a “?” part).', `Remove everything from “?” on. ${EXAMPLE}`);
  }

  const pathname = url.pathname.replace(/\/+$/, '');
  if (pathname === '' && !loopback) {
    warnings.push(`This address has no path. Gaia's API usually lives under ${GAIA_PATH}, for example ${HELIOS_GAIA_URL}.`);
  }
  return { normalized: `${url.protocol}//${url.host}${pathname}`, warnings };
}

/**
 * Checks a proxy address: http:// or https://, host and optional port, nothing else.
 * A proxy with a user name or password is refused (the credentials would have to be
 * stored like a secret, which is not supported yet). Throws AppError 'bad-url'.
 */
export function validateProxyUrl(input: string): CheckedUrl {
  const what = 'proxy address';
  const { url, warnings } = parse(input, what, 'http');
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw appError(
      'bad-url',
      `“${shown(input.trim())}” is not an http:// or https:// proxy.`,
      'Enter the proxy as http://host:port (for example http://proxy.example.com:3128). SOCKS proxies are not supported.',
    );
  }
  if (url.search !== '' || url.hash !== '' || url.pathname.replace(/\/+$/, '') !== '') {
    throw appError('bad-url', 'A proxy address is only a host and a port; this one has more after it.', 'Enter the proxy as http://host:port, for example http://proxy.example.com:3128.');
  }
  return { normalized: `${url.protocol}//${url.host}`, warnings };
}
