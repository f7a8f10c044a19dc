import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join, posix } from 'node:path';

/** Lists the files under `dir` as sorted POSIX paths relative to `dir`. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => posix.join(relativePosix(dir, entry.parentPath), entry.name))
    .sort();
}

function relativePosix(root: string, path: string): string {
  const rel = path.slice(root.length).replace(/^[\\/]+/, '');
  return rel.split(/[\\/]/).join('/');
}

/**
 * The content hash of a set of files: sha256 over each file's relative path and the sha256 of its
 * bytes, in path order. It ignores timestamps and modes, so the same bytes give the same hash anywhere.
 */
export async function hashFiles(dir: string, files: string[]): Promise<string> {
  const tree = createHash('sha256');
  for (const file of [...files].sort()) {
    const bytes = await readFile(join(dir, file));
    tree.update(`${file}\0${createHash('sha256').update(bytes).digest('hex')}\n`);
  }
  return `sha256-${tree.digest('hex')}`;
}
