/**
 * Trust: the app's own CA set, the profile's CA (with its chain), each certificate
 * failure with its own words and the chain the server presented, "trust this
 * certificate", and a pinned certificate that changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { X509Certificate } from 'node:crypto';
import { createGaiaClient, type ConnectionSettings } from '../../main/core/gaia/client';
import { startSimulator, type Simulator } from '../gaia-sim';
import { caught, capturingLog, containsSecret, everyRendering, type CapturingLog } from '../support/gaia';

let chain: Simulator;
let selfSigned: Simulator;
let expired: Simulator;
let wrongHost: Simulator;
let log: CapturingLog;

beforeAll(async () => {
  [chain, selfSigned, expired, wrongHost] = await Promise.all([
    startSimulator({ tls: 'chain' }),
    startSimulator({ tls: 'self-signed' }),
    startSimulator({ tls: 'expired' }),
    startSimulator({ tls: 'wrong-host' }),
  ]);
  log = capturingLog();
});

afterAll(async () => {
  await Promise.all([chain, selfSigned, expired, wrongHost].map((s) => s?.stop()));
  log?.dispose();
});

const settings = (sim: Simulator, extra: Partial<ConnectionSettings> = {}): ConnectionSettings => ({
  baseUrl: sim.baseUrl,
  apiKey: sim.demoKey,
  verifyTls: true,
  ...extra,
});

async function validate(sim: Simulator, extra: Partial<ConnectionSettings> = {}, env: NodeJS.ProcessEnv = {}) {
  const client = createGaiaClient(settings(sim, extra), { log, env });
  try {
    await client.validate();
  } finally {
    await client.close();
  }
}

const fingerprint = (pem: string) => new X509Certificate(pem).fingerprint256;

describe('trusting a private CA', () => {
  it("connects when the profile holds the cluster's root CA (the server sends leaf + intermediate)", async () => {
    await validate(chain, { caPem: chain.caPem });
    expect(chain.requestLog.at(-1)?.headers['apikey']).toBe(chain.demoKey);
  });

  it('connects when the CA comes from NODE_EXTRA_CA_CERTS, read from the env it is given', async () => {
    await validate(chain, {}, { NODE_EXTRA_CA_CERTS: chain.caFile });
  });

  it('accepts a CA bundle holding several certificates', async () => {
    await validate(chain, { caPem: `${selfSigned.leafPem}\n${chain.caPem}` });
  });
});

describe('each certificate failure, in its own words, with the presented chain', () => {
  it('unknown CA: refuses, and offers the leaf and intermediate the server presented', async () => {
    const before = chain.requestLog.length;
    const err = await caught(validate(chain));
    expect(err.info.kind).toBe('tls-unknown-ca');
    expect(err.info.message).toMatch(/authority this computer does not trust/);
    expect(err.info.host).toBe(new URL(chain.baseUrl).host);
    const certs = err.info.certificates!;
    expect(certs.map((c) => c.fingerprint256)).toEqual([fingerprint(chain.leafPem), fingerprint(chain.intermediatePem)]);
    expect(certs[0].isCA).toBe(false);
    expect(certs[1].isCA).toBe(true);
    expect(certs[1].subject).toMatch(/Intermediate/);
    expect(certs[0].validTo).toBeGreaterThan(Date.now());
    // The refused handshake carried no request, so no key reached the server.
    expect(chain.requestLog.length).toBe(before);
  });

  it("'trust this certificate' with the top of the presented chain (an intermediate) then works", async () => {
    const err = await caught(validate(chain));
    const top = err.info.certificates!.at(-1)!;
    await validate(chain, { caPem: top.pem, trustedFingerprint: top.fingerprint256 });
  });

  it("'trust this certificate' with the leaf works too", async () => {
    const err = await caught(validate(chain));
    const leaf = err.info.certificates![0];
    await validate(chain, { caPem: leaf.pem, trustedFingerprint: leaf.fingerprint256 });
  });

  it('self-signed: its own kind and message, with the certificate to trust', async () => {
    const err = await caught(validate(selfSigned));
    expect(err.info.kind).toBe('tls-self-signed');
    expect(err.info.message).toMatch(/self-signed/);
    expect(err.info.certificates).toHaveLength(1);
    expect(err.info.certificates![0].selfSigned).toBe(true);
    const cert = err.info.certificates![0];
    await validate(selfSigned, { caPem: cert.pem, trustedFingerprint: cert.fingerprint256.replace(/:/g, '').toLowerCase() });
  });

  it('expired: its own kind and message, even with the right CA', async () => {
    const err = await caught(validate(expired, { caPem: expired.caPem }));
    expect(err.info.kind).toBe('tls-expired');
    expect(err.info.message).toMatch(/has expired/);
    expect(err.info.certificates![0].validTo).toBeLessThan(Date.now());
  });

  it('wrong host: its own kind and message, even with the right CA', async () => {
    const err = await caught(validate(wrongHost, { caPem: wrongHost.caPem }));
    expect(err.info.kind).toBe('tls-hostname-mismatch');
    expect(err.info.message).toMatch(/different name/);
    expect(err.info.certificates![0].subject).toMatch(/wrong-host/);
  });

  it('says different things for different failures, and never shows the key', async () => {
    const errors = await Promise.all([
      caught(validate(chain)),
      caught(validate(selfSigned)),
      caught(validate(expired, { caPem: expired.caPem })),
      caught(validate(wrongHost, { caPem: wrongHost.caPem })),
    ]);
    expect(new Set(errors.map((e) => e.info.message)).size).toBe(4);
    expect(new Set(errors.map((e) => e.info.action)).size).toBeGreaterThanOrEqual(3);
    for (const [err, sim] of errors.map((e, i) => [e, [chain, selfSigned, expired, wrongHost][i]] as const)) {
      expect(containsSecret(everyRendering(err), sim.demoKey)).toBe(false);
    }
  });

  it('verification off (by the user, for this profile only) connects to a self-signed server', async () => {
    await validate(selfSigned, { verifyTls: false });
    expect(log.raw.some((l) => /verification is OFF/.test(l))).toBe(true);
    // ...while another client, with verification on, still refuses the same server.
    expect((await caught(validate(selfSigned))).info.kind).toBe('tls-self-signed');
  });
});

describe('a pinned certificate that changes', () => {
  it('warns when a trusted self-signed certificate is replaced by another', async () => {
    const first = await startSimulator({ tls: 'self-signed' });
    const port = Number(new URL(first.baseUrl).port);
    const pinned = { caPem: first.leafPem, trustedFingerprint: fingerprint(first.leafPem) };
    await validate(first, pinned);
    await first.stop();

    const second = await startSimulator({ tls: 'self-signed', port });
    try {
      const err = await caught(validate(second, { ...pinned, apiKey: second.demoKey }));
      expect(err.info.kind).toBe('tls-fingerprint-changed');
      expect(err.info.message).toMatch(/not the one you trusted/);
      expect(err.info.action).toMatch(/administrator/);
      expect(err.info.certificates![0].fingerprint256).toBe(fingerprint(second.leafPem));
      expect(second.requestLog).toHaveLength(0);
    } finally {
      await second.stop();
    }
  });

  it('refuses a chain that verifies through another trusted CA but no longer holds the pinned one', async () => {
    const first = await startSimulator({ tls: 'chain' });
    const port = Number(new URL(first.baseUrl).port);
    const firstRoot = first.caPem;
    // The pinned root is not presented by the server: the pin check sees the verified chain.
    await validate(first, { caPem: firstRoot, trustedFingerprint: fingerprint(firstRoot) });
    await first.stop();

    const second = await startSimulator({ tls: 'chain', port });
    try {
      const both = { caPem: `${firstRoot}\n${second.caPem}`, trustedFingerprint: fingerprint(firstRoot), apiKey: second.demoKey };
      const err = await caught(validate(second, both));
      expect(err.info.kind).toBe('tls-fingerprint-changed');
      expect(second.requestLog).toHaveLength(0);
      // Without the pin the same trust set connects: it was the pin that refused.
      await validate(second, { ...both, trustedFingerprint: null });
    } finally {
      await second.stop();
    }
  });
});
