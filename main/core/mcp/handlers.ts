/**
 * Settings → Local assistants: how to configure an MCP client for this installation,
 * and what assistants did recently. Which connections they may use is a setting
 * (`localAssistants`, through gaia:settings.update); the MCP server enforces it.
 */
import type { Handlers } from '../dispatch';
import { createActivityLog } from '../mcp/activity';
import { mcpSnippets, type Launcher } from '../mcp/snippets';
import type { Services } from '../services';

type AssistantChannels = 'gaia:assistants.setup' | 'gaia:assistants.activity';

/** Where no shell said how it is started: the command an installed package puts on PATH. */
const DEFAULT_LAUNCHER: Launcher = { command: 'gaia-desktop', args: [] };

export function assistantHandlers(s: Services): Handlers<AssistantChannels> {
  const activity = createActivityLog({ dataDir: s.options.dataDir, log: s.log });
  return {
    'gaia:assistants.setup': async () => {
      const base = s.options.launcher ?? DEFAULT_LAUNCHER;
      const launcher = { command: base.command, args: [...base.args, 'mcp'] };
      return { ...launcher, snippets: mcpSnippets(launcher) };
    },
    'gaia:assistants.activity': async () => ({ calls: await activity.recent(50) }),
  };
}
