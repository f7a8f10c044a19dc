#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { diffLocks, readLock, type LockEntry } from './lock.js';
import { SpecError } from './errors.js';
import { exists } from './atomic-fs.js';
import { defaultSpecPaths, fhirPackageCacheDir, openApiCacheDir } from './paths.js';
import { syncSpecs, type SyncResult } from './sync.js';

/** Two versions of one input, both in the package cache (or staged beside it), for `update` to report on. */
export interface InputVersionChange {
  /** The lock key of the new version. */
  input: string;
  kind: LockEntry['kind'];
  /** The cache entry of the old version (`<cache>/<id>#<version>`, or its `openapi/` counterpart). */
  previousDir: string;
  /** The cache entry (or staging folder) of the new version. */
  nextDir: string;
  /** The package cache, where dependencies are found. */
  cache: string;
}

export interface SpecsCliHooks {
  /**
   * The text of what changed between two versions of an input, printed by `update` for each input it
   * re-pinned (other bytes for the same version, or a version changed in specs.json).
   */
  reportChanges?: (change: InputVersionChange) => Promise<string>;
}

const USAGE = `usage: nhs-fhir-specs <command>

  sync [--frozen]        serve every input from the mirror or upstream into the package cache,
                         checked against specs/specs.lock.json (--frozen: never add to the lock)
  update [input...]      fetch again and re-pin the named inputs (all when none is named)
  diff <old> <new>       what changed between two lock files

environment: SPECS_MIRROR (default ../shared/specs), FHIR_PACKAGE_CACHE (default .fhir-packages)`;

export async function runSpecsCli(argv: string[], hooks: SpecsCliHooks = {}): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { frozen: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  const [command, ...rest] = positionals;
  if (values.help || command === undefined) {
    console.log(USAGE);
    return command === undefined && !values.help ? 2 : 0;
  }
  if (command === 'diff') {
    const [before, after] = rest;
    if (before === undefined || after === undefined)
      throw new Error('diff needs two lock files: nhs-fhir-specs diff <old> <new>');
    const changes = diffLocks(await readLock(before), await readLock(after));
    for (const change of changes) {
      const detail =
        change.change === 'changed'
          ? `${change.before?.source} ${change.before?.hash} -> ${change.after?.source} ${change.after?.hash}`
          : (change.after ?? change.before)?.hash;
      console.log(`${change.change.padEnd(8)} ${change.input}  ${detail}`);
    }
    if (changes.length === 0) console.log('no changes');
    return 0;
  }
  if (command !== 'sync' && command !== 'update') throw new Error(`unknown command '${command}'\n${USAGE}`);
  const paths = defaultSpecPaths();
  const mode = command === 'update' ? 'update' : values.frozen ? 'frozen' : 'sync';
  const { reportChanges } = hooks;
  if (mode !== 'update' || reportChanges === undefined) {
    printSync(await syncSpecs({ paths, mode, only: rest }), paths.mirror);
    return 0;
  }
  const reports: string[] = [];
  const report = async (change: InputVersionChange): Promise<void> => {
    try {
      reports.push(await reportChanges(change));
    } catch (error) {
      reports.push(
        `${change.input}: changes not reported: ${error instanceof Error ? error.message : String(error)}\n`,
      );
    }
  };
  const lockBefore = await readLock(paths.lock);
  const result = await syncSpecs({
    paths,
    mode,
    only: rest,
    beforeReplace: (replacement) => report({ ...replacement, cache: paths.cache }),
  });
  // A version changed in specs.json: the old version's cache entry is still there to compare with.
  for (const input of result.inputs) {
    if (input.status !== 'pinned') continue;
    const hash = input.input.lastIndexOf('#');
    const stem = input.input.slice(0, hash + 1);
    const previousKey = Object.keys(lockBefore.inputs).find((key) => key.startsWith(stem) && key !== input.input);
    if (previousKey === undefined) continue;
    const previousVersion = previousKey.slice(stem.length);
    const previousDir =
      input.kind === 'openapi'
        ? openApiCacheDir(paths.cache, stem.slice('openapi:'.length, -1), previousVersion)
        : fhirPackageCacheDir(paths.cache, stem.slice(0, -1), previousVersion);
    if (await exists(previousDir))
      await report({ input: input.input, kind: input.kind, previousDir, nextDir: input.dir, cache: paths.cache });
  }
  printSync(result, paths.mirror);
  for (const text of reports) console.log(`\n${text.trimEnd()}`);
  return 0;
}

export function printSync(result: SyncResult, mirror: string | undefined): void {
  console.log(`spec sync: ${result.inputs.length} inputs (mirror: ${mirror ?? 'none, upstream only'})`);
  for (const input of result.inputs) {
    console.log(
      `  ${input.status.padEnd(9)} ${input.input.padEnd(58)} ${String(input.files).padStart(5)} files  ${input.source}`,
    );
  }
  if (result.lockChanged) console.log('  specs/specs.lock.json updated');
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('/nhs-fhir-specs')) {
  runSpecsCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(
        `error: ${error instanceof SpecError ? error.message : error instanceof Error ? error.message : String(error)}`,
      );
      process.exit(1);
    },
  );
}
