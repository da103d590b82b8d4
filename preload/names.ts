/**
 * What the contract names — its channels, its events, the sidebar's pages — without its
 * schemas. The bridge and the renderer need only the names: loading contract.ts builds
 * every zod schema (tens of milliseconds of the renderer's start, and zod itself in the
 * first screen's JavaScript) for checks that only main makes. contract.ts keys its
 * tables by these lists, so the compiler refuses a channel added to one and not the other.
 *
 * Like contract.ts, free of Node and Electron: the sandboxed preload and the renderer load it.
 */

export const CHANNEL_NAMES = [
  'gaia:app.info',
  'gaia:app.openExternal',
  'gaia:app.diagnostics',
  'gaia:app.openFolder',
  'gaia:settings.get',
  'gaia:settings.update',
  'gaia:keychain.status',
  'gaia:keychain.useSessionOnly',
  'gaia:profiles.list',
  'gaia:profiles.checkUrl',
  'gaia:profiles.inspectCa',
  'gaia:profiles.connect',
  'gaia:profiles.update',
  'gaia:profiles.activate',
  'gaia:profiles.delete',
  'gaia:profiles.replaceKey',
  'gaia:profiles.forgetKey',
  'gaia:datasets.list',
  'gaia:datasets.cancel',
  'gaia:datasets.details',
  'gaia:datasets.stats',
  'gaia:datasets.topics',
  'gaia:datasets.topicSummary',
  'gaia:llms.list',
  'gaia:ask.start',
  'gaia:ask.cancel',
  'gaia:ask.exhaustive',
  'gaia:ask.feedback',
  'gaia:composer.get',
  'gaia:composer.save',
  'gaia:history.list',
  'gaia:history.get',
  'gaia:history.rename',
  'gaia:history.delete',
  'gaia:history.clear',
  'gaia:history.export',
  'gaia:assistants.setup',
  'gaia:assistants.activity',
  'gaia:keys.list',
  'gaia:keys.create',
  'gaia:keys.update',
  'gaia:keys.delete',
  'gaia:keys.useForProfile',
  'gaia:keys.copy',
  'gaia:keys.rotate',
] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];

export const EVENT_NAMES = ['gaia:app.command', 'gaia:ask.event', 'gaia:datasets.progress', 'gaia:datasets.page', 'gaia:keys.rotateProgress'] as const;
export type EventChannelName = (typeof EVENT_NAMES)[number];

/** The sidebar's pages, in their order. */
export const PAGE_NAMES = ['connections', 'datasets', 'ask', 'keys', 'settings'] as const;

/** `gaia:ask.start` → ['ask', 'start']. */
export function splitChannel(channel: string): [area: string, verb: string] {
  const m = /^gaia:([a-z][A-Za-z]*)\.([a-z][A-Za-z]*)$/.exec(channel);
  if (!m) throw new Error(`not a gaia channel: ${channel}`);
  return [m[1], m[2]];
}

export function eventMethodName(verb: string): string {
  return `on${verb[0].toUpperCase()}${verb.slice(1)}`;
}
