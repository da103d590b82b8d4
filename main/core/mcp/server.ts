/**
 * Gaia Desktop's local MCP server (`gaia-desktop mcp`, over stdio): the tools in
 * tools.ts behind one gate. Before every call it reads which connections the user lets
 * local assistants use (Settings → Local assistants) and refuses, saying how to allow
 * it, when the call's connection is not one of them. Every call — answered, refused or
 * failed — is recorded in the activity log the app shows in Settings.
 *
 * The key never enters a message: the core reads it from the keychain into its Gaia
 * client, and no tool answers with anything from the key service.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import type { AssistantCall } from '../../../preload/contract';
import type { Core } from '../core';
import { toErrorInfo } from '../errors';
import { createCaller } from '../local/caller';
import { asProfile, findProfile } from '../connections/profile-scope';
import type { StoredProfile } from '../connections/profiles';
import { allowedProfileIds, HOW_TO_ALLOW, requireAllowed } from './access';
import type { ActivityLog } from './activity';
import { gaiaTools, type ToolSpec } from './tools';

export interface McpServerDeps {
  core: Pick<Core, 'dispatch' | 'onEvent' | 'services'>;
  activity: ActivityLog;
  /** `--profile`: the connection used when a call names none. */
  defaultConnection?: string;
  version: string;
  now?: () => number;
}

type AnyTool = ToolSpec<z.ZodRawShape>;

const INSTRUCTIONS =
  'Read-only access to Cohesity Gaia through Gaia Desktop: list datasets, read a dataset’s details and topics, ask questions (answers come with their sources and citations) and find every matching document. The API key stays in the OS keychain; this server never sees it in a message. Only the connections the user allowed in Gaia Desktop → Settings → Local assistants can be used.';

const failure = (text: string): CallToolResult => ({ isError: true, content: [{ type: 'text', text }] });

export function createGaiaMcpServer(deps: McpServerDeps): McpServer {
  const { core, activity } = deps;
  const now = deps.now ?? Date.now;
  const call = createCaller(core.dispatch);
  const { profiles, settings, log } = core.services;
  const server = new McpServer({ name: 'gaia-desktop', version: deps.version }, { instructions: INSTRUCTIONS });

  /** The call's connection: named, else --profile, else the active one if allowed, else the first allowed. Not yet checked. */
  const chooseConnection = async (named: string | undefined): Promise<StoredProfile> => {
    const wanted = named ?? deps.defaultConnection;
    if (wanted) return findProfile(profiles, wanted);
    const allowed = await allowedProfileIds(settings);
    const { profiles: all, activeId } = await profiles.load();
    const pick = all.find((p) => p.id === activeId && allowed.has(p.id)) ?? all.find((p) => allowed.has(p.id));
    // None allowed: the one the call would have used, so the refusal can name it.
    return pick ?? all.find((p) => p.id === activeId) ?? all[0] ?? findProfile(profiles, undefined);
  };

  const record = (entry: Omit<AssistantCall, 'at' | 'durationMs'>, startedAt: number) =>
    activity.record({ ...entry, at: startedAt, durationMs: Math.max(0, now() - startedAt) });

  for (const tool of gaiaTools as unknown as AnyTool[]) {
    server.registerTool(
      tool.name,
      { title: tool.title, description: tool.description, inputSchema: tool.input, annotations: { readOnlyHint: true, destructiveHint: false, openWorldHint: true } },
      async (args: Record<string, unknown>, extra): Promise<CallToolResult> => {
        const startedAt = now();
        const summary = tool.summary(args as never);
        let connection: StoredProfile | null = null;
        try {
          connection = await chooseConnection(typeof args.connection === 'string' ? args.connection : undefined);
          await requireAllowed(settings, connection);
          const chosen = connection;
          // Progress resets the client's request timeout, which a long answer could outlast.
          const token = extra._meta?.progressToken;
          let steps = 0;
          const progress = (message: string) => {
            if (token === undefined) return;
            steps += 1;
            void extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: steps, message: message.slice(0, 1024) } }).catch(() => undefined);
          };
          const answer = await asProfile(chosen.id, () => tool.run(args as never, { call, core, signal: extra.signal, connection: { id: chosen.id, name: chosen.name }, progress }));
          await record({ tool: tool.name, connection: chosen.name, outcome: answer.isError ? 'error' : 'ok', summary }, startedAt);
          log.info(`mcp: ${tool.name} on profile ${chosen.id}: ${answer.isError ? 'error' : 'ok'}`);
          return { isError: answer.isError ?? false, content: [{ type: 'text', text: answer.text }], structuredContent: answer.structured };
        } catch (err) {
          const info = toErrorInfo(err);
          const refused = info.kind === 'not-allowed';
          await record({ tool: tool.name, connection: connection?.name ?? null, outcome: refused ? 'refused' : 'error', summary: refused ? `refused: ${summary}` : `${summary} — ${info.message}` }, startedAt);
          log.info(`mcp: ${tool.name}: ${refused ? 'refused (not allowed)' : `failed (${info.kind})`}`);
          return failure(`${info.message} ${info.action}`);
        }
      },
    );
  }

  server.registerTool(
    'list_connections',
    {
      title: 'List Gaia connections',
      description: 'The Gaia Desktop connections local assistants may use (the user chooses them in Settings → Local assistants). Pass a name as "connection" to the other tools.',
      annotations: { readOnlyHint: true, destructiveHint: false, openWorldHint: false },
    },
    async (): Promise<CallToolResult> => {
      const startedAt = now();
      const allowed = await allowedProfileIds(settings);
      const { profiles: all, activeId } = await profiles.load();
      const usable = all.filter((p) => allowed.has(p.id));
      if (usable.length === 0) {
        await record({ tool: 'list_connections', connection: null, outcome: 'refused', summary: 'refused: no connection is allowed' }, startedAt);
        return failure(`Gaia Desktop does not let local assistants use Gaia yet. ${HOW_TO_ALLOW}`);
      }
      await record({ tool: 'list_connections', connection: null, outcome: 'ok', summary: `${usable.length} allowed` }, startedAt);
      const rows = usable.map((p) => ({ name: p.name, base_url: p.baseUrl, active_in_app: p.id === activeId }));
      return {
        content: [{ type: 'text', text: rows.map((r) => `- ${r.name} (${r.base_url})${r.active_in_app ? ' — active in the app' : ''}`).join('\n') }],
        structuredContent: { connections: rows },
      };
    },
  );
  return server;
}
