/**
 * Which links may leave the app for the OS browser. Only https, only hosts we know the
 * user needs (Cohesity's docs and Helios), never credentials in the URL. Everything
 * else — javascript:, file:, custom schemes, lookalike hosts — is refused.
 */
const ALLOWED_HOSTS = [/^(.+\.)?cohesity\.com$/i, /^github\.com$/i];

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
  return ALLOWED_HOSTS.some((pattern) => pattern.test(url.hostname)) ? url.href : null;
}

export function isAllowedExternalUrl(raw: string): boolean {
  return checkedExternalUrl(raw) !== null;
}
