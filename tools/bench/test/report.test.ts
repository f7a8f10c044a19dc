import { describe, expect, test } from 'vitest';
import type { CodegenBenchResult } from '../src/codegen-bench.js';
import { anchorWarnings, medianStages, stageTimes } from '../src/codegen-bench.js';
import { CPU_MARKER, extractCpuMs } from '../src/cpu-marker.js';
import { CONSUMER_TARGETS } from '../src/consumer.js';
import { diagnosticsOf, type ProfileRun } from '../src/profile-typecheck.js';
import { formatCodegenReport, formatProfileReport, formatTypecheckReport } from '../src/report.js';
import { addSample, emptySamples, formatMs, formatRatio, median, ratio, type Samples } from '../src/stats.js';
import { formatTable } from '../src/table.js';
import type { TypecheckBenchResult } from '../src/typecheck-bench.js';

describe('median', () => {
  const cases: Array<[string, { given: number[]; want: number }]> = [
    ['one sample', { given: [5], want: 5 }],
    ['odd count, unsorted', { given: [9, 1, 5], want: 5 }],
    ['even count: mean of the middle two', { given: [4, 1, 3, 2], want: 2.5 }],
    ['an outlier does not move it', { given: [100, 101, 99, 5000, 100], want: 100 }],
  ];
  test.each(cases)('%s', (_title, { given, want }) => {
    expect(median(given)).toBe(want);
  });
  test('no samples is an error', () => {
    expect(() => median([])).toThrow('median: no samples');
  });
});

describe('ratio and formatting', () => {
  const cases: Array<[string, { given: () => string; want: string }]> = [
    ['ours faster', { given: () => formatRatio(ratio(800, 1000)), want: '0.80x' }],
    ['ours slower', { given: () => formatRatio(ratio(1500, 1000)), want: '1.50x' }],
    ['under a second in ms', { given: () => formatMs(987.6), want: '988 ms' }],
    ['a second and over in s', { given: () => formatMs(19_456), want: '19.46 s' }],
  ];
  test.each(cases)('%s', (_title, { given, want }) => {
    expect(given()).toBe(want);
  });
  test('a zero reference time is an error, not Infinity', () => {
    expect(() => ratio(1, 0)).toThrow('ratio: the reference time must be positive, got 0');
  });
});

test('formatTable pads the first column right and the others left', () => {
  expect(
    formatTable(
      ['name', 'time'],
      [
        ['a', '1 s'],
        ['longer name', '12.50 s'],
      ],
    ),
  ).toBe(['name            time', '-----------  -------', 'a                1 s', 'longer name  12.50 s'].join('\n'));
});

describe('anchorWarnings', () => {
  const cases: Array<[string, { given: string; want: string | undefined }]> = [
    [
      'the last summary wins',
      {
        given:
          '! a: 2 warnings (#x: 2)\n' +
          '! api/ts: 625 warnings (#fieldTypeNotFound: 556, #largeValueSet: 63, #duplicateSchema: 6)\n',
        want: '625 warnings (#fieldTypeNotFound: 556, #largeValueSet: 63, #duplicateSchema: 6)',
      },
    ],
    ['no summary', { given: 'Status: ok\n', want: undefined }],
  ];
  test.each(cases)('%s', (_title, { given, want }) => {
    expect(anchorWarnings(given)).toBe(want);
  });
});

describe('extractCpuMs', () => {
  const cases: Array<[string, { given: string; want: { cpuMs: number | undefined; output: string } }]> = [
    [
      "the shell's report is taken out; the process's user and system times are added",
      {
        given: `emit: 189 files\n\n${CPU_MARKER}\n0m0.004s 0m0.002s\n0m2.500s 0m0.641s\n`,
        want: { cpuMs: 3141, output: 'emit: 189 files\n' },
      },
    ],
    [
      'minutes count',
      { given: `\n${CPU_MARKER}\n0m0.004s 0m0.002s\n1m0.500s 0m0.250s\n`, want: { cpuMs: 60750, output: '' } },
    ],
    ['no report', { given: 'partial output', want: { cpuMs: undefined, output: 'partial output' } }],
  ];
  test.each(cases)('%s', (_title, { given, want }) => {
    expect(extractCpuMs(given)).toEqual(want);
  });
});

