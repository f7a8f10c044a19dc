import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseOptions, requireString, UsageError } from './args.js';

export const SPECS_CHANGES_HELP = `Usage: nhs-fhir specs changes --old <dir> --new <dir> [--json]

Lists what changed between two versions of the specs that matters to users of the generated
TypeScript, per profile and element (cardinality, types and target profiles, bindings, fixed and
pattern values, slices, must-support, invariants) and, for CapabilityStatements and OpenAPI
descriptions, per operation (operations, parameters, headers). Each change is marked BREAKING or
ok, and the report ends with the semver bump it suggests.

  --old <dir>    the old version: a FHIR package folder (holding package/package.json), a package
                 cache (<id>#<version>/package/...), or an OpenAPI description folder
  --new <dir>    the new version, of the same form
  --json         print the report as JSON

Dependencies (such as hl7.fhir.r4.core) are found in FHIR_PACKAGE_CACHE, the workspace's
.fhir-packages and ~/.fhir/packages.
`;

/** `nhs-fhir specs changes`, parsed: the spec-change report between two folders. */
export interface SpecsChangesCommand {
  /** Always `specs changes`. */
  readonly name: 'specs changes';
  /** `--old`: the folder of the earlier version (a FHIR package, a package cache or an OpenAPI description). */
  readonly old: string;
  /** `--new`: the folder of the later version, of the same kind. */
  readonly new: string;
  /** `--json`: print the report as JSON instead of text. */
  readonly json: boolean;
}

export type SpecsChangesParse = SpecsChangesCommand | { readonly name: 'help'; readonly text: string };

/** `nhs-fhir specs changes ...`, checked without touching the file system. Throws only UsageError. */
export function parseSpecsChanges(args: readonly string[]): SpecsChangesParse {
  const values = parseOptions(args, { old: { type: 'string' }, new: { type: 'string' }, json: { type: 'boolean' } });
  if (values.help) return { name: 'help', text: SPECS_CHANGES_HELP };
  const old = requireString(values, 'old');
  const next = requireString(values, 'new');
  for (const [flag, path] of [
    ['--old', old],
    ['--new', next],
  ] as const)
    if (path.includes('\0')) throw new UsageError(`${flag}: a path cannot contain a NUL character`);
  return { name: 'specs changes', old, new: next, json: values.json === true };
}

/** Package caches for dependencies: FHIR_PACKAGE_CACHE, the nearest .fhir-packages above cwd, ~/.fhir/packages. */
export function dependencyCaches(env: Record<string, string | undefined>, cwd = process.cwd()): string[] {
  const caches: string[] = [];
  if (env['FHIR_PACKAGE_CACHE']) caches.push(resolve(env['FHIR_PACKAGE_CACHE']));
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.fhir-packages'))) {
      caches.push(join(dir, '.fhir-packages'));
      break;
    }
    if (dirname(dir) === dir) break;
  }
  caches.push(join(homedir(), '.fhir', 'packages'));
  return caches;
}

/**
 * The generator compares the specs. It is loaded here (the snapshot stage is large, and no other command needs it),
 * and it is a workspace tool, not a published package: installed from npm, this command says where it runs instead.
 */
async function loadGenerator(): Promise<typeof import('@nhs-fhir/fhir-codegen')> {
  try {
    return await import('@nhs-fhir/fhir-codegen');
  } catch (error) {
    const missing = (error as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND';
    if (!missing || !String((error as Error).message).includes('@nhs-fhir/fhir-codegen')) throw error;
    throw new UsageError(
      'nhs-fhir specs changes: the generator (@nhs-fhir/fhir-codegen) is not installed; it is part of the ' +
        'nhs-fhir workspace, not published, so run this command from a checkout of the repository',
    );
  }
}

export async function runSpecsChanges(
  command: SpecsChangesCommand,
  io: { stdout: { write(text: string): unknown } },
  env: Record<string, string | undefined>,
): Promise<number> {
  const { compareSpecs, formatChangeReport, SpecChangesError } = await loadGenerator();
  try {
    const report = await compareSpecs({ old: command.old, new: command.new, dependencyCaches: dependencyCaches(env) });
    io.stdout.write(command.json ? `${JSON.stringify(report, null, 2)}\n` : formatChangeReport(report));
    return 0;
  } catch (error) {
    if (error instanceof SpecChangesError) throw new UsageError(error.message);
    throw error;
  }
}
