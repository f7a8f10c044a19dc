import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The workspace root, from this file (in src/ under test, in dist/ when built). */
export const workspaceRoot = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

export interface PublishedPackage {
  /** `@nhs-fhir/r4` */
  readonly name: string;
  /** Absolute folder of the package. */
  readonly dir: string;
}

/** Every `packages/*` package: all of them are published, and nothing else is. */
export function publishedPackages(root: string = workspaceRoot): PublishedPackage[] {
  const packagesDir = join(root, 'packages');
  return readdirSync(packagesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(packagesDir, entry.name, 'package.json')))
    .map((entry) => {
      const dir = join(packagesDir, entry.name);
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string };
      return { name: manifest.name, dir };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}
