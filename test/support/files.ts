/** Everything under a folder, for the checks that no file (or, with `folders`, no folder name) holds a key. */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export function filesIn(root: string, o: { folders?: boolean } = {}): string[] {
  const out: string[] = [];
  for (const name of readdirSync(root)) {
    const full = path.join(root, name);
    if (statSync(full).isDirectory()) out.push(...(o.folders ? [full] : []), ...filesIn(full, o));
    else out.push(full);
  }
  return out;
}
