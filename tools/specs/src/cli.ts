#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { diffLocks, readLock } from './lock.js';
import { SpecError } from './errors.js';
import { defaultSpecPaths } from './paths.js';
import { syncSpecs, type SyncResult } from './sync.js';

const USAGE = `usage: nhs-fhir-specs <command>

  sync [--frozen]        serve every input from the mirror or upstream into the package cache,
                         checked against specs/specs.lock.json (--frozen: never add to the lock)
  update [input...]      fetch again and re-pin the named inputs (all when none is named)
  diff <old> <new>       what changed between two lock files

environment: SPECS_MIRROR (default ../shared/specs), FHIR_PACKAGE_CACHE (default .fhir-packages)`;

export async function runSpecsCli(argv: string[]): Promise<number> {
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
  printSync(await syncSpecs({ paths, mode, only: rest }), paths.mirror);
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
