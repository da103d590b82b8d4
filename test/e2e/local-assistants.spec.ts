/**
 * Settings → Local assistants, end to end in the preview: off until a connection is
 * ticked (the setting main enforces), a copyable snippet that starts this checkout's
 * MCP server over the preview's own data, the recent activity of a real MCP call, and a
 * conversation asked from the command line shown in the app's history "via CLI".
 */
import { execFile } from 'node:child_process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { promisify } from 'node:util';
import { CLI_ENTRY } from '../support/cli-process';
import { callCore, expect, openApp, test } from '../support/e2e-fixtures';
import { openAsk } from '../support/e2e-ask';

const run = promisify(execFile);

test('allow a connection, copy a snippet, see what assistants did and what the CLI asked', async ({ page, connected }) => {
  const { preview, profile } = connected;
  await openApp(page, preview);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings', exact: true }).click();
  const section = page.getByRole('region', { name: 'Local assistants' });
  await expect(section).toBeVisible();
  await expect(section.getByText('Off: every assistant call is refused')).toBeVisible();

  // The snippet starts this checkout's command line over the preview's data.
  await section.getByText('Claude Desktop', { exact: true }).click();
  const snippet = JSON.parse((await section.locator('pre').first().textContent()) ?? '') as { mcpServers: Record<string, { command: string; args: string[] }> };
  const server = snippet.mcpServers['gaia-desktop'];
  expect(server.args).toEqual([CLI_ENTRY, '--data-dir', preview.dataDir, '--keychain-service', preview.keychainService, 'mcp']);

  await section.getByRole('checkbox', { name: profile.name }).check();
  await expect(section.getByText('Off: every assistant call is refused')).toBeHidden();
  // The box shows at once; main has it once the save lands.
  await expect.poll(async () => ((await callCore(preview, 'gaia:settings.get', {})).value as { localAssistants?: string[] }).localAssistants).toEqual([profile.id]);

  // A real assistant call, with the very command the snippet holds: it shows as recent activity.
  const client = new Client({ name: 'e2e', version: '1.0.0' });
  await client.connect(new StdioClientTransport({ command: server.command, args: server.args, env: { ...process.env } as Record<string, string>, stderr: 'ignore' }));
  try {
    const result = await client.callTool({ name: 'list_datasets', arguments: { search: 'Travel' } });
    expect(result.isError).toBeFalsy();
  } finally {
    await client.close();
  }
  await section.getByRole('button', { name: 'Refresh' }).click();
  const row = section.getByRole('row', { name: /list_datasets/ });
  await expect(row).toContainText('answered');
  await expect(row).toContainText('datasets containing “Travel”');

  // A question from the command line, over the same data: it shows in the app, via CLI.
  await run(process.execPath, [CLI_ENTRY, '--data-dir', preview.dataDir, '--keychain-service', preview.keychainService, 'ask', 'What is the hotel limit per night in Europe?', '--dataset', 'Travel & Expenses']);
  await page.screenshot({ path: 'test-results/local-assistants.png', fullPage: true });
  await openAsk(page, preview);
  const item = page.getByRole('navigation', { name: 'Conversations' }).getByRole('button', { name: /What is the hotel limit/ });
  await expect(item).toContainText('via CLI');
});
