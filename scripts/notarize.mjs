/**
 * electron-builder afterSign hook: notarizes the signed macOS app with Apple, so Gatekeeper
 * opens it without warnings, and staples the ticket.
 *
 * Driven entirely by the environment; with any of these missing it says so and skips, so
 * unsigned local builds and builds on other OSes go through untouched:
 *   APPLE_ID                      the Apple ID of a member of the developer team
 *   APPLE_APP_SPECIFIC_PASSWORD   an app-specific password for that Apple ID (appleid.apple.com)
 *   APPLE_TEAM_ID                 the ten-character team ID
 * Signing itself (the "Developer ID Application" certificate) is electron-builder's: CSC_LINK
 * and CSC_KEY_PASSWORD, or the certificate in the build machine's login keychain.
 */
import path from 'node:path';

export const NOTARIZE_ENV = ['APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID'];

/** Why notarization is skipped for this context, or null when it should run. */
export function notarizeSkipReason(context, env = process.env) {
  if (context.electronPlatformName !== 'darwin') return `not a macOS build (${context.electronPlatformName})`;
  const missing = NOTARIZE_ENV.filter((name) => !env[name]);
  if (missing.length > 0) return `${missing.join(', ')} not set`;
  if (process.platform !== 'darwin') return 'notarization needs macOS (xcrun notarytool)';
  return null;
}

export default async function notarize(context) {
  const why = notarizeSkipReason(context);
  if (why) {
    if (context.electronPlatformName === 'darwin') console.log(`  • skipped macOS notarization: ${why}`);
    return;
  }
  const appName = context.packager.appInfo.productFilename;
  const appPath = path.join(context.appOutDir, `${appName}.app`);
  console.log(`  • notarizing ${appPath} (this takes a few minutes)`);
  const { notarize: submit } = await import('@electron/notarize');
  await submit({
    tool: 'notarytool',
    appPath,
    appleId: process.env.APPLE_ID,
    appleIdPassword: process.env.APPLE_APP_SPECIFIC_PASSWORD,
    teamId: process.env.APPLE_TEAM_ID,
  });
  console.log('  • notarized and stapled');
}
