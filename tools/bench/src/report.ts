import type { CodegenBenchResult } from './codegen-bench.js';
import { formatMs, formatRatio, median, ratio } from './stats.js';
import { formatTable } from './table.js';
import type { TypecheckBenchResult, TypecheckMeasure } from './typecheck-bench.js';

/** The generation goal from issue 3: all of R4 core in under 10 s on this 2-core machine. */
export const GENERATION_GOAL_MS = 10_000;

/** Lines for rows that could not be measured: the reason's first line in the table's place, the rest indented. */
function notMeasuredLines(rows: readonly { label: string; reason: string }[]): string[] {
  return rows.flatMap(({ label, reason }) => {
    const [first, ...rest] = reason.split('\n');
    return [`${label}: ${first ?? ''}`, ...rest.map((line) => `    ${line}`)];
  });
}

/** The generation table: each tool's median time, its file count, and ours as a multiple of it. */
export function formatCodegenReport(result: CodegenBenchResult, source: string): string {
  const lines = [`Generation: ${source} -> TypeScript (wall clock, median)`];
  const ours = result.measured[0]?.label.startsWith('@nhs-fhir/') ? result.measured[0] : undefined;
  const oursMedian = ours === undefined ? undefined : median(ours.samples);
  if (result.measured.length > 0) {
    const rows = result.measured.map((measure) => {
      const time = median(measure.samples);
      return [measure.label, String(measure.samples.length), formatMs(time), String(measure.files), oursMedian === undefined ? '-' : formatRatio(ratio(oursMedian, time))];
    });
    lines.push(formatTable(['generator', 'runs', 'time', 'files', 'ours / this'], rows));
  }
  lines.push(...notMeasuredLines(result.notMeasured));
  for (const measure of result.measured) if (measure.warnings !== undefined) lines.push(`${measure.label}: ${measure.warnings}`);
  if (oursMedian !== undefined) lines.push(`goal, under ${formatMs(GENERATION_GOAL_MS)}: ${oursMedian < GENERATION_GOAL_MS ? 'met' : 'NOT met'} (${formatMs(oursMedian)})`);
  return lines.join('\n');
}

/** The faster of the other targets for one setting, and ours divided by it. */
export function oursAgainstFastest(ours: TypecheckMeasure, others: readonly TypecheckMeasure[], pick: (measure: TypecheckMeasure) => number[]): { label: string; ratio: number } | undefined {
  const fastest = others.map((measure) => ({ label: measure.target.label, ms: median(pick(measure)) })).sort((a, b) => a.ms - b.ms)[0];
  return fastest === undefined ? undefined : { label: fastest.label, ratio: ratio(median(pick(ours)), fastest.ms) };
}

/** The type-check table: medians per target and setting, then ours against the faster of the others. */
export function formatTypecheckReport(result: TypecheckBenchResult, oursId: string, tscVersion: string): string {
  const runs = result.measured[0]?.skipLibCheck.length ?? 0;
  const lines = [`Consumer type-check: tsc ${tscVersion} --noEmit on one consumer file (wall clock, median of ${runs})`];
  const ours = result.measured.find((measure) => measure.target.id === oursId);
  const others = result.measured.filter((measure) => measure !== ours);
  if (result.measured.length > 0) {
    const rows = result.measured.map((measure) => [measure.target.label, formatMs(median(measure.skipLibCheck)), formatMs(median(measure.checkLib))]);
    if (ours !== undefined) {
      const skip = oursAgainstFastest(ours, others, (measure) => measure.skipLibCheck);
      const check = oursAgainstFastest(ours, others, (measure) => measure.checkLib);
      if (skip !== undefined && check !== undefined) rows.push(['ours / faster other', formatRatio(skip.ratio), formatRatio(check.ratio)]);
      for (const [setting, against] of [['skipLibCheck on', skip], ['skipLibCheck off', check]] as const) {
        if (against !== undefined) lines.push(`${setting}: faster other is ${against.label}; goal ours <= it: ${against.ratio <= 1 ? 'met' : 'NOT met'}`);
      }
    }
    lines.splice(1, 0, formatTable(['types', 'skipLibCheck on', 'skipLibCheck off'], rows));
  }
  lines.push(...notMeasuredLines(result.notMeasured.map(({ target, reason }) => ({ label: target.label, reason }))));
  return lines.join('\n');
}
