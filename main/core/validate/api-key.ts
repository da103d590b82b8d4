/**
 * What can be an API key: the one rule, applied where a key is pasted, stored and sent.
 * A key travels in an HTTP header, so it is printable ASCII without spaces. The key is
 * never repeated in a message.
 */
import { appError } from '../errors';

/** The contract's limit for a key crossing the bridge. */
const MAX_LENGTH = 8192;
const MIN_LENGTH = 8;

/** Checks a key exactly as it is, with nothing around it; throws AppError 'bad-key'. */
export function checkApiKey(key: string): string {
  if (typeof key !== 'string' || key.trim() === '') {
    throw appError('bad-key', 'The API key is empty.', 'Paste the API key you created in Helios (Settings → Access Management → API Keys).');
  }
  if (key.length > MAX_LENGTH) throw appError('bad-key', 'This is too long to be an API key.', 'Check that you pasted only the API key, then try again.');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\ufeff]/.test(key)) {
    throw appError('bad-key', 'The API key contains line breaks or other invisible characters.', 'Paste only the key itself, on one line, and try again.');
  }
  if (/\s/.test(key)) throw appError('bad-key', 'The API key contains spaces, so it is probably not a whole key.', 'Copy the key again and paste only the key.');
  if (!/^[\x21-\x7e]+$/.test(key)) {
    throw appError('bad-key', 'The API key contains characters that an API key cannot hold.', 'Copy the key again, exactly as Helios or the cluster showed it, and paste only the key.');
  }
  if (key.length < MIN_LENGTH) throw appError('bad-key', 'This is too short to be an API key.', 'Copy the whole key from Helios and paste it again.');
  return key;
}

/** A pasted key, cleaned the way people paste: surrounding whitespace and line breaks dropped, then checked. */
export function cleanApiKey(raw: string): string {
  return checkApiKey(typeof raw === 'string' ? raw.trim() : raw);
}
