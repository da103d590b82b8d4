import { describe, expect, it } from 'vitest';
import { channels } from '../../preload/contract';
import { createKeyHandles, last4Of } from '../../main/core/keys/handles';

const KEY_A = 'gK7pQ2xZ9vLmN4rT8wYb3cF6hJ1sD5aE';
const KEY_B = 'Zy8xWv7uTs6rQp5oNm4lKj3iHg2fEd1c';
const P1 = { profileId: 'p1', binding: 'b1' };
const P2 = { profileId: 'p2', binding: 'b1' };

describe('key handles', () => {
  it('are random, opaque and accepted by the contract as handles', () => {
    const handles = createKeyHandles();
    const a = handles.handleFor(P1, KEY_A);
    const b = handles.handleFor(P1, KEY_B);
    expect(a).not.toBe(b);
    for (const h of [a, b]) {
      expect(channels['gaia:keys.copy'].request.safeParse({ handle: h }).success).toBe(true);
      for (let i = 0; i + 8 <= KEY_A.length; i++) expect(h).not.toContain(KEY_A.slice(i, i + 8));
    }
    // A fresh map gives the same key another handle: nothing about a handle comes from the key.
    expect(createKeyHandles().handleFor(P1, KEY_A)).not.toBe(a);
  });

  it('are stable for a key on one profile, and scoped to that profile', () => {
    const handles = createKeyHandles();
    const a = handles.handleFor(P1, KEY_A);
    expect(handles.handleFor(P1, KEY_A)).toBe(a);
    const other = handles.handleFor(P2, KEY_A);
    expect(other).not.toBe(a);
    expect(handles.require(a, { profileId: 'p1' }).key).toBe(KEY_A);
    expect(() => handles.require(a, { profileId: 'p2' })).toThrow(/not in the current list/);
    expect(() => handles.require('nope')).toThrow(/not in the current list/);
  });

  it('belong to the binding (origin and trust) their profile had: a moved profile does not reach them', () => {
    const handles = createKeyHandles();
    const a = handles.handleFor(P1, KEY_A);
    expect(handles.require(a, P1).key).toBe(KEY_A);
    expect(() => handles.require(a, { profileId: 'p1', binding: 'b2' })).toThrow(/not in the current list/);
    // The same key seen after the move is another handle.
    expect(handles.handleFor({ profileId: 'p1', binding: 'b2' }, KEY_A)).not.toBe(a);
    handles.forgetProfile('p1');
    expect(() => handles.require(a)).toThrow();
  });

  it('remember which keys were created here; listing again does not forget that', () => {
    const handles = createKeyHandles();
    const h = handles.handleFor(P1, KEY_A, true);
    expect(handles.handleFor(P1, KEY_A)).toBe(h);
    expect(handles.require(h).created).toBe(true);
    expect(handles.require(handles.handleFor(P1, KEY_B)).created).toBe(false);
  });

  it('forget deleted keys, and listed keys that are no longer listed (but not keys created here)', () => {
    const handles = createKeyHandles();
    const created = handles.handleFor(P1, KEY_A, true);
    const listed = handles.handleFor(P1, KEY_B);
    handles.retain('p1', new Set());
    expect(() => handles.require(listed)).toThrow();
    expect(handles.require(created).key).toBe(KEY_A);
    handles.forgetKey(KEY_A);
    expect(() => handles.require(created)).toThrow();
    expect(handles.size).toBe(0);
  });

  it('show only the last four of a key long enough to spare them', () => {
    expect(last4Of(KEY_A)).toBe('D5aE');
    expect(last4Of('short-key')).toBe('');
  });
});