test('addSample keeps wall-clock time even when CPU time is unknown', () => {
  const samples = emptySamples();
  addSample(samples, { ms: 10, cpuMs: 8 });
  addSample(samples, { ms: 12, cpuMs: undefined });
  expect(samples).toEqual({ wall: [10, 12], cpu: [8] });
});

const samples = (wall: number[], cpu: number[]): Samples => ({ wall, cpu });

describe('formatCodegenReport', () => {
  test('ratios against ours, warnings and the goal', () => {
    const result: CodegenBenchResult = {
      measured: [
        { label: '@nhs-fhir/fhir-codegen emit', samples: samples([3000, 4000, 3500], [3200, 3300, 3400]), files: 189 },
        {
          label: '@atomic-ehr/codegen, cache filled',
          samples: samples([7000, 7000, 7200], [6400, 6800, 6600]),
          files: 195,
          warnings: '3 warnings (#x: 3)',
        },
        { label: '@atomic-ehr/codegen, first run (empty cache)', samples: samples([14_000], [8500]), files: 195 },
      ],
      notMeasured: [],
    };
    expect(formatCodegenReport(result, 'hl7.fhir.r4.core#4.0.1')).toBe(
      [
        'Generation: hl7.fhir.r4.core#4.0.1 -> TypeScript (median; ours / this below 1 means ours is faster)',
        'generator                                     runs     wall     CPU  files  ours / this, wall    CPU',
        '--------------------------------------------  ----  -------  ------  -----  -----------------  -----',
        '@nhs-fhir/fhir-codegen emit                      3   3.50 s  3.30 s    189              1.00x  1.00x',
        '@atomic-ehr/codegen, cache filled                3   7.00 s  6.60 s    195              0.50x  0.50x',
        '@atomic-ehr/codegen, first run (empty cache)     1  14.00 s  8.50 s    195              0.25x  0.39x',
        '@atomic-ehr/codegen, cache filled: 3 warnings (#x: 3)',
        'goal, under 10.00 s wall-clock: met (3.50 s)',
        '@nhs-fhir/fhir-codegen emit / @atomic-ehr/codegen, cache filled: CPU 0.50x, wall 0.50x; ' +
          'goal CPU at most 0.33x: NOT met',
      ].join('\n'),
    );
  });
  test('profile packages against ours on R4 core, with their stages and the 2x goal', () => {
    const result: CodegenBenchResult = {
      measured: [
        { label: '@nhs-fhir/fhir-codegen emit', samples: samples([1000, 1200], [900, 1100]), files: 191 },
        { label: '@atomic-ehr/codegen, cache filled', samples: samples([4000, 4000], [4000, 4000]), files: 195 },
      ],
      notMeasured: [{ label: '@nhs-fhir/nhs-england generate', reason: 'failed: exited with 1' }],
      profilePackages: [
        {
          label: '@nhs-fhir/uk-core generate',
          samples: samples([1500, 1700], [1800, 2200]),
          files: 167,
          stages: 'load 100 ms, snapshot 200 ms, print 10 ms',
        },
        { label: '@nhs-fhir/reasonable-adjustments-stu3 generate', samples: samples([3000], [2500]), files: 22 },
      ],
    };
    expect(formatCodegenReport(result, 'hl7.fhir.r4.core#4.0.1').split('\n').slice(5)).toEqual([
      '@nhs-fhir/nhs-england generate: failed: exited with 1',
      'goal, under 10.00 s wall-clock: met (1.10 s)',
      '@nhs-fhir/fhir-codegen emit / @atomic-ehr/codegen, cache filled: CPU 0.25x, wall 0.28x; ' +
        'goal CPU at most 0.33x: met',
      '',
      'Profile packages: their generate commands against ours on R4 core (median; goal at most 2.00x)',
      'generate                                        runs    wall     CPU  files  this / R4 core, wall    CPU',
      '----------------------------------------------  ----  ------  ------  -----  --------------------  -----',
      '@nhs-fhir/uk-core generate                         2  1.60 s  2.00 s    167                 1.45x  2.00x',
      '@nhs-fhir/reasonable-adjustments-stu3 generate     1  3.00 s  2.50 s     22                 2.73x  2.50x',
      '@nhs-fhir/uk-core generate, per stage (median wall-clock): load 100 ms, snapshot 200 ms, print 10 ms',
      '@nhs-fhir/uk-core generate / @nhs-fhir/fhir-codegen emit: CPU 2.00x; goal at most 2.00x: met',
      '@nhs-fhir/reasonable-adjustments-stu3 generate / @nhs-fhir/fhir-codegen emit: CPU 2.50x; ' +
        'goal at most 2.00x: NOT met',
    ]);
  });
  test('a tool that is not there yet is named with the reason, and no ratio is made up', () => {
    const result: CodegenBenchResult = {
      measured: [{ label: '@atomic-ehr/codegen, cache filled', samples: samples([7000], []), files: 195 }],
      notMeasured: [
        { label: '@nhs-fhir/fhir-codegen emit', reason: 'not measured yet: tools/fhir-codegen/dist/cli.js not built' },
      ],
    };
    expect(formatCodegenReport(result, 'x#1')).toBe(
      [
        'Generation: x#1 -> TypeScript (median; ours / this below 1 means ours is faster)',
        'generator                          runs    wall  CPU  files  ours / this, wall  CPU',
        '---------------------------------  ----  ------  ---  -----  -----------------  ---',
        '@atomic-ehr/codegen, cache filled     1  7.00 s    -    195                  -    -',
        '@nhs-fhir/fhir-codegen emit: not measured yet: tools/fhir-codegen/dist/cli.js not built',
      ].join('\n'),
    );
  });
});

