import os from 'node:os';
import type { Handlers } from '../dispatch';
import { appError } from '../errors';
import { isAllowedExternalUrl } from '../platform/external-links';
import type { Services } from '../services';

type AppChannels = 'gaia:app.info' | 'gaia:app.openExternal' | 'gaia:app.diagnostics' | 'gaia:settings.get' | 'gaia:settings.update';

export function appHandlers(s: Services): Handlers<AppChannels> {
  const { options, log, settings } = s;
  return {
    'gaia:app.info': async () => ({
      name: options.appName,
      version: options.version,
      platform: process.platform,
      arch: process.arch,
      shell: options.ports.shell,
      versions: { node: process.versions.node, ...options.ports.versions },
      dataDir: options.dataDir,
    }),
    'gaia:app.openExternal': async ({ url }) => {
      if (!isAllowedExternalUrl(url)) {
        log.warn('refused to open a link outside the allowlist');
        return { opened: false };
      }
      await options.ports.openExternal(url);
      return { opened: true };
    },
    'gaia:app.diagnostics': async () => {
      const lines = [
        `${options.appName} ${options.version} (${options.ports.shell})`,
        `OS: ${os.type()} ${os.release()} ${process.arch}; Node ${process.versions.node}; Electron ${options.ports.versions.electron ?? '—'}`,
        `Settings: ${JSON.stringify(settings.get())}`,
        `Keychain: ${JSON.stringify(await s.keychain.status())}`,
        ...(await s.profiles.load()).profiles.map(
          (p) =>
            `Profile ${p.id}: ${p.baseUrl}; tenant context ${p.securityContext ? 'set' : 'none'}; CA ${p.caPem ? 'custom' : 'system'}${p.trustedFingerprint ? ' (trusted on first use)' : ''}; proxy ${p.proxyUrl ? 'set' : 'none'}; TLS verification ${p.verifyTls ? 'on' : 'OFF'}; key ${p.keyStorage}`,
        ),
        '',
        'Recent log lines:',
        ...log.recent(200),
      ];
      return { text: log.redact(lines.join('\n')) };
    },
    'gaia:settings.get': async () => settings.get(),
    'gaia:settings.update': async (patch) => {
      try {
        const next = await settings.update(patch);
        if (patch.openAtLogin !== undefined) options.ports.setOpenAtLogin(next.openAtLogin);
        if (patch.keepHistory !== undefined) await s.history.setEnabled(next.keepHistory);
        return next;
      } catch (err) {
        throw appError('storage', 'Your settings could not be saved.', 'Check that the data folder is writable and has free space, then try again.', {}, err);
      }
    },
  };
}
