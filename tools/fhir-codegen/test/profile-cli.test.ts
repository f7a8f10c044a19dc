import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, test } from 'vitest';
import { defaultSpecPaths } from '@nhs-fhir/specs';
import type { ValidationTables } from '@nhs-fhir/validation';
import { emitValidationTablesModule, printValidationTables } from '../src/emit/tables/print-tables.js';
import { loadPackageGraph } from '../src/load/package-graph.js';
import { loadWorkspaceSpecs } from '../src/load/workspace-specs.js';
import { compileValidationTables } from '../src/model/tables/compile-tables.js';

const CLI = join(import.meta.dirname, '..', 'dist', 'cli.js');
const run = (args: string[]): Promise<{ stdout: string }> =>
  promisify(execFile)(process.execPath, [CLI, ...args], { maxBuffer: 64 * 1024 * 1024 });

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

describe('nhs-fhir-codegen emit-profiles', () => {
  test('without its arguments: usage, exit 2', async () => {
    await expect(
      run(['emit-profiles', 'nhsconnect.stu3.rarecord#0.0.0-develop.4543c05', '--out', 'x']),
    ).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('emit-profiles <id#version>') });
  });

  test('writes the RARecord package with validator tables, the same bytes twice, and says what it wrote', async () => {
    // The second run layers its tables on the base package's tables module instead of compiling the base types.
    const outputs: Map<string, string>[] = [];
    for (const layered of [false, true]) {
      const dir = await tempDir();
      const out = join(dir, 'generated');
      const { stdout } = await run([
        ...RA_ARGS,
        '--out',
        out,
        ...(layered ? ['--base-tables', await stu3BaseTables(dir)] : []),
      ]);
      expect(stdout).toMatch(
        new RegExp(
          '^emit-profiles nhsconnect.stu3.rarecord#0.0.0-develop.4543c05: 12 profiles, 4 supporting extension types, ' +
            '0 without a type -> 22 files in ',
          'm',
        ),
      );
      const names = (await readdir(out)).sort();
      outputs.push(
        new Map(await Promise.all(names.map(async (name) => [name, await readFile(join(out, name), 'utf8')] as const))),
      );
    }
    expect([...outputs[0]!.keys()]).toContain('validation-tables.ts');
    expect([...outputs[1]!]).toEqual([...outputs[0]!]);
  }, 120_000);

  test.each([
    [
      'a missing file',
      async (dir: string) => join(dir, 'no-such-tables.ts'),
      /no-such-tables\.ts: not found: generate/,
    ],
    [
      'a file that is not a tables module',
      async (dir: string) => written(dir, 'not-tables.ts', 'export const x = 1;\n'),
      /not-tables\.ts: no `export const validationTablesJson: string = "\.\.\."` line/,
    ],
    [
      'tables of another FHIR release',
      async (dir: string) =>
        written(dir, 'r4-tables.ts', emitValidationTablesModule('// r4', JSON.stringify(emptyTables('R4')), 'R4')),
      /the base tables are for R4, but nhsconnect\.stu3\.rarecord#0\.0\.0-develop\.4543c05 is FHIR 3\.0\.1/,
    ],
  ])(
    '--base-tables naming %s: exit 1, the file named, nothing written',
    async (_name, tablesFile, message) => {
      const dir = await tempDir();
      const out = join(dir, 'generated');
      const failed = run([...RA_ARGS, '--out', out, '--base-tables', await tablesFile(dir)]);
      await expect(failed).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(message) });
      await expect(readdir(out)).rejects.toMatchObject({ code: 'ENOENT' });
    },
    60_000,
  );
});

const RA_ARGS = [
  'emit-profiles',
  'nhsconnect.stu3.rarecord#0.0.0-develop.4543c05',
  '--base',
  '@nhs-fhir/stu3',
  '--frozen',
  '--validation',
];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'emit-profiles-'));
  dirs.push(dir);
  return dir;
}

async function written(dir: string, name: string, text: string): Promise<string> {
  await writeFile(join(dir, name), text);
  return join(dir, name);
}

const emptyTables = (fhirVersion: 'R4' | 'STU3'): ValidationTables => ({
  fhirVersion,
  structures: {},
  baseTypes: {},
  primitives: {},
  valueSets: {},
  invariants: {},
});

/** The STU3 base types' tables module, as `emit hl7.fhir.r3.core#3.0.1 --validation` writes it for @nhs-fhir/stu3. */
async function stu3BaseTables(dir: string): Promise<string> {
  const specs = await loadWorkspaceSpecs(defaultSpecPaths(), 'frozen');
  const graph = await loadPackageGraph(specs.store, 'hl7.fhir.r3.core#3.0.1');
  const { tables } = compileValidationTables(graph, { scope: 'base' });
  return written(
    dir,
    'validation-tables.ts',
    emitValidationTablesModule('// stu3', printValidationTables(tables), 'STU3'),
  );
}
