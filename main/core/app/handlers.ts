import os from 'node:os';
import { logDirOf } from '../platform/data-dir';
import type { Handler, Handlers } from '../dispatch';
import { appError } from '../errors';
import { checkedExternalUrl } from '../platform/external-links';
import type { CoreOptions, Services } from '../services';
import type { StorageProblemInfo } from '../platform/storage/json-file';

type AppChannels =
  | 'gaia:app.info'
  | 'gaia:app.openExternal'
  | 'gaia:app.diagnostics'
  | 'gaia:app.openFolder'
  | 'gaia:history.clear'
  | 'gaia:settings.get'
  | 'gaia:settings.update';

/**
 * app.info needs only the options and what went wrong at start, so the core answers it
 * (and the shell shows its version) before its heavier parts have loaded.
 */
export function appInfoHandler(options: CoreOptions, startupProblems: readonly StorageProblemInfo[]): Handler<'gaia:app.info'> {
  return async () => ({
    name: options.appName,
    version: options.version,
    platform: process.platform,
    arch: process.arch,
    shell: options.ports.shell,
    versions: { node: process.versions.node, ...options.ports.versions },
    dataDir: options.dataDir,
    problems: startupProblems.slice(0, 20).map(({ file, movedTo, message }) => ({ file, movedTo, message })),
    logDir: logDirOf(options.dataDir),
  });
}

export function appHandlers(s: Services): Handlers<AppChannels> {
  const { options, log, settings } = s;
  return {
    'gaia:app.info': appInfoHandler(options, s.startupProblems),
    'gaia:app.openFolder': async ({ folder }) => {
      const dir = folder === 'data' ? options.dataDir : logDirOf(options.dataDir);
      if (!options.ports.openFolder) return { opened: false };
      await options.ports.openFolder(dir);
      return { opened: true };
    },
    'gaia:history.clear': async () => {
      const profile = await s.profiles.active();
      if (!profile) return { deleted: 0 };
      const { conversations } = await s.history.list(profile.id);
      let deleted = 0;
      for (const conversation of conversations) if (await s.history.remove(profile.id, conversation.id)) deleted += 1;
      return { deleted };
    },
    'gaia:app.openExternal': async ({ url }) => {
      const checked = checkedExternalUrl(url);
      if (!checked) {
        log.warn('refused to open a link outside the allowlist');
        return { opened: false };
      }
      await options.ports.openExternal(checked);
      return { opened: true };
    },
    'gaia:app.diagnostics': async () => {
      const lines = [
        `${options.appName} ${options.version} (${options.ports.shell})`,
        `OS: ${os.type()} ${os.release()} ${process.arch}; Node ${process.versions.node}; Electron ${options.ports.versions.electron ?? '—'}`,
        // Where the user left off holds their own words (a draft question): not for a support ticket.
        `Settings: ${JSON.stringify({ ...settings.get(), resume: undefined })}`,
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
