import { join } from 'node:path';
import { runNodeTimed, tail } from './run-process.js';
import { rotated, workspaceTsc } from './typecheck-bench.js';

/**
 * The cost of the profile types to a consumer: `tools/generated-packages-tests/consumers/uk-core/consumer.ts` (a UK
 * Core Patient with an NHS number, helpers, a guard, `@ts-expect-error`s) against `base-consumer.ts` (the same
 * tasks with `@nhs-fhir/r4` only), skipLibCheck on, with TypeScript 5.9 and TypeScript 7. Issue 4's goal: at most 1.5x.
 */
export const PROFILE_GOAL_RATIO = 1.5;

/** What tsc --extendedDiagnostics prints that the report shows; times in ms. */
export interface Diagnostics {
  check: number;
  total: number;
  types: number;
  instantiations: number;
  files: number;
}

/** One run: wall-clock and CPU ms as measured from outside, and what the compiler said of itself. */
export interface ProfileRun extends Diagnostics {
  wall: number;
  cpu: number | undefined;
}

export interface ProfileTypecheckResult {
  /** Per compiler (`5.9`, `7`), the runs of the base-only consumer and of the profile consumer. */
  compilers: { name: string; base: ProfileRun[]; profile: ProfileRun[] }[];
}

const LABELS: Record<keyof Diagnostics, { label: string; seconds: boolean }> = {
  check: { label: 'Check time', seconds: true },
  total: { label: 'Total time', seconds: true },
  types: { label: 'Types', seconds: false },
  instantiations: { label: 'Instantiations', seconds: false },
  files: { label: 'Files', seconds: false },
};

/** Reads the figures the report needs from `--extendedDiagnostics` output; a missing one is an error naming it. */
export function diagnosticsOf(output: string): Diagnostics {
  const entries = Object.entries(LABELS).map(([key, { label, seconds }]) => {
    const match = new RegExp(`^${label}:\\s+([\\d.]+)s?$`, 'm').exec(output);
    if (match === null) throw new Error(`tsc --extendedDiagnostics printed no "${label}:" line:\n${tail(output)}`);
    return [key, seconds ? Number(match[1]) * 1000 : Number(match[1])];
  });
  return Object.fromEntries(entries) as unknown as Diagnostics;
}

/** TypeScript 7 exports no `bin/tsc` subpath; its launcher is next to its package.json. */
export function typeScript7Tsc(root: string): string {
  return join(root, 'node_modules', 'typescript-7', 'bin', 'tsc');
}

/** Runs both consumers `runs` times per compiler, interleaved and alternating which goes first. */
export async function benchProfileTypecheck(options: {
  root: string;
  runs: number;
  log: (line: string) => void;
}): Promise<ProfileTypecheckResult> {
  const { root, runs, log } = options;
  const folder = 'tools/generated-packages-tests/consumers/uk-core';
  const dir = join(root, folder);
  const projects = [
    { key: 'base', tsconfig: 'tsconfig.base-only.json' },
    { key: 'profile', tsconfig: 'tsconfig.json' },
  ] as const;
  const compilers: ProfileTypecheckResult['compilers'] = [];
  for (const [name, tsc] of [
    ['5.9', workspaceTsc(root)],
    ['7', typeScript7Tsc(root)],
  ] as const) {
    const result = { name, base: [] as ProfileRun[], profile: [] as ProfileRun[] };
    for (let run = 0; run < runs; run += 1) {
      for (const { key, tsconfig } of rotated(projects, run)) {
        const timed = await runNodeTimed([tsc, '-p', tsconfig, '--extendedDiagnostics', '--pretty', 'false'], {
          cwd: dir,
        });
        if (timed.exitCode !== 0)
          throw new Error(
            `tsc ${name} -p ${folder}/${tsconfig} failed (exit ${timed.exitCode}):\n${tail(timed.output)}`,
          );
        result[key].push({ wall: timed.ms, cpu: timed.cpuMs, ...diagnosticsOf(timed.output) });
      }
    }
    log(`  profile type-check, TypeScript ${name}: ${runs} rounds done`);
    compilers.push(result);
  }
  return { compilers };
}
