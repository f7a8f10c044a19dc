import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { oursGenerateCommand } from '../src/codegen-bench.js';
import { CONSUMER_TARGETS, writeConsumerProject } from '../src/consumer.js';
import { runNodeTimed } from '../src/run-process.js';
import { checkConsumer, missingTypes, rotated } from '../src/typecheck-bench.js';
import { findWorkspaceRoot } from '../src/workspace.js';

const root = findWorkspaceRoot(import.meta.dirname);
const nodeModules = join(root, 'node_modules');
let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'nhs-fhir-bench-test-'));
});
afterAll(async () => rm(scratch, { recursive: true, force: true }));

describe('runNodeTimed', () => {
  test('reports the CPU time of a busy process, its exit code, and its output without the report', async () => {
    // Busy until it has used 300 ms of CPU itself, however long a loaded machine makes that take.
    const script =
      'const used = () => { const u = process.cpuUsage(); return u.user + u.system; }; ' +
      "while (used() < 300_000); console.log('done'); process.exit(3);";
    const run = await runNodeTimed(['-e', script], { cwd: scratch });
    expect(run.exitCode).toBe(3);
    expect(run.output).toBe('done\n');
    expect(run.cpuMs).toBeGreaterThanOrEqual(300);
    expect(run.cpuMs).toBeLessThan(60_000);
  });
});

describe('rotated', () => {
  test.each<[string, { given: [string[], number]; want: string[] }]>([
    ['round 0 keeps the order', { given: [['a', 'b', 'c'], 0], want: ['a', 'b', 'c'] }],
    ['round 1 starts at the second', { given: [['a', 'b', 'c'], 1], want: ['b', 'c', 'a'] }],
    ['rounds past the length wrap', { given: [['a', 'b', 'c'], 5], want: ['c', 'a', 'b'] }],
    ['nothing to rotate', { given: [[], 3], want: [] }],
  ])('%s', (_, { given, want }) => {
    expect(rotated(...given)).toEqual(want);
  });
});

describe('oursGenerateCommand', () => {
  async function fakeRoot(name: string, r4Manifest: object | undefined, builtCli: boolean): Promise<string> {
    const dir = join(scratch, name);
    await mkdir(join(dir, 'packages', 'r4'), { recursive: true });
    if (r4Manifest !== undefined)
      await writeFile(join(dir, 'packages', 'r4', 'package.json'), JSON.stringify(r4Manifest));
    if (builtCli) {
      await mkdir(join(dir, 'tools', 'fhir-codegen', 'dist'), { recursive: true });
      await writeFile(join(dir, 'tools', 'fhir-codegen', 'dist', 'cli.js'), '');
    }
    return dir;
  }
  const generate = {
    nx: {
      targets: {
        generate: {
          command: 'node tools/fhir-codegen/dist/cli.js emit hl7.fhir.r4.core#4.0.1 --out packages/r4/src/generated',
        },
      },
    },
  };
  const cases: Array<[string, { given: [object | undefined, boolean]; want: object }]> = [
    [
      'the package generate command, --out replaced',
      {
        given: [generate, true],
        want: { args: ['tools/fhir-codegen/dist/cli.js', 'emit', 'hl7.fhir.r4.core#4.0.1', '--out', '/tmp/out'] },
      },
    ],
    [
      'the validator tables flag left out: the bench compares type generation only',
      {
        given: [
          { nx: { targets: { generate: { command: `${generate.nx.targets.generate.command} --validation` } } } },
          true,
        ],
        want: { args: ['tools/fhir-codegen/dist/cli.js', 'emit', 'hl7.fhir.r4.core#4.0.1', '--out', '/tmp/out'] },
      },
    ],
    [
      'the command in options, its args appended (nx:run-commands)',
      {
        given: [
          {
            nx: {
              targets: {
                generate: {
                  options: {
                    command: 'node tools/fhir-codegen/dist/cli.js emit',
                    args: ['hl7.fhir.r4.core#4.0.1', '--out packages/r4/src/generated', '--validation'],
                  },
                },
              },
            },
          },
          true,
        ],
        want: { args: ['tools/fhir-codegen/dist/cli.js', 'emit', 'hl7.fhir.r4.core#4.0.1', '--out', '/tmp/out'] },
      },
    ],
    [
      'generator not built',
      { given: [generate, false], want: { reason: 'not measured yet: tools/fhir-codegen/dist/cli.js not built' } },
    ],
    [
      'no generate target',
      {
        given: [{ name: '@nhs-fhir/r4' }, true],
        want: { reason: 'not measured yet: packages/r4 has no generate command' },
      },
    ],
    ['no package', { given: [undefined, true], want: { reason: 'not measured yet: packages/r4 does not exist' } }],
  ];
  test.each(cases)('%s', async (title, { given, want }) => {
    const dir = await fakeRoot(title.replaceAll(/\W+/g, '-'), ...given);
    expect(await oursGenerateCommand(dir, '/tmp/out')).toEqual(want);
  });
  test('another package folder: its own generate command, and its name in the reasons', async () => {
    const dir = await fakeRoot('profile-package', generate, true);
    await mkdir(join(dir, 'packages', 'uk-core'), { recursive: true });
    const command = 'node tools/fhir-codegen/dist/cli.js emit-profiles a#1 --base @nhs-fhir/r4 --out x --validation';
    await writeFile(
      join(dir, 'packages', 'uk-core', 'package.json'),
      JSON.stringify({ nx: { targets: { generate: { command } } } }),
    );
    expect(await oursGenerateCommand(dir, '/tmp/uk', 'uk-core')).toEqual({
      args: [
        'tools/fhir-codegen/dist/cli.js',
        'emit-profiles',
        'a#1',
        '--base',
        '@nhs-fhir/r4',
        '--out',
        '/tmp/uk',
        '--validation',
      ],
    });
    expect(await oursGenerateCommand(dir, '/tmp/x', 'nhs-england')).toEqual({
      reason: 'not measured yet: packages/nhs-england does not exist',
    });
  });
});

