import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface PackedTarball {
  readonly name: string;
  readonly version: string;
  /** Absolute path of the .tgz file. */
  readonly tarball: string;
  /** Bytes of the .tgz. */
  readonly size: number;
  /** Bytes of the files it holds. */
  readonly unpackedSize: number;
  /** Every file in the tarball, relative to the package root. */
  readonly files: readonly string[];
}

interface NpmPackEntry {
  name: string;
  version: string;
  filename: string;
  size: number;
  unpackedSize: number;
  files: Array<{ path: string }>;
}

/** An environment for npm without the settings an outer `npm run`/`npm test` passes down to its children. */
export function npmEnvironment(): NodeJS.ProcessEnv {
  const kept = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig']);
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_') || kept.has(key)),
  );
}

/** Packs each package folder with `npm pack` (as `npm publish` would) into `destination`, in one npm run. */
export async function packPackages(dirs: readonly string[], destination: string): Promise<PackedTarball[]> {
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)('npm', ['pack', '--json', '--pack-destination', destination, ...dirs], {
      maxBuffer: 256 * 1024 * 1024,
      env: npmEnvironment(),
    }));
  } catch (error) {
    const failed = error as { stderr?: string; message: string };
    throw new Error(`npm pack ${dirs.join(' ')} failed: ${(failed.stderr ?? failed.message).trim()}`);
  }
  const entries = JSON.parse(stdout) as NpmPackEntry[];
  return entries.map((entry) => ({
    name: entry.name,
    version: entry.version,
    tarball: join(destination, entry.filename),
    size: entry.size,
    unpackedSize: entry.unpackedSize,
    files: entry.files.map((file) => file.path).sort(),
  }));
}
