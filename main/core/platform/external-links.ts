/**
 * Which links may leave the app for the OS browser. Only https, only hosts we know the
 * user needs (Cohesity's docs and Helios), never credentials in the URL. Everything
 * else — javascript:, file:, custom schemes, lookalike hosts — is refused.
 */
const ALLOWED_HOSTS = [/^(.+\.)?cohesity\.com$/i, /^github\.com$/i];

export function isAllowedExternalUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' || url.username || url.password) return false;
  return ALLOWED_HOSTS.some((pattern) => pattern.test(url.hostname));
}
