/**
 * One event on the preview's stream, as bytes. Usually a line of JSON,
 * `{"channel","payload"}` and a newline. A long string in the payload (a delta's text, a
 * finished turn's answer: up to megabytes) goes after that line instead, as its own
 * UTF-8 bytes: the line says where it belongs and how many bytes it is
 * (`"raw":[[path, bytes], …]`, with "" in its place in the payload), then come those
 * bytes, one string after another, and a newline. Escaping it into JSON here and
 * unescaping it with JSON.parse on the page were, after moving the bytes, most of what
 * an answer's text cost between the core and the page. renderer/preview-transport.ts
 * reads both forms.
 *
 * Only well-formed text goes raw: a lone surrogate has no UTF-8 bytes (it would arrive
 * as U+FFFD), and JSON carries it exactly.
 */

/** Shorter strings stay in the JSON: a separate piece is not worth it. */
export const RAW_MIN_CHARS = 4096;

type Path = [string] | [string, string];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
// String.prototype.isWellFormed is ES2024 (Node 20, Chromium 111); the libs here are ES2023.
const wellFormed = (s: string) => (s as unknown as { isWellFormed(): boolean }).isWellFormed();
const goesRaw = (v: unknown): v is string => typeof v === 'string' && v.length >= RAW_MIN_CHARS && wellFormed(v);

/** The payload's long strings, at its top level and one object down (where the contract's events keep theirs). */
function longStrings(payload: unknown): Array<{ path: Path; text: string }> {
  const found: Array<{ path: Path; text: string }> = [];
  if (!isRecord(payload)) return found;
  for (const [key, value] of Object.entries(payload)) {
    if (goesRaw(value)) found.push({ path: [key], text: value });
    else if (isRecord(value)) for (const [inner, v] of Object.entries(value)) if (goesRaw(v)) found.push({ path: [key, inner], text: v });
  }
  return found;
}

/** The payload with "" where each long string was: copies along the paths only, the rest shared. */
function withoutStrings(payload: Record<string, unknown>, paths: Path[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...payload };
  for (const path of paths) {
    if (path.length === 1) out[path[0]] = '';
    else {
      const [key, inner] = path;
      // Copied once per object even when two of its strings go raw.
      if (out[key] === payload[key]) out[key] = { ...(payload[key] as Record<string, unknown>) };
      (out[key] as Record<string, unknown>)[inner] = '';
    }
  }
  return out;
}

/**
 * The event's bytes, newline-terminated, in one buffer: written once for every stream
 * (a string written to a chunked response is measured, then encoded — two passes — and
 * appending the newline to the JSON would copy it once more).
 */
export function encodeEvent(channel: string, payload: unknown): Buffer {
  const raws = longStrings(payload);
  if (!raws.length) return withNewline(JSON.stringify({ channel, payload }));
  const sizes = raws.map((r) => Buffer.byteLength(r.text, 'utf8'));
  const head = JSON.stringify({
    channel,
    payload: withoutStrings(payload as Record<string, unknown>, raws.map((r) => r.path)),
    raw: raws.map((r, i) => [r.path, sizes[i]]),
  });
  const headBytes = Buffer.byteLength(head, 'utf8');
  const out = Buffer.allocUnsafe(headBytes + 1 + sizes.reduce((a, b) => a + b, 0) + 1);
  let at = out.write(head, 0, 'utf8');
  out[at++] = 0x0a;
  raws.forEach((r, i) => (at += out.write(r.text, at, sizes[i], 'utf8')));
  out[at] = 0x0a;
  return out;
}

function withNewline(json: string): Buffer {
  const size = Buffer.byteLength(json, 'utf8');
  const line = Buffer.allocUnsafe(size + 1);
  line.write(json, 0, 'utf8');
  line[size] = 0x0a;
  return line;
}
