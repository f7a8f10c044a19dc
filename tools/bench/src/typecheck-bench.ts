import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type ConsumerTarget, tsconfigName, writeConsumerProject } from './consumer.js';
import { runNodeTimed, tail, type TimedRun } from './run-process.js';
import { addSample, emptySamples, type Samples } from './stats.js';

export interface TypecheckBenchOptions {
  root: string;
  /** A scratch folder this bench owns; one consumer project per target goes under it. */
  workDir: string;
  targets: readonly ConsumerTarget[];
  /** Timed runs per target and skipLibCheck setting, after one untimed run that also proves the file type-checks. */
  runs: number;
  log: (line: string) => void;
}

export interface TypecheckMeasure {
  target: ConsumerTarget;
  /** Times of `tsc --noEmit` with skipLibCheck on, then off. */
  skipLibCheck: Samples;
  checkLib: Samples;
}

export interface TypecheckBenchResult {
  measured: TypecheckMeasure[];
  notMeasured: { target: ConsumerTarget; reason: string }[];
}

/** The workspace's TypeScript compiler: the same one the repo builds with. */
export function workspaceTsc(root: string): string {
  return join(root, 'node_modules', 'typescript', 'bin', 'tsc');
}

/**
 * Why a target's types cannot be checked yet (its package missing, or not built), or undefined when they can:
 * the types entry that package.json names (exports `.` types, else `types`, else index.d.ts) must exist.
 */
export async function missingTypes(target: ConsumerTarget, nodeModules: string): Promise<string | undefined> {
  const packageDir = join(nodeModules, target.packageDir);
  const manifestPath = join(packageDir, 'package.json');
  if (!existsSync(manifestPath)) return `not measured: ${target.packageDir} not installed`;
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as {
    types?: string;
    exports?: { '.'?: { types?: string } };
  };
  const entry = manifest.exports?.['.']?.types ?? manifest.types ?? 'index.d.ts';
  return existsSync(join(packageDir, entry))
    ? undefined
    : `not measured yet: ${target.packageDir} not built (no ${entry})`;
}

/** One `tsc --noEmit` of a consumer project with the given skipLibCheck setting. */
export function checkConsumer(root: string, projectDir: string, skipLibCheck: boolean): Promise<TimedRun> {
  return runNodeTimed([workspaceTsc(root), '-p', tsconfigName(skipLibCheck)], { cwd: projectDir });
}

/**
 * Type-checks the same consumer file against each target, skipLibCheck on and off. Runs go round-robin over
 * targets and settings, so a burst of background load lands on all of them rather than on one. Each round
 * starts one target later than the one before, so no target always runs first after the setting changes.
 */
export async function benchTypecheck(options: TypecheckBenchOptions): Promise<TypecheckBenchResult> {
  const { root, workDir, targets, runs, log } = options;
  const nodeModules = join(root, 'node_modules');
  const notMeasured: TypecheckBenchResult['notMeasured'] = [];
  const active: { target: ConsumerTarget; dir: string; measure: TypecheckMeasure }[] = [];
  for (const target of targets) {
    const missing = await missingTypes(target, nodeModules);
    if (missing !== undefined) {
      notMeasured.push({ target, reason: missing });
      continue;
    }
    const dir = join(workDir, `consumer-${target.id}`);
    await rm(dir, { recursive: true, force: true });
    await writeConsumerProject(dir, target, nodeModules);
    // Untimed first run with library checks on: the consumer must compile before its time means anything.
    const first = await checkConsumer(root, dir, false);
    if (first.exitCode !== 0) {
      notMeasured.push({ target, reason: `failed: the consumer file does not type-check:\n${tail(first.output)}` });
      continue;
    }
    active.push({ target, dir, measure: { target, skipLibCheck: emptySamples(), checkLib: emptySamples() } });
  }
  for (let run = 0; run < runs; run += 1) {
    for (const skipLibCheck of [true, false]) {
      for (const { target, dir, measure } of rotated(active, run)) {
        const result = await checkConsumer(root, dir, skipLibCheck);
        if (result.exitCode !== 0)
          throw new Error(`tsc on the ${target.label} consumer failed on run ${run + 1}:\n${tail(result.output)}`);
        addSample(skipLibCheck ? measure.skipLibCheck : measure.checkLib, result);
      }
    }
    log(`  type-check round ${run + 1}/${runs} done`);
  }
  return { measured: active.map(({ measure }) => measure), notMeasured };
}

/** `items` starting at index `by` (modulo its length) and wrapping round: `rotated([a, b, c], 1)` is `[b, c, a]`. */
export function rotated<T>(items: readonly T[], by: number): T[] {
  if (items.length === 0) return [];
  const start = by % items.length;
  return [...items.slice(start), ...items.slice(0, start)];
}