describe('formatTypecheckReport', () => {
  const [ours, typesFhir, medplum] = CONSUMER_TARGETS;
  if (ours === undefined || typesFhir === undefined || medplum === undefined)
    throw new Error('three consumer targets expected');
  test('ours against the faster other, per column', () => {
    const result: TypecheckBenchResult = {
      measured: [
        {
          target: ours,
          skipLibCheck: samples([900, 1000, 1100], [1500, 1500, 1500]),
          checkLib: samples([2000, 2000, 2000], [2600, 2600, 2600]),
        },
        {
          target: typesFhir,
          skipLibCheck: samples([800, 800, 800], [1600, 1600, 1600]),
          checkLib: samples([2500, 2500, 2500], [3000, 3000, 3000]),
        },
        {
          target: medplum,
          skipLibCheck: samples([1200, 1200, 1200], [1400, 1400, 1400]),
          checkLib: samples([1600, 1600, 1600], [2000, 2000, 2000]),
        },
      ],
      notMeasured: [],
    };
    expect(formatTypecheckReport(result, 'nhs-fhir', '5.9.3')).toBe(
      [
        'Consumer type-check: tsc 5.9.3 --noEmit on one consumer file (median of 3)',
        'types                         skipLibCheck on, wall     CPU  skipLibCheck off, wall     CPU',
        '----------------------------  ---------------------  ------  ----------------------  ------',
        '@nhs-fhir/r4                                 1.00 s  1.50 s                  2.00 s  2.60 s',
        '@types/fhir 0.0.44 (fhir/r4)                 800 ms  1.60 s                  2.50 s  3.00 s',
        '@medplum/fhirtypes 4.5.2                     1.20 s  1.40 s                  1.60 s  2.00 s',
        'ours / faster other                           1.25x   1.07x                   1.25x   1.30x',
        'skipLibCheck on: faster other by wall-clock is @types/fhir 0.0.44 (fhir/r4), ours 1.25x: ' +
          'goal ours <= it NOT met; by CPU @medplum/fhirtypes 4.5.2, 1.07x',
        'skipLibCheck off: faster other by wall-clock is @medplum/fhirtypes 4.5.2, ours 1.25x: ' +
          'goal ours <= it NOT met; by CPU @medplum/fhirtypes 4.5.2, 1.30x',
      ].join('\n'),
    );
  });
  test('ours not built yet: the others are still shown, and the reason says why', () => {
    const result: TypecheckBenchResult = {
      measured: [{ target: typesFhir, skipLibCheck: samples([800], [900]), checkLib: samples([900], [1000]) }],
      notMeasured: [{ target: ours, reason: 'not measured yet: @nhs-fhir/r4 not built (no ./dist/index.d.ts)' }],
    };
    expect(formatTypecheckReport(result, 'nhs-fhir', '5.9.3')).toBe(
      [
        'Consumer type-check: tsc 5.9.3 --noEmit on one consumer file (median of 1)',
        'types                         skipLibCheck on, wall     CPU  skipLibCheck off, wall     CPU',
        '----------------------------  ---------------------  ------  ----------------------  ------',
        '@types/fhir 0.0.44 (fhir/r4)                 800 ms  900 ms                  900 ms  1.00 s',
        '@nhs-fhir/r4: not measured yet: @nhs-fhir/r4 not built (no ./dist/index.d.ts)',
      ].join('\n'),
    );
  });
});

