import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A scratch folder next to `target`, on the same file system so that `rename` is atomic. */
export async function makeStagingDir(root: string): Promise<string> {
  const dir = join(root, `.staging-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

/** Puts `staged` in place of `target` in one rename; a previous `target` is moved aside first, then removed. */
export async function swapDirIntoPlace(staged: string, target: string): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const previous = `${target}.previous-${randomBytes(4).toString('hex')}`;
  const hadPrevious = await exists(target);
  if (hadPrevious) await rename(target, previous);
  try {
    await rename(staged, target);
  } catch (error) {
    if (hadPrevious) await rename(previous, target);
    throw error;
  }
  if (hadPrevious) await rm(previous, { recursive: true, force: true });
}

/** Writes a file through a temporary sibling and a rename, so readers never see half of it. */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  await writeFile(temp, content);
  await rename(temp, path);
}

export async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * Runs `work` while holding an exclusive lock file, so generators started in parallel by Nx do
 * not fill the same cache entry twice. A lock whose process has died is taken over at once; one
 * older than `staleMs` is taken over in any case.
 */
export async function withDirLock<T>(dir: string, work: () => Promise<T>, staleMs = 10 * 60_000): Promise<T> {
  await mkdir(dir, { recursive: true });
  const lockPath = join(dir, '.sync.lock');
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (await isAbandoned(lockPath, staleMs)) await rm(lockPath, { force: true });
      else await sleep(100);
    }
  }
  try {
    return await work();
  } finally {
    await rm(lockPath, { force: true });
  }
}

async function isAbandoned(lockPath: string, staleMs: number): Promise<boolean> {
  const [holder, info] = await Promise.all([
    readFile(lockPath, 'utf8').catch(() => ''),
    stat(lockPath).catch(() => undefined),
  ]);
  if (info === undefined) return false;
  if (Date.now() - info.mtimeMs > staleMs) return true;
  const pid = Number(holder);
  if (!Number.isInteger(pid) || pid <= 0) return Date.now() - info.mtimeMs > 5_000;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
