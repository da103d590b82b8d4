/** The key test/support/keychain-probe.ts stores; a test checks it never shows up where it must not. */
export const PROBE_KEY = 'pR0beK3yXq7Lm2Nn9Vb4Cc8Zz1Aa5Ss6';
