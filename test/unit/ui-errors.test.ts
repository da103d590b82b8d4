/** The renderer's one place that turns a thrown error into what the UI shows. */
import { describe, expect, it } from 'vitest';
import { GaiaError, type Profile } from '../../preload/contract';
import { hasExpired, toProblem } from '../../renderer/ui/errors';

const refused = new GaiaError({ kind: 'unauthorized', message: 'Gaia refused the API key (401).', action: 'Check the key.', status: 401 });
const profile = { name: 'Lab', keyExpiresAt: Date.UTC(2027, 0, 31) } as Profile;

describe('toProblem', () => {
  it('passes the core’s words through', () => {
    expect(toProblem(refused, { ...profile, keyExpiresAt: null })).toEqual(refused.info);
  });

  it('explains a 401 after the key’s expiry date as expired, and not before', () => {
    const after = toProblem(refused, profile, Date.UTC(2027, 1, 1));
    expect(after.kind).toBe('unauthorized');
    expect(after.message).toMatch(/^Gaia refused the key of “Lab”: it expired on /);
    expect(after.action).toMatch(/new key/);
    expect(toProblem(refused, profile, Date.UTC(2027, 0, 30))).toEqual(refused.info);
    const other = new GaiaError({ kind: 'timeout', message: 'Too slow.', action: 'Retry.' });
    expect(toProblem(other, profile, Date.UTC(2027, 1, 1))).toEqual(other.info);
  });

  it('says a renderer bug plainly instead of showing it raw', () => {
    const shown = toProblem(new TypeError('x is undefined'));
    expect(shown.kind).toBe('internal');
    expect(shown.message).not.toContain('undefined');
  });

  it('hasExpired is from the day itself', () => {
    expect(hasExpired(null)).toBe(false);
    expect(hasExpired(10, 10)).toBe(true);
    expect(hasExpired(10, 9)).toBe(false);
  });
});
