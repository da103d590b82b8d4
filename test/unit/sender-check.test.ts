import { describe, expect, it } from 'vitest';
import { isTrustedSender } from '../../main/core/platform/sender-check';

const contents = { id: 1 };
const ORIGIN = 'app://gaia';

describe('IPC sender check', () => {
  it('accepts our window’s top frame on the app origin', () => {
    expect(isTrustedSender({ sender: contents, senderFrame: { parent: null, url: 'app://gaia/index.html' } }, contents, ORIGIN)).toBe(true);
  });
  it.each([
    ['a subframe', { sender: contents, senderFrame: { parent: {}, url: 'app://gaia/index.html' } }],
    ['another webContents', { sender: { id: 2 }, senderFrame: { parent: null, url: 'app://gaia/index.html' } }],
    ['a foreign origin', { sender: contents, senderFrame: { parent: null, url: 'https://evil.example/' } }],
    ['a file:// page', { sender: contents, senderFrame: { parent: null, url: 'file:///etc/passwd' } }],
    ['a lookalike host', { sender: contents, senderFrame: { parent: null, url: 'app://gaia.evil/index.html' } }],
    ['no frame (destroyed)', { sender: contents, senderFrame: null }],
    ['an unparsable URL', { sender: contents, senderFrame: { parent: null, url: '::' } }],
  ])('refuses %s', (_name, event) => {
    expect(isTrustedSender(event, contents, ORIGIN)).toBe(false);
  });
});
