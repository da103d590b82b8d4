/**
 * The main process's log: a size-capped file that rotates, behind a redaction layer.
 * Every API key the core handles is registered here as a secret before it is used, and
 * anything shaped like a secret header or a long token is masked too, so no line ever
 * holds a key — whatever a caller passes in.
 *
 * What redaction removes, in order:
 *   1. every registered secret, its URL-, JSON- and inspect-escaped forms, and every
 *      8-character piece of each (a key cut in half by a wrap or a substring);
 *   2. the value after a secret name (apiKey, Authorization, X-GAIA-SECURITY-CTX,
 *      securityContext, Cookie, password, token, …) in every shape a line can hold it:
 *      `name: value`, `name=value`, JSON `"name":"value"`, util.inspect of objects,
 *      Headers, Maps (`'name' => 'value'`) and raw header arrays (`'name', 'value'`),
 *      with the auth scheme (`Bearer …`) included;
 *   3. user names and passwords inside URLs (`scheme://user:pass@host`);
 *   4. bearer/basic credentials, JWTs and long token-like strings (hex digests and
 *      UUIDs stay readable: they are ids, and keys are registered).
 * Lines are then made single-line (no forged entries), capped in length, and written to
 * `main.log`, which rotates to `main.log.1` … before a write would take it past maxBytes.
 */
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
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

const REDACTED = '[redacted]';
const PIECE = 8;

