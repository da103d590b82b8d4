/**
 * Which links may leave the app for the OS browser. Only https, only places we know the
 * user needs (Cohesity's docs and Helios, Cohesity's own repositories on GitHub — not
 * anyone's, since an answer's link could point at any page there), never credentials in
 * the URL. Everything else — javascript:, file:, custom schemes, lookalike hosts — is refused.
 */
const ALLOWED: Array<(url: URL) => boolean> = [
  (url) => /^(.+\.)?cohesity\.com$/i.test(url.hostname),
  (url) => /^github\.com$/i.test(url.hostname) && /^\/cohesity(\/|$)/i.test(url.pathname),
];

/**
 * The link as the OS browser must receive it — the normalised URL that was checked, not
 * the raw text (which another parser could read differently) — or null when it may not leave.
 */
export function checkedExternalUrl(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.username || url.password) return null;
  return ALLOWED.some((allowed) => allowed(url)) ? url.href : null;
}

export function isAllowedExternalUrl(raw: string): boolean {
  return checkedExternalUrl(raw) !== null;
}
