/**
 * The main process's log: a size-capped file that rotates, behind a redaction layer.
 * Every API key the core handles is registered here as a secret before it is used, and
 * anything shaped like a secret header or a long token is masked too, so no line ever
 * holds a key — whatever a caller passes in.
 */
import { appendFileSync, mkdirSync, renameSync, statSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';

export interface Log {
  info(message: string, detail?: unknown): void;
  warn(message: string, detail?: unknown): void;
  error(message: string, detail?: unknown): void;
  /** Never write this string, or any 8-character piece of it. */
  addSecret(secret: string): void;
  redact(text: string): string;
  /** The most recent lines, already redacted, for "copy diagnostics". */
  recent(maxLines?: number): string[];
  readonly file: string | null;
}

const SECRET_HEADER = /\b(apikey|api[-_]key|x-gaia-security-ctx|authorization|proxy-authorization|cookie|set-cookie)(["']?\s*[:=]\s*["']?)([^\s"',;}]+)/gi;
const BEARER = /\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi;
/** Long unbroken tokens look like keys; hex digests and UUIDs are kept readable. */
const TOKENISH = /\b(?![0-9a-f]{64}\b)(?![0-9a-f-]{36}\b)[A-Za-z0-9_-]{32,}\b/g;
const PIECE = 8;

export interface LogOptions {
  dir: string | null;
  maxBytes?: number;
  files?: number;
  echo?: boolean;
}

export function createLog({ dir, maxBytes = 1024 * 1024, files = 3, echo = false }: LogOptions): Log {
  const secrets = new Set<string>();
  const file = dir ? path.join(dir, 'main.log') : null;
  if (dir) mkdirSync(dir, { recursive: true, mode: 0o700 });

  const redact = (input: string): string => {
    let out = input;
    for (const secret of secrets) {
      out = out.split(secret).join('[redacted]');
      // Pieces too: a key cut in half by a line wrap or a substring must not survive.
      for (let i = 0; i + PIECE <= secret.length; i++) out = out.split(secret.slice(i, i + PIECE)).join('[redacted]');
    }
    return out
      .replace(SECRET_HEADER, (_m, name: string, sep: string) => `${name}${sep}[redacted]`)
      .replace(BEARER, (_m, scheme: string) => `${scheme} [redacted]`)
      .replace(TOKENISH, '[redacted]');
  };

  const rotate = () => {
    if (!file || !existsSync(file) || statSync(file).size < maxBytes) return;
    for (let i = files - 1; i >= 1; i--) {
      const from = i === 1 ? file : `${file}.${i - 1}`;
      if (existsSync(from)) renameSync(from, `${file}.${i}`);
    }
  };

  const write = (level: string, message: string, detail?: unknown) => {
    const extra = detail === undefined ? '' : ` ${typeof detail === 'string' ? detail : inspect(detail, { depth: 4, breakLength: Infinity })}`;
    const line = redact(`${new Date().toISOString()} ${level} ${message}${extra}`).replace(/\r?\n/g, ' ⏎ ');
    if (echo) process.stderr.write(`${line}\n`);
    if (!file) return;
    try {
      rotate();
      appendFileSync(file, `${line}\n`, { mode: 0o600 });
    } catch {
      // A log that cannot be written must never take the app down.
    }
  };

  return {
    file,
    info: (m, d) => write('INFO', m, d),
    warn: (m, d) => write('WARN', m, d),
    error: (m, d) => write('ERROR', m, d),
    addSecret: (secret) => {
      if (secret.length >= 4) secrets.add(secret);
    },
    redact,
    recent: (maxLines = 200) => {
      if (!file || !existsSync(file)) return [];
      return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-maxLines).map(redact);
    },
  };
}