describe('diagnosticsOf', () => {
  const output = [
    'Files:                          238',
    'Types:                         1657',
    'Instantiations:                1333',
    'Check time:                    0.15s',
    'Total time:                    1.24s',
  ].join('\n');
  test('reads the figures, times in ms', () => {
    expect(diagnosticsOf(`${output}\n`)).toEqual({
      check: 150,
      total: 1240,
      types: 1657,
      instantiations: 1333,
      files: 238,
    });
  });
  test('a missing figure is an error naming it', () => {
    expect(() => diagnosticsOf(output.replace(/^Types:.*$/m, ''))).toThrow(
      'tsc --extendedDiagnostics printed no "Types:" line',
    );
  });
});

describe('formatProfileReport', () => {
  const run = (wall: number, cpu: number | undefined, check: number): ProfileRun => ({
    wall,
    cpu,
    check,
    total: wall - 100,
    types: 800,
    instantiations: 150,
    files: 65,
  });
  test('medians per compiler and consumer, the ratios, and the goal judged on TypeScript 5.9 CPU', () => {
    const report = formatProfileReport({
      compilers: [
        {
          name: '5.9',
          base: [run(1000, 2000, 70), run(1100, 2200, 90), run(900, 1800, 80)],
          profile: [run(1300, 2600, 150), run(1200, 2400, 160), run(1250, 2500, 170)],
        },
        { name: '7', base: [run(120, undefined, 4)], profile: [run(180, undefined, 20)] },
      ],
    });
    expect(report).toContain('(median of 3)');
    expect(report).toMatch(/TypeScript 5\.9 +profiles \(@nhs-fhir\/uk-core\) +1\.25 s +2\.50 s +160 ms +65 +800 +150/);
    expect(report).toContain(
      'TypeScript 5.9, profiles / base only: CPU 1.25x, wall 1.25x, check phase 2.00x (80 ms more)',
    );
    expect(report).toContain('goal, TypeScript 5.9 CPU at most 1.50x: met (1.25x)');
    expect(report).toContain('TypeScript 7, profiles / base only: CPU -, wall 1.50x, check phase 5.00x (16 ms more)');
  });
  test('over the goal is NOT met', () => {
    const report = formatProfileReport({
      compilers: [{ name: '5.9', base: [run(1000, 1000, 70)], profile: [run(1600, 1600, 150)] }],
    });
    expect(report).toContain('goal, TypeScript 5.9 CPU at most 1.50x: NOT met (1.60x)');
  });
});

describe('stage times of our generator', () => {
  test('read from the summary line the CLI prints, and reduced to the median of each stage', () => {
    const output =
      'emit hl7.fhir.r4.core#4.0.1: 146 resources -> 191 files in out ' +
      '(load 4490 ms, model 135 ms, emit 3410 ms, write 203 ms, total 8240 ms)\n';
    const first = stageTimes(output)!;
    expect([...first]).toEqual([
      ['load', 4490],
      ['model', 135],
      ['emit', 3410],
      ['write', 203],
    ]);
    const second = stageTimes(output.replace('load 4490', 'load 10').replace('emit 3410', 'emit 3000'))!;
    const third = stageTimes(output.replace('load 4490', 'load 20'))!;
    expect(medianStages([first, second, third])).toBe('load 20 ms, model 135 ms, emit 3410 ms, write 203 ms');
    expect(stageTimes('no summary')).toBeUndefined();
  });
});
