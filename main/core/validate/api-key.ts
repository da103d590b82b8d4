/**
 * A pasted API key, cleaned the way people paste: surrounding whitespace and line breaks
 * dropped, anything else invisible refused. The key is never repeated in a message.
 */
import { appError } from '../errors';

export function cleanApiKey(raw: string): string {
  const key = raw.trim();
  if (key === '') throw appError('bad-key', 'The API key is empty.', 'Paste the API key you created in Helios (Settings → Access Management → API Keys).');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\ufeff]/.test(key)) {
    throw appError('bad-key', 'The API key contains line breaks or other invisible characters.', 'Paste only the key itself, on one line, and try again.');
  }
  if (/\s/.test(key)) throw appError('bad-key', 'The API key contains spaces, so it is probably not a whole key.', 'Copy the key again and paste only the key.');
  if (key.length < 8) throw appError('bad-key', 'This is too short to be an API key.', 'Copy the whole key from Helios and paste it again.');
  return key;
}
