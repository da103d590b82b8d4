/**
 * The simulator's own PKI, made fresh at every start so no private key is ever
 * committed: a root CA, an intermediate, and a leaf for 127.0.0.1/localhost — plus the
 * broken leaves the TLS failure tests need (self-signed, expired, wrong host).
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export type TlsVariant = 'chain' | 'self-signed' | 'expired' | 'wrong-host';

export interface SimPki {
  rootPem: string;
  intermediatePem: string;
  /** What the server presents: its leaf, then the intermediate when there is one. */
  certChainPem: string;
  keyPem: string;
  leafPem: string;
}

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 86_400_000;

async function keys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as unknown as CryptoKeyPair;
}

async function keyPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key as unknown as webcrypto.CryptoKey);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

async function caCert(name: string, keyPair: CryptoKeyPair, issuer?: { name: string; keys: CryptoKeyPair }) {
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(true, issuer ? 0 : 1, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    await x509.SubjectKeyIdentifierExtension.create(keyPair.publicKey),
  ];
  if (!issuer) {
    return x509.X509CertificateGenerator.createSelfSigned({
      name,
      keys: keyPair,
      notBefore: new Date(Date.now() - DAY),
      notAfter: new Date(Date.now() + 3650 * DAY),
      signingAlgorithm: ALG,
      extensions,
    });
  }
  extensions.push(await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey));
  return x509.X509CertificateGenerator.create({
    subject: name,
    issuer: issuer.name,
    publicKey: keyPair.publicKey,
    signingKey: issuer.keys.privateKey,
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + 1825 * DAY),
    signingAlgorithm: ALG,
    extensions,
  });
}

function leafExtensions(hosts: string[]) {
  return [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
    new x509.SubjectAlternativeNameExtension(
      hosts.map((h) => (/^[\d.]+$|:/.test(h) ? { type: 'ip' as const, value: h } : { type: 'dns' as const, value: h })),
    ),
  ];
}

export async function createPki(variant: TlsVariant = 'chain', hosts = ['127.0.0.1', 'localhost', '::1']): Promise<SimPki> {
  const stamp = Date.now().toString(36);
  const rootName = `CN=Gaia Simulator Root CA ${stamp}, O=Gaia Desktop Tests`;
  const intName = `CN=Gaia Simulator Intermediate CA ${stamp}, O=Gaia Desktop Tests`;
  const [rootKeys, intKeys, leafKeys] = await Promise.all([keys(), keys(), keys()]);
  const root = await caCert(rootName, rootKeys);
  const intermediate = await caCert(intName, intKeys, { name: rootName, keys: rootKeys });

  const leafName = `CN=${variant === 'wrong-host' ? 'gaia.wrong-host.example' : hosts[0]}, O=Gaia Simulator`;
  let leaf: x509.X509Certificate;
  if (variant === 'self-signed') {
    leaf = await x509.X509CertificateGenerator.createSelfSigned({
      name: leafName,
      keys: leafKeys,
      notBefore: new Date(Date.now() - DAY),
      notAfter: new Date(Date.now() + 365 * DAY),
      signingAlgorithm: ALG,
      extensions: leafExtensions(hosts),
    });
  } else {
    const expired = variant === 'expired';
    leaf = await x509.X509CertificateGenerator.create({
      subject: leafName,
      issuer: intName,
      publicKey: leafKeys.publicKey,
      signingKey: intKeys.privateKey,
      notBefore: new Date(Date.now() - (expired ? 400 : 1) * DAY),
      notAfter: new Date(Date.now() + (expired ? -30 : 365) * DAY),
      signingAlgorithm: ALG,
      extensions: [
        ...leafExtensions(variant === 'wrong-host' ? ['gaia.wrong-host.example'] : hosts),
        await x509.AuthorityKeyIdentifierExtension.create(intKeys.publicKey),
      ],
    });
  }
  const leafPem = leaf.toString('pem');
  const intermediatePem = intermediate.toString('pem');
  return {
    rootPem: root.toString('pem'),
    intermediatePem,
    leafPem,
    certChainPem: variant === 'self-signed' ? `${leafPem}\n` : `${leafPem}\n${intermediatePem}\n`,
    keyPem: await keyPem(leafKeys.privateKey),
  };
}
