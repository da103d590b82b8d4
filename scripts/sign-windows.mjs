/**
 * electron-builder signing hook for Windows (win.signtoolOptions.sign): called once per
 * executable (the app, its helpers, the installer and uninstaller).
 *
 * Two ways to sign, chosen by the environment; with neither, it says so and skips, so
 * unsigned local builds go through untouched:
 *   GAIA_WIN_SIGN_COMMAND   a command that signs one file in place, with {file} where the
 *                           path goes — for certificates kept in a cloud HSM, e.g.
 *                           AzureSignTool sign -kvu … -kvc … -tr http://timestamp.digicert.com -td sha256 "{file}"
 *                           smctl sign --keypair-alias … --input "{file}"
 *   WIN_CSC_LINK (or CSC_LINK) + WIN_CSC_KEY_PASSWORD (or CSC_KEY_PASSWORD)
 *                           a .pfx file: signed with signtool.exe (Windows SDK, on PATH) on
 *                           Windows, or osslsigncode elsewhere, SHA-256 with an RFC 3161 timestamp.
 * Updates are verified against the publisher name (see electron-builder.yml, win.signtoolOptions).
 */
import { execFileSync, execSync } from 'node:child_process';
import { renameSync } from 'node:fs';

const TIMESTAMP_URL = process.env.GAIA_WIN_TIMESTAMP_URL ?? 'http://timestamp.digicert.com';

/** What signing would do with this environment: a command, a certificate, or nothing and why. */
export function windowsSigningMode(env = process.env) {
  if (env.GAIA_WIN_SIGN_COMMAND) return { mode: 'command', command: env.GAIA_WIN_SIGN_COMMAND };
  const pfx = env.WIN_CSC_LINK ?? env.CSC_LINK;
  if (pfx) return { mode: 'certificate', pfx, password: env.WIN_CSC_KEY_PASSWORD ?? env.CSC_KEY_PASSWORD ?? '' };
  return { mode: 'none', why: 'neither GAIA_WIN_SIGN_COMMAND nor WIN_CSC_LINK is set' };
}

export default async function sign(configuration) {
  const file = configuration.path;
  const how = windowsSigningMode();
  if (how.mode === 'none') {
    console.log(`  • skipped Windows signing of ${file}: ${how.why}`);
    return;
  }
  if (how.mode === 'command') {
    execSync(how.command.replaceAll('{file}', file.replaceAll('"', '')), { stdio: 'inherit' });
    return;
  }
  // electron-builder has already resolved a CSC_LINK URL or base64 value into a file.
  const pfx = configuration.cscInfo?.file ?? how.pfx;
  const password = configuration.cscInfo?.password ?? how.password;
  if (process.platform === 'win32') {
    execFileSync('signtool.exe', ['sign', '/f', pfx, '/p', password, '/fd', 'sha256', '/tr', TIMESTAMP_URL, '/td', 'sha256', '/d', configuration.name ?? 'Gaia Desktop', file], { stdio: 'inherit' });
  } else {
    const out = `${file}.signed`;
    execFileSync('osslsigncode', ['sign', '-pkcs12', pfx, '-pass', password, '-h', 'sha256', '-ts', TIMESTAMP_URL, '-n', configuration.name ?? 'Gaia Desktop', '-in', file, '-out', out], { stdio: 'inherit' });
    renameSync(out, file);
  }
}
