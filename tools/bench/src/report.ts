import type { CodegenBenchResult } from './codegen-bench.js';
import { formatMs, formatRatio, median, ratio } from './stats.js';
import { formatTable } from './table.js';
import { PROFILE_GOAL_RATIO, type ProfileRun, type ProfileTypecheckResult } from './profile-typecheck.js';
import type { TypecheckBenchResult, TypecheckMeasure } from './typecheck-bench.js';

/** The generation goal from issue 3: all of R4 core in under 10 s on this 2-core machine. */
export const GENERATION_GOAL_MS = 10_000;
/** Issue 12: R4 core generation at most this multiple of the anchor's CPU time (cache filled, medians). */
export const ANCHOR_CPU_GOAL_RATIO = 0.33;
/** Issue 12: each profile package's generation at most this multiple of R4 core's. */
export const PROFILE_PACKAGE_GOAL_RATIO = 2;

/** Lines for rows that could not be measured: the reason's first line in the table's place, the rest indented. */
function notMeasuredLines(rows: readonly { label: string; reason: string }[]): string[] {
  return rows.flatMap(({ label, reason }) => {
    const [first, ...rest] = reason.split('\n');
    return [`${label}: ${first ?? ''}`, ...rest.map((line) => `    ${line}`)];
  });
}

/** The median as text, or `-` when there is no sample (a process that did not report its CPU time). */
function medianText(samples: readonly number[]): string {
  return samples.length === 0 ? '-' : formatMs(median(samples));
}

/** `ours / other` as text, or `-` when either side has no sample. */
function ratioText(ours: readonly number[] | undefined, other: readonly number[]): string {
  return ours === undefined || ours.length === 0 || other.length === 0
    ? '-'
    : formatRatio(ratio(median(ours), median(other)));
}

/** The generation table: each tool's median wall-clock and CPU time, its file count, and ours as a multiple of it. */
export function formatCodegenReport(result: CodegenBenchResult, source: string): string {
  const lines = [`Generation: ${source} -> TypeScript (median; ours / this below 1 means ours is faster)`];
  const ours = result.measured[0]?.label.startsWith('@nhs-fhir/') ? result.measured[0] : undefined;
  if (result.measured.length > 0) {
    const rows = result.measured.map(({ label, samples, files }) => [
      label,
      String(samples.wall.length),
      medianText(samples.wall),
      medianText(samples.cpu),
      String(files),
      ratioText(ours?.samples.wall, samples.wall),
      ratioText(ours?.samples.cpu, samples.cpu),
    ]);
    lines.push(formatTable(['generator', 'runs', 'wall', 'CPU', 'files', 'ours / this, wall', 'CPU'], rows));
  }
  lines.push(...notMeasuredLines(result.notMeasured));
  for (const measure of result.measured) {
    if (measure.warnings !== undefined) lines.push(`${measure.label}: ${measure.warnings}`);
    if (measure.stages !== undefined) lines.push(`${measure.label}, per stage (median wall-clock): ${measure.stages}`);
  }
  if (ours !== undefined) {
    const wall = median(ours.samples.wall);
    lines.push(
      `goal, under ${formatMs(GENERATION_GOAL_MS)} wall-clock: ` +
        `${wall < GENERATION_GOAL_MS ? 'met' : 'NOT met'} (${formatMs(wall)})`,
    );
    const anchor = result.measured.find((measure) => measure.label.endsWith(', cache filled'));
    if (anchor !== undefined && ours.samples.cpu.length > 0 && anchor.samples.cpu.length > 0) {
      const cpu = ratio(median(ours.samples.cpu), median(anchor.samples.cpu));
      lines.push(
        `${ours.label} / ${anchor.label}: CPU ${formatRatio(cpu)}, ` +
          `wall ${ratioText(ours.samples.wall, anchor.samples.wall)}; ` +
          `goal CPU at most ${formatRatio(ANCHOR_CPU_GOAL_RATIO)}: ${cpu <= ANCHOR_CPU_GOAL_RATIO ? 'met' : 'NOT met'}`,
      );
    }
  }
  const packages = result.profilePackages ?? [];
  if (packages.length > 0) {
    lines.push(
      '',
      'Profile packages: their generate commands against ours on R4 core ' +
        `(median; goal at most ${formatRatio(PROFILE_PACKAGE_GOAL_RATIO)})`,
    );
    const rows = packages.map(({ label, samples, files }) => [
      label,
      String(samples.wall.length),
      medianText(samples.wall),
      medianText(samples.cpu),
      String(files),
      ratioText(samples.wall, ours?.samples.wall ?? []),
      ratioText(samples.cpu, ours?.samples.cpu ?? []),
    ]);
    lines.push(formatTable(['generate', 'runs', 'wall', 'CPU', 'files', 'this / R4 core, wall', 'CPU'], rows));
    for (const measure of packages) {
      if (measure.stages !== undefined)
        lines.push(`${measure.label}, per stage (median wall-clock): ${measure.stages}`);
      if (ours !== undefined && ours.samples.cpu.length > 0 && measure.samples.cpu.length > 0) {
        const cpu = ratio(median(measure.samples.cpu), median(ours.samples.cpu));
        lines.push(
          `${measure.label} / ${ours.label}: CPU ${formatRatio(cpu)}; ` +
            `goal at most ${formatRatio(PROFILE_PACKAGE_GOAL_RATIO)}: ` +
            `${cpu <= PROFILE_PACKAGE_GOAL_RATIO ? 'met' : 'NOT met'}`,
        );
      }
    }
  }
  return lines.join('\n');
}

