import { SpecError } from './errors.js';
import { fhirPackageKey, type FhirPackageInput, type SpecManifest } from './manifest.js';

export type ResolvedDependency =
  | { id: string; declared: string; use: string; reason?: string }
  | { id: string; declared: string; omit: string };

/**
 * Decides how each dependency a package declares is served: by the package pinned at that exact
 * version, or as the manifest decides for it (another pinned version, or left out with a reason).
 * A declared dependency with neither is an error: the manifest must say what happens to it.
 */
export function resolveDeclaredDependencies(
  manifest: SpecManifest,
  input: FhirPackageInput,
  declared: Record<string, string>,
): ResolvedDependency[] {
  const pinned = new Set(manifest.fhirPackages.map(fhirPackageKey));
  return Object.entries(declared).map(([id, version]): ResolvedDependency => {
    const decision = input.dependencies?.[id];
    if (decision !== undefined) {
      return 'omit' in decision
        ? { id, declared: version, omit: decision.omit }
        : {
            id,
            declared: version,
            use: decision.use,
            ...(decision.reason !== undefined ? { reason: decision.reason } : {}),
          };
    }
    const exact = `${id}#${version}`;
    if (pinned.has(exact)) return { id, declared: version, use: exact };
    throw new SpecError(
      'DEPENDENCY_MISSING',
      { input: fhirPackageKey(input), file: 'package/package.json', jsonPath: `$.dependencies["${id}"]` },
      `declares ${exact}, which specs.json neither pins nor decides for ` +
        `(add it, or a "use"/"omit" decision under this package's "dependencies")`,
    );
  });
}