describe('missingTypes', () => {
  const target = { id: 'x', label: '@x/types', packageDir: '@x/types', importLine: '' };
  const cases: Array<[string, { given: { manifest?: object; files: string[] }; want: string | undefined }]> = [
    [
      'built: the exports types entry exists',
      {
        given: { manifest: { exports: { '.': { types: './dist/index.d.ts' } } }, files: ['dist/index.d.ts'] },
        want: undefined,
      },
    ],
    [
      'not built yet',
      {
        given: { manifest: { exports: { '.': { types: './dist/index.d.ts' } } }, files: [] },
        want: 'not measured yet: @x/types not built (no ./dist/index.d.ts)',
      },
    ],
    ['a types field', { given: { manifest: { types: 'index.d.ts' }, files: ['index.d.ts'] }, want: undefined }],
    ['not installed', { given: { files: [] }, want: 'not measured: @x/types not installed' }],
  ];
  test.each(cases)('%s', async (title, { given, want }) => {
    const modules = join(scratch, `modules-${title.replaceAll(/\W+/g, '-')}`);
    const packageDir = join(modules, '@x', 'types');
    await mkdir(join(packageDir, 'dist'), { recursive: true });
    if (given.manifest !== undefined) await writeFile(join(packageDir, 'package.json'), JSON.stringify(given.manifest));
    for (const file of given.files) await writeFile(join(packageDir, file), '');
    expect(await missingTypes(target, modules)).toBe(want);
  });
});

// One real tsc run per target: the same consumer file must compile against each of them, or the timings compare
// nothing.
describe.each(CONSUMER_TARGETS.map((target) => [target.label, target] as const))(
  'the consumer file against %s',
  (_label, target) => {
    test('type-checks with library checks on', async (context) => {
      const missing = await missingTypes(target, nodeModules);
      if (missing !== undefined) context.skip(missing);
      const dir = join(scratch, `consumer-${target.id}`);
      await writeConsumerProject(dir, target, nodeModules);
      const run = await checkConsumer(root, dir, false);
      expect(run.output).toBe('');
      expect(run.exitCode).toBe(0);
      // The measuring shell reported, so the bench gets both times from each run.
      expect(run.cpuMs).toBeGreaterThan(0);
    });
  },
);