type Column = (measure: TypecheckMeasure) => number[];

/** The faster of the other targets in one column, and ours divided by it. */
export function oursAgainstFastest(
  ours: TypecheckMeasure,
  others: readonly TypecheckMeasure[],
  column: Column,
): { label: string; ratio: number } | undefined {
  const oursSamples = column(ours);
  const fastest = others
    .filter((measure) => column(measure).length > 0)
    .map((measure) => ({ label: measure.target.label, ms: median(column(measure)) }))
    .sort((a, b) => a.ms - b.ms)[0];
  return fastest === undefined || oursSamples.length === 0
    ? undefined
    : { label: fastest.label, ratio: ratio(median(oursSamples), fastest.ms) };
}

const TYPECHECK_COLUMNS: readonly { title: string; column: Column }[] = [
  { title: 'skipLibCheck on, wall', column: (measure) => measure.skipLibCheck.wall },
  { title: 'CPU', column: (measure) => measure.skipLibCheck.cpu },
  { title: 'skipLibCheck off, wall', column: (measure) => measure.checkLib.wall },
  { title: 'CPU', column: (measure) => measure.checkLib.cpu },
];

/** The type-check table: medians per target and setting, then ours against the faster of the others in each column. */
export function formatTypecheckReport(result: TypecheckBenchResult, oursId: string, tscVersion: string): string {
  const runs = result.measured[0]?.skipLibCheck.wall.length ?? 0;
  const lines = [`Consumer type-check: tsc ${tscVersion} --noEmit on one consumer file (median of ${runs})`];
  const ours = result.measured.find((measure) => measure.target.id === oursId);
  const others = result.measured.filter((measure) => measure !== ours);
  if (result.measured.length > 0) {
    const rows = result.measured.map((measure) => [
      measure.target.label,
      ...TYPECHECK_COLUMNS.map(({ column }) => medianText(column(measure))),
    ]);
    if (ours !== undefined && others.length > 0) {
      const against = TYPECHECK_COLUMNS.map(({ column }) => oursAgainstFastest(ours, others, column));
      rows.push([
        'ours / faster other',
        ...against.map((entry) => (entry === undefined ? '-' : formatRatio(entry.ratio))),
      ]);
      for (const [setting, wall, cpu] of [
        ['skipLibCheck on', against[0], against[1]],
        ['skipLibCheck off', against[2], against[3]],
      ] as const) {
        if (wall === undefined) continue;
        const cpuNote = cpu === undefined ? '' : `; by CPU ${cpu.label}, ${formatRatio(cpu.ratio)}`;
        lines.push(
          `${setting}: faster other by wall-clock is ${wall.label}, ours ${formatRatio(wall.ratio)}: ` +
            `goal ours <= it ${wall.ratio <= 1 ? 'met' : 'NOT met'}${cpuNote}`,
        );
      }
    }
    lines.splice(1, 0, formatTable(['types', ...TYPECHECK_COLUMNS.map(({ title }) => title)], rows));
  }
  lines.push(...notMeasuredLines(result.notMeasured.map(({ target, reason }) => ({ label: target.label, reason }))));
  return lines.join('\n');
}

