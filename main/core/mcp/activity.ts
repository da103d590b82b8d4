/**
 * What local assistants did: one line per MCP tool call in `assistants/activity.jsonl`
 * in the data dir, appended by the MCP server's process and read by the app's
 * (Settings → Local assistants → Recent activity). Appending keeps concurrent servers
 * (one per assistant) from losing each other's lines; the file is trimmed to the last
 * KEEP lines once it grows past MAX_BYTES.
 *
 * A line is redacted through the log's redaction (every key the core knows, and
 * anything shaped like a secret) and shortened before it is written.
 */
import { appendFile, mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { AssistantCall } from '../../../preload/contract';
import type { Log } from '../platform/log';

const KEEP = 200;
const MAX_BYTES = 256 * 1024;
const SUMMARY_CHARS = 240;

export interface ActivityLog {
  readonly file: string;
  record(call: AssistantCall): Promise<void>;
  /** Newest first. */
  recent(limit?: number): Promise<AssistantCall[]>;
}

const shorten = (text: string, max: number) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

export function createActivityLog(deps: { dataDir: string; log: Pick<Log, 'redact' | 'warn'> }): ActivityLog {
  const dir = path.join(deps.dataDir, 'assistants');
  const file = path.join(dir, 'activity.jsonl');

  const readLines = async (): Promise<string[]> => {
    try {
      return (await readFile(file, 'utf8')).split('\n').filter((line) => line.trim() !== '');
    } catch {
      return [];
    }
  };

  return {
    file,
    async record(call) {
      const clean = AssistantCall.parse({
        ...call,
        tool: shorten(deps.log.redact(call.tool), 128),
        connection: call.connection === null ? null : shorten(deps.log.redact(call.connection), 200),
        summary: shorten(deps.log.redact(call.summary), SUMMARY_CHARS),
      });
      try {
        await mkdir(dir, { recursive: true, mode: 0o700 });
        await appendFile(file, `${JSON.stringify(clean)}\n`, { mode: 0o600 });
        if ((await stat(file)).size > MAX_BYTES) {
          await writeFileAtomic(file, `${(await readLines()).slice(-KEEP).join('\n')}\n`, { mode: 0o600 });
        }
      } catch (err) {
        deps.log.warn('an assistant call could not be recorded', (err as NodeJS.ErrnoException)?.code ?? String(err));
      }
    },
    async recent(limit = 50) {
      const calls: AssistantCall[] = [];
      const lines = await readLines();
      for (let i = lines.length - 1; i >= 0 && calls.length < limit; i--) {
        try {
          const parsed = AssistantCall.safeParse(JSON.parse(lines[i]));
          if (parsed.success) calls.push(parsed.data);
        } catch {
          // a line cut short by a crash: skip it
        }
      }
      return calls;
    },
  };
}
