import { describe, expect, it } from 'vitest';
import { createPki } from '../gaia-sim/certs';
import { normalizeFingerprint, summarizePem } from '../../main/core/gaia/certificates';
import { CertificateSummary } from '../../preload/contract';
import { AppError } from '../../main/core/errors';

function badCertificate(pem: string): AppError {
  try {
    summarizePem(pem);
  } catch (err) {
    return err as AppError;
  }
  throw new Error('expected bad-certificate');
}

describe('summarizePem', () => {
  it('summarises every certificate of a chain, in order', async () => {
    const pki = await createPki('chain');
    const certs = summarizePem(`some preamble\n${pki.leafPem}\n${pki.intermediatePem}\n${pki.rootPem}`);
    expect(certs).toHaveLength(3);
    for (const c of certs) CertificateSummary.parse(c);
    expect(certs.map((c) => [c.isCA, c.selfSigned])).toEqual([
      [false, false],
      [true, false],
      [true, true],
    ]);
    expect(certs[0].subject).toMatch(/CN=127\.0\.0\.1/);
    expect(certs[0].issuer).toBe(certs[1].subject);
    expect(certs[0].validFrom).toBeLessThan(Date.now());
    expect(certs[0].validTo).toBeGreaterThan(Date.now());
    expect(certs[2].fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(certs[2].pem.startsWith('-----BEGIN CERTIFICATE-----')).toBe(true);
  });

  it('recognises a self-signed server certificate that is not a CA', async () => {
    const pki = await createPki('self-signed');
    const [leaf] = summarizePem(pki.leafPem);
    expect(leaf).toMatchObject({ isCA: false, selfSigned: true });
  });

  it("refuses text without a certificate, in words that say what a PEM looks like", () => {
    const err = badCertificate('hello, this is not a certificate');
    expect(err.info.kind).toBe('bad-certificate');
    expect(err.info.message).toMatch(/BEGIN CERTIFICATE/);
  });

  it('recognises a binary (DER) file', () => {
    const err = badCertificate(String.fromCharCode(0x30, 0x82, 0x03, 0x01, 0x02, 0x00, 0x01));
    expect(err.info.message).toMatch(/binary/);
    expect(err.info.action).toMatch(/PEM/);
  });

  it('refuses a damaged certificate block, saying which one', async () => {
    const pki = await createPki('chain');
    const err = badCertificate(`${pki.leafPem}\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n`);
    expect(err.info.message).toMatch(/Certificate 2 of 2/);
  });

  it('compares fingerprints whatever their format', () => {
    expect(normalizeFingerprint('ab:cd:EF')).toBe(normalizeFingerprint('ABCDef'));
  });
});
