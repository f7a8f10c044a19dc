// Where a generated package's examples come from: the instance examples of pinned FHIR packages (read through the
// spec sync) and documentation examples of the mirror, each named by its source for error messages.
import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { ExampleInput } from '@nhs-fhir/fhir-codegen/testing';
import { defaultSpecPaths, fhirPackageCacheDir, syncSpecs } from '@nhs-fhir/specs';

/** The `example/` folder of a pinned FHIR package, or a folder of the mirror (`examples/...`). */
export type ExampleSource = { package: readonly [id: string, version: string] } | { mirror: string };

export interface ExampleSet {
  readonly sources: readonly ExampleSource[];
  /** Applied to each example after parsing: `name` is its file name, `profileTypeNames` the package's profiles. */
  readonly prepare?: (
    json: Record<string, unknown>,
    name: string,
    profileTypeNames: Readonly<Record<string, string>>,
  ) => Record<string, unknown>;
}

async function jsonFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json') && !entry.name.startsWith('.'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/**
 * The examples of `set`, in a stable order, without those whose source is in `excluded`. A mirror folder is read
 * only when there is a mirror (the documentation examples are in no package).
 */
export async function loadExamples(
  set: ExampleSet,
  excluded: Readonly<Record<string, string>> = {},
  profileTypeNames: Readonly<Record<string, string>> = {},
): Promise<ExampleInput[]> {
  const paths = defaultSpecPaths();
  const packages = set.sources.flatMap((source) => ('package' in source ? [source.package.join('#')] : []));
  // a no-op when the cache matches the lock; fills it when only the Nx cache restored the generated code
  if (packages.length > 0) await syncSpecs({ paths, only: packages });
  const files: [source: string, file: string][] = [];
  for (const source of set.sources) {
    if ('package' in source) {
      const dir = join(fhirPackageCacheDir(paths.cache, ...source.package), 'package', 'example');
      const prefix = `${source.package.join('#')}/package/example`;
      for (const file of await jsonFiles(dir)) files.push([`${prefix}/${relative(dir, file)}`, file]);
    } else if (paths.mirror !== undefined) {
      const dir = join(paths.mirror, source.mirror);
      for (const file of await jsonFiles(dir)) files.push([`${source.mirror}/${relative(dir, file)}`, file]);
    }
  }
  const examples: ExampleInput[] = [];
  for (const [source, file] of files) {
    if (source in excluded) continue;
    const json = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    examples.push({ source, json: set.prepare?.(json, exampleFileName(source), profileTypeNames) ?? json });
  }
  return examples;
}

/** The file name of an example's source: what the validation verdicts are keyed by. */
export function exampleFileName(source: string): string {
  return source.slice(source.lastIndexOf('/') + 1);
}

/**
 * UK Core examples declare no `meta.profile`; their file names say which profile they show
 * (`Patient-UKCore-Patient-RichardSmith-Example.json`: the longest `UKCore-...` prefix that is a
 * profile id; `...-UKCore-Extension-...` examples show an extension on the resource's UK Core profile).
 * The test adds that profile to `meta.profile`, as a sender claiming conformance would.
 */
export function profileOfExample(
  name: string,
  resourceType: string,
  profileTypeNames: Readonly<Record<string, string>>,
  profileBase: string,
): string | undefined {
  const parts = name
    .replace(/-Example\.json$/, '')
    .split('-')
    .slice(1);
  for (let end = parts.length; end >= 2; end--) {
    const url = `${profileBase}${parts.slice(0, end).join('-')}`;
    if (url in profileTypeNames) return url;
  }
  const own = `${profileBase}UKCore-${resourceType}`;
  return own in profileTypeNames ? own : undefined;
}

/** `json` with `profile` first in its `meta.profile`. */
export function withDeclaredProfile(
  json: Record<string, unknown>,
  profile: string | undefined,
): Record<string, unknown> {
  if (profile === undefined) return json;
  const meta = (json['meta'] ?? {}) as { profile?: string[] };
  return { ...json, meta: { ...meta, profile: [profile, ...(meta.profile ?? [])] } };
}