/** Names whose value is a secret, wherever they appear (headers, JSON, query strings, objects). */
const SECRET_NAMES = [
  'api[-_]?key',
  'x-api-key',
  'x-gaia-security-ctx',
  'security[-_]?context',
  'security[-_]?ctx',
  'proxy-authorization',
  'authorization',
  'set-cookie',
  'cookie',
  'passwd',
  'password',
  'client[-_]?secret',
  'secret',
  '(?:access|refresh|id)[-_]?token',
  'x-gaia-token',
  'token',
].join('|');
const QUOTED = String.raw`"(?:[^"\\\r\n]|\\.)*"|'(?:[^'\\\r\n]|\\.)*'`;
const AUTH_SCHEME = String.raw`(?:bearer|basic|digest|negotiate|token|apikey)\s+`;
/** `name: value`, `name=value`, `"name":"value"`, `'name' => 'value'` (Map, URLSearchParams). */
const SECRET_PAIR = new RegExp(
  String.raw`(["'\x60]?)\b(${SECRET_NAMES})\b\1(\s*(?:=>|[:=])\s*)(?!\[redacted\])(${QUOTED}|(?:${AUTH_SCHEME})?[^\s"'\x60,;&}\])]+)`,
  'gi',
);
/** Raw header arrays: `[ 'apiKey', 'value', … ]` (Node's rawHeaders, undici's array form). */
const SECRET_ARRAY_PAIR = new RegExp(String.raw`(["'])(${SECRET_NAMES})\1(\s*,\s*)(${QUOTED})`, 'gi');
/** A Cookie header's value runs to the end of the line: `a=1; session=…`. */
const COOKIE_LINE = /\b((?:set-)?cookie)(\s*:\s*)(?!["'])([^\r\n"'}]+)/gi;
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>]+@/gi;
const BEARER = /\b(bearer|basic|digest|negotiate)\s+[A-Za-z0-9._~+/=-]{8,}/gi;
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
/** Long unbroken tokens look like keys; hex digests and UUIDs are kept readable. */
const TOKENISH = /\b(?![0-9a-f]{64}\b)(?![0-9a-f-]{36}\b)[A-Za-z0-9_-]{32,}\b/g;
/** Standard base64 (with + or = padding) of 32 characters or more; file paths have neither. */
const BASE64ISH = /(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{32,}={0,2}(?![A-Za-z0-9+/=])/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

export interface LogOptions {
  dir: string | null;
  /** Each file stays at or under this size; a longer line is cut to fit. */
  maxBytes?: number;
  /** How many files to keep: main.log, main.log.1, … main.log.<files-1>. */
  files?: number;
  echo?: boolean;
}

/** The forms a secret takes in a line: as is, URL-encoded, JSON-escaped, util.inspect-escaped. */
function variantsOf(secret: string): string[] {
  const forms = new Set([secret, secret.trim()]);
  try {
    forms.add(encodeURIComponent(secret));
  } catch {
    // a lone surrogate cannot be URL-encoded, and so cannot appear URL-encoded either
  }
  forms.add(JSON.stringify(secret).slice(1, -1));
  forms.add(inspect(secret).slice(1, -1));
  return [...forms].filter((form) => form.length >= 4);
}

export function createLog({ dir, maxBytes = 1024 * 1024, files = 3, echo = false }: LogOptions): Log {
  /** Longest first, so a whole key is replaced before its pieces. */
  let needles: string[] = [];
  const secrets = new Set<string>();
  const file = dir ? path.join(dir, 'main.log') : null;
  const keep = Math.max(1, Math.floor(files));
  const cap = Math.max(256, Math.floor(maxBytes));
  // A line never takes more than a quarter of a file, so a file holds a useful history.
  const maxLineChars = Math.max(128, Math.min(64 * 1024, Math.floor(cap / 4)));
  if (dir) mkdirSync(dir, { recursive: true, mode: 0o700 });

  const rebuild = () => {
    const all = new Set<string>();
    for (const secret of secrets) {
      for (const form of variantsOf(secret)) {
        all.add(form);
        // Pieces too: a key cut in half by a line wrap or a substring must not survive.
        for (let i = 0; i + PIECE <= form.length; i++) all.add(form.slice(i, i + PIECE));
      }
    }
    needles = [...all].sort((a, b) => b.length - a.length);
  };

  const redact = (input: string): string => {
    let out = String(input);
    for (const needle of needles) if (out.includes(needle)) out = out.split(needle).join(REDACTED);
    return out
      .replace(COOKIE_LINE, (_m, name: string, sep: string) => `${name}${sep}${REDACTED}`)
      .replace(SECRET_ARRAY_PAIR, (_m, q: string, name: string, sep: string, value: string) => `${q}${name}${q}${sep}${value[0]}${REDACTED}${value[0]}`)
      .replace(SECRET_PAIR, (_m, q: string, name: string, sep: string, value: string) => {
        const quote = value[0] === '"' || value[0] === "'" ? value[0] : '';
        return `${q}${name}${q}${sep}${quote}${REDACTED}${quote}`;
      })
      .replace(URL_USERINFO, (_m, scheme: string) => `${scheme}${REDACTED}@`)
      .replace(BEARER, (_m, scheme: string) => `${scheme} ${REDACTED}`)
      .replace(JWT, REDACTED)
      .replace(TOKENISH, REDACTED)
      .replace(BASE64ISH, (m) => (/[+]|=$/.test(m) ? REDACTED : m));
  };

  /** One line, whatever the input held: no forged entries, no terminal escapes. */
  const oneLine = (text: string): string => {
    const flat = text
      .replace(/\r\n|[\r\n\u2028\u2029]/g, ' ⏎ ')
      .replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
    if (flat.length <= maxLineChars) return flat;
    const note = ` … [${flat.length - maxLineChars} characters cut]`;
    return flat.slice(0, maxLineChars - note.length) + note;
  };

  const describe = (detail: unknown): string => {
    if (detail === undefined) return '';
    try {
      return ` ${typeof detail === 'string' ? detail : inspect(detail, { depth: 4, breakLength: Infinity, maxStringLength: 16 * 1024 })}`;
    } catch {
      return ' [detail could not be shown]';
    }
  };

  // The file stays open between lines (a line is one stat and one write, not five calls),
  // and is opened again whenever main.log is no longer the file held: rotated here, or by
  // another process on the same folder (the command line, the MCP server).
  let fd: number | null = null;
  let heldIno = -1;
  const release = () => {
    try {
      if (fd !== null) closeSync(fd);
    } catch {
      // already gone
    }
    fd = null;
  };
  const rotate = () => {
    release();
    if (keep === 1) return unlinkSync(file!);
    for (let i = keep - 1; i >= 1; i--) {
      const from = i === 1 ? file! : `${file}.${i - 1}`;
      if (existsSync(from)) renameSync(from, `${file}.${i}`);
    }
  };
  const append = (text: string) => {
    const incoming = Buffer.byteLength(text);
    const now = statSync(file!, { throwIfNoEntry: false });
    if (now && now.size > 0 && now.size + incoming > cap) rotate();
    else if (fd !== null && (!now || now.ino !== heldIno)) release();
    if (fd === null) {
      fd = openSync(file!, 'a', 0o600);
      heldIno = fstatSync(fd).ino;
    }
    writeSync(fd, text);
  };

  const write = (level: string, message: string, detail?: unknown) => {
    let line: string;
    try {
      // Redact before cutting, so a cut can never leave a piece of a secret behind.
      line = oneLine(redact(`${new Date().toISOString()} ${level} ${String(message)}${describe(detail)}`));
    } catch {
      line = `${new Date().toISOString()} ${level} [a log line could not be formatted]`;
    }
    if (echo) process.stderr.write(`${line}\n`);
    if (!file) return;
    try {
      append(`${line}\n`);
    } catch {
      // A log that cannot be written must never take the app down (the next line opens it afresh).
      release();
    }
  };

  const readLines = (name: string): string[] => {
    try {
      const text = readFileSync(name, 'utf8').trimEnd();
      return text ? text.split('\n') : [];
    } catch {
      return [];
    }
  };

  return {
    file,
    info: (m, d) => write('INFO', m, d),
    warn: (m, d) => write('WARN', m, d),
    error: (m, d) => write('ERROR', m, d),
    addSecret: (secret) => {
      if (typeof secret !== 'string' || secret.trim().length < 4 || secrets.has(secret)) return;
      secrets.add(secret);
      rebuild();
    },
    redact,
    recent: (maxLines = 200) => {
      if (!file) return [];
      // Just after a rotation main.log is short: the previous file fills the rest.
      let lines = readLines(file);
      for (let i = 1; i < keep && lines.length < maxLines; i++) lines = [...readLines(`${file}.${i}`), ...lines];
      return lines.slice(-maxLines).map(redact);
    },
  };
}
