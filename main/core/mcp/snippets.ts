/**
 * Ready-to-paste configuration for common MCP clients, built from how this
 * installation starts its MCP server. No key is in any of them: the server reads the
 * keychain itself.
 */
import type { z } from 'zod';
import type { AssistantSnippet } from '../../../preload/contract';
import { shellCommand } from '../platform/shell-word';

export interface Launcher {
  command: string;
  args: string[];
}

export const SERVER_NAME = 'gaia-desktop';

const json = (value: unknown) => JSON.stringify(value, null, 2);


export function mcpSnippets(launcher: Launcher): z.input<typeof AssistantSnippet>[] {
  const server = { command: launcher.command, args: launcher.args };
  return [
    {
      client: 'Claude Desktop',
      where: 'Settings → Developer → Edit Config (claude_desktop_config.json): merge into "mcpServers", then restart Claude Desktop.',
      text: json({ mcpServers: { [SERVER_NAME]: server } }),
    },
    {
      client: 'VS Code',
      where: '.vscode/mcp.json in a workspace, or “MCP: Open User Configuration” for every workspace.',
      text: json({ servers: { [SERVER_NAME]: { type: 'stdio', ...server } } }),
    },
    {
      client: 'Cursor',
      where: '~/.cursor/mcp.json (every project) or .cursor/mcp.json (one project): merge into "mcpServers".',
      text: json({ mcpServers: { [SERVER_NAME]: server } }),
    },
    {
      client: 'Claude Code',
      where: 'Run once in a terminal.',
      text: `claude mcp add ${SERVER_NAME} -- ${shellCommand([launcher.command, ...launcher.args])}`,
    },
  ];
}