/** One figure of each run that has it (CPU time is missing where the shell did not report it). */
function figures(runs: readonly ProfileRun[], figure: (run: ProfileRun) => number | undefined): number[] {
  return runs.map(figure).filter((value): value is number => value !== undefined);
}

/**
 * The profile type-check table: per compiler, the base-only and the UK Core consumer's medians, then the ratios.
 * The goal is judged on TypeScript 5.9's CPU time, which background load disturbs less than wall-clock time.
 */
export function formatProfileReport(result: ProfileTypecheckResult): string {
  const runs = result.compilers[0]?.base.length ?? 0;
  const lines = [
    'Profile type-check: the UK Core consumer against the same tasks with @nhs-fhir/r4 only, ' +
      `skipLibCheck on (median of ${runs})`,
  ];
  const rows: string[][] = [];
  const notes: string[] = [];
  const count = (list: readonly ProfileRun[], figure: (run: ProfileRun) => number): string =>
    String(median(figures(list, figure)));
  for (const { name, base, profile } of result.compilers) {
    for (const [label, list] of [
      ['base only (@nhs-fhir/r4)', base],
      ['profiles (@nhs-fhir/uk-core)', profile],
    ] as const) {
      rows.push([
        `TypeScript ${name}`,
        label,
        medianText(figures(list, (run) => run.wall)),
        medianText(figures(list, (run) => run.cpu)),
        medianText(figures(list, (run) => run.check)),
        count(list, (run) => run.files),
        count(list, (run) => run.types),
        count(list, (run) => run.instantiations),
      ]);
    }
    const cpu = { profile: figures(profile, (run) => run.cpu), base: figures(base, (run) => run.cpu) };
    const check = {
      profile: median(figures(profile, (run) => run.check)),
      base: median(figures(base, (run) => run.check)),
    };
    const checkRatio =
      check.base > 0
        ? `${formatRatio(check.profile / check.base)} (${formatMs(check.profile - check.base)} more)`
        : '-';
    notes.push(
      `TypeScript ${name}, profiles / base only: CPU ${ratioText(cpu.profile, cpu.base)}, wall ${ratioText(
        figures(profile, (run) => run.wall),
        figures(base, (run) => run.wall),
      )}, check phase ${checkRatio}`,
    );
    if (name === '5.9' && cpu.profile.length > 0 && cpu.base.length > 0) {
      const cpuRatio = ratio(median(cpu.profile), median(cpu.base));
      notes.push(
        `goal, TypeScript 5.9 CPU at most ${formatRatio(PROFILE_GOAL_RATIO)}: ` +
          `${cpuRatio <= PROFILE_GOAL_RATIO ? 'met' : 'NOT met'} (${formatRatio(cpuRatio)})`,
      );
    }
  }
  if (rows.length > 0)
    lines.push(formatTable(['compiler', 'consumer', 'wall', 'CPU', 'check', 'files', 'types', 'instantiations'], rows));
  return [...lines, ...notes].join('\n');
}
