import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { type PackedTarball, packPackages } from '../src/pack.js';
import { publishedPackages } from '../src/published.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Every published package, packed by `npm pack` into a temporary folder that lives as long as the run. */
    tarballs: PackedTarball[];
  }
}

export default async function packOnce(project: TestProject): Promise<() => Promise<void>> {
  const destination = await mkdtemp(join(tmpdir(), 'nhs-fhir-pack-'));
  const tarballs = await packPackages(
    publishedPackages().map((pkg) => pkg.dir),
    destination,
  );
  project.provide('tarballs', tarballs);
  return () => rm(destination, { recursive: true, force: true });
}
