/**
 * `gaia-desktop mcp [--profile NAME]`: the local MCP server on stdin/stdout, for an
 * assistant to start (see Settings → Local assistants for the snippet). stdout carries
 * MCP messages only; nothing else is ever written there. It runs until the assistant
 * closes stdin (or sends SIGINT/SIGTERM).
 */
import type { Command } from 'commander';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createActivityLog } from '../../core/mcp/activity';
import { createGaiaMcpServer } from '../../core/mcp/server';
import type { CliContext } from '../context';
import { EXIT } from '../exit-codes';

export function registerMcp(program: Command, ctx: CliContext, done: (run: () => Promise<number>) => Promise<void>, streams: { stdin: NodeJS.ReadableStream; stdout: NodeJS.WritableStream }) {
  program
    .command('mcp')
    .description('Run the local MCP server over stdio (for assistants; allow connections in Settings → Local assistants)')
    .action(() =>
      done(async () => {
        const { core } = await ctx.start('mcp');
        const activity = createActivityLog({ dataDir: core.services.options.dataDir, log: core.services.log });
        const server = createGaiaMcpServer({ core, activity, defaultConnection: ctx.profileOption(), version: ctx.version });
        const transport = new StdioServerTransport(streams.stdin as NodeJS.ReadStream, streams.stdout as NodeJS.WriteStream);
        const closed = new Promise<void>((resolve) => {
          transport.onclose = () => resolve();
          streams.stdin.once('end', () => resolve());
          ctx.io.signal.addEventListener('abort', () => resolve(), { once: true });
        });
        await server.connect(transport);
        core.services.log.info('mcp: server started on stdio');
        await closed;
        await server.close().catch(() => undefined);
        core.services.log.info('mcp: server stopped');
        return EXIT.ok;
      }),
    );
}
