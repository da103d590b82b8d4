/**
 * What "the secure CSP" means for Gaia Desktop, as a checker the tests share: it answers
 * the list of problems with a policy (empty when the policy is secure).
 */

/** Directive → sources; a directive given twice is reported (browsers ignore the second). */
export function parseCsp(policy: string): { directives: Map<string, string[]>; duplicates: string[] } {
  const directives = new Map<string, string[]>();
  const duplicates: string[] = [];
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/).filter(Boolean);
    if (!name) continue;
    const key = name.toLowerCase();
    if (directives.has(key)) duplicates.push(key);
    else directives.set(key, sources);
  }
  return { directives, duplicates };
}

const UNSAFE = ["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "'wasm-unsafe-eval'", "'unsafe-allow-redirects'"];
/**
 * The only sources the app needs: its own origin, nothing, and data: images (inline
 * SVG icons). Anything else — another host, a scheme such as https: or blob:, a
 * wildcard, a nonce or a hash — is a problem until someone shows why it is needed.
 */
const allowedSource = (directive: string, source: string) =>
  source === "'self'" || source === "'none'" || (source === 'data:' && directive === 'img-src');

export interface CspExpectations {
  /** frame-ancestors is ignored in a meta tag, so only headers must carry it. */
  requireFrameAncestors: boolean;
}

export function cspProblems(policy: string, { requireFrameAncestors }: CspExpectations): string[] {
  const problems: string[] = [];
  const { directives, duplicates } = parseCsp(policy);
  for (const d of duplicates) problems.push(`${d} is given twice (the second is ignored)`);
  const get = (name: string) => directives.get(name);
  const exactly = (name: string, allowed: string[][]) => {
    const sources = get(name);
    if (!sources) return problems.push(`${name} is missing`);
    if (!allowed.some((a) => a.length === sources.length && a.every((s) => sources.includes(s))))
      problems.push(`${name} is "${sources.join(' ')}", expected ${allowed.map((a) => `"${a.join(' ')}"`).join(' or ')}`);
  };

  exactly('default-src', [["'self'"], ["'none'"]]);
  // script-src must be there itself (not inherited) and hold nothing but 'self'.
  exactly('script-src', [["'self'"]]);
  for (const name of ['script-src-elem', 'script-src-attr', 'worker-src']) {
    const sources = get(name);
    if (sources && !sources.every((s) => s === "'self'" || s === "'none'")) problems.push(`${name} allows "${sources.join(' ')}"`);
  }
  exactly('object-src', [["'none'"]]);
  exactly('base-uri', [["'none'"], ["'self'"]]);
  exactly('form-action', [["'none'"], ["'self'"]]);
  if (requireFrameAncestors) exactly('frame-ancestors', [["'none'"]]);
  // The page never talks to anything but its own origin: Gaia is reached only from main.
  exactly('connect-src', [["'self'"]]);

  for (const [name, sources] of directives) {
    if (name === 'report-uri' || name === 'report-to') continue;
    for (const source of sources) {
      if (UNSAFE.includes(source.toLowerCase())) problems.push(`${name} allows ${source}`);
      else if (!allowedSource(name, source)) problems.push(`${name} allows ${source} (another origin, a scheme, a wildcard or a nonce/hash)`);
    }
  }
  for (const name of ['report-uri', 'report-to']) if (get(name)) problems.push(`${name} would send reports elsewhere`);
  return problems;
}
