import { SpecError } from '@nhs-fhir/specs';
import { CanonicalIndex } from './canonical-index.js';
import type { LoadedPackage, PackageStore } from './package-store.js';

export interface OmittedDependency {
  /** The package that declared it. */
  by: string;
  id: string;
  declared: string;
  reason: string;
}

export interface PackageGraph {
  root: LoadedPackage;
  /** The root, then its dependencies breadth-first, each once. */
  closure: LoadedPackage[];
  index: CanonicalIndex;
  omitted: OmittedDependency[];
}

/** The major.minor of a FHIR version: packages of one closure must agree on it (4.0 for R4, 3.0 for STU3). */
export const fhirRelease = (fhirVersion: string): string => fhirVersion.split('.').slice(0, 2).join('.');

/** The release a FHIR version belongs to, as the validator tables and the snapshot builder name it. */
export const releaseName = (fhirVersion: string): 'R4' | 'STU3' => (fhirRelease(fhirVersion) === '3.0' ? 'STU3' : 'R4');

/** Loads a package and its dependency closure, as the manifest serves it, and indexes it by canonical URL. */
export async function loadPackageGraph(store: PackageStore, key: string): Promise<PackageGraph> {
  const root = await store.load(key);
  const closure: LoadedPackage[] = [root];
  const omitted: OmittedDependency[] = [];
  for (let next = 0; next < closure.length; next++) {
    const pkg = closure[next]!;
    for (const dependency of pkg.dependencies) {
      if ('omit' in dependency) {
        omitted.push({ by: pkg.key, id: dependency.id, declared: dependency.declared, reason: dependency.omit });
        continue;
      }
      if (closure.some((loaded) => loaded.key === dependency.use)) continue;
      const loaded = await store.load(dependency.use);
      if (fhirRelease(loaded.fhirVersion) !== fhirRelease(root.fhirVersion)) {
        throw new SpecError(
          'FHIR_VERSION_MISMATCH',
          { input: pkg.key, file: 'package/package.json', jsonPath: `$.dependencies["${dependency.id}"]` },
          `depends on ${loaded.key} (FHIR ${loaded.fhirVersion}), but ${root.key} is FHIR ${root.fhirVersion}`,
        );
      }
      closure.push(loaded);
    }
  }
  return { root, closure, index: new CanonicalIndex(closure), omitted };
}
