/** The checks written once (main/core/validate, platform/storage/save-failure), as every caller meets them. */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AppError, appError } from '../../main/core/errors';
import { saveFailure } from '../../main/core/platform/storage/save-failure';
import { checkApiKey, cleanApiKey } from '../../main/core/validate/api-key';
import { checkProfileId } from '../../main/core/validate/profile-id';

const KEY = 'vAl1dK3yQwErTyUiOp';
const kindOf = (run: () => unknown) => {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect(JSON.stringify((err as AppError).info)).not.toContain(KEY);
    return (err as AppError).info.kind;
  }
  return 'accepted';
};

describe('API keys', () => {
  it('checks a stored or sent key exactly as it is, and cleans a pasted one first', () => {
    expect(checkApiKey(KEY)).toBe(KEY);
    expect(kindOf(() => checkApiKey(`${KEY}\n`))).toBe('bad-key');
    expect(cleanApiKey(`  ${KEY}\r\n`)).toBe(KEY);
  });

  it('refuses what cannot be a key, without repeating it', () => {
    for (const bad of ['', '   ', `${KEY} ${KEY}`, `${KEY}\u200b`, `${KEY}é`, 'short', KEY.repeat(1000)]) expect(kindOf(() => cleanApiKey(bad))).toBe('bad-key');
  });
});

describe('profile ids', () => {
  it('accepts the ids the app makes and nothing that could leave its folder', () => {
    expect(kindOf(() => checkProfileId(randomUUID()))).toBe('accepted');
    for (const bad of ['', '../profiles', 'a/b', 'a.b', 'x'.repeat(129)]) expect(kindOf(() => checkProfileId(bad))).toBe('no-such-profile');
  });
});

describe('a failed save', () => {
  it('says why in the user’s words and where to look', () => {
    const full = saveFailure('your profiles', '/data', Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }));
    expect(full.info).toMatchObject({ kind: 'storage', message: 'Gaia Desktop could not save your profiles because the disk is full.' });
    expect(full.info.action).toContain('/data');
    const denied = saveFailure('the history', 'the data folder', Object.assign(new Error('EACCES'), { code: 'EACCES' }), 'It stays open.');
    expect(denied.info.message).toContain('permission was denied');
    expect(denied.info.action).toMatch(/It stays open\.$/);
  });

  it('passes an error that already says what happened through unchanged', () => {
    const already = appError('storage', 'Already worded.', 'Do this.');
    expect(saveFailure('x', 'y', already)).toBe(already);
  });
});
