import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runNodeTimed, tail, type TimedRun } from './run-process.js';
import { addSample, emptySamples, formatMs, median, type Samples } from './stats.js';

/** The package both generators turn into TypeScript. */
export const R4_CORE = { name: 'hl7.fhir.r4.core', version: '4.0.1' } as const;

/** The generated profile packages whose `generate` commands are timed against R4 core's (issue 12: each within 2x). */
export const PROFILE_PACKAGES = ['uk-core', 'nhs-england', 'reasonable-adjustments-stu3'] as const;

export interface GeneratorMeasure {
  label: string;
  /** Wall-clock and CPU times, one per run. */
  samples: Samples;
  /** TypeScript files written by the last run. */
  files: number;
  /** Warnings the tool printed, as it summarises them (the anchor only). */
  warnings?: string;
  /** Median milliseconds per pipeline stage, as our CLI prints them (`load 120 ms, model 80 ms, ...`; ours only). */
  stages?: string;
}

/** The stage times our CLI prints in its summary line: `(load 4490 ms, model 135 ms, ..., total 8240 ms)`. */
export function stageTimes(output: string): Map<string, number> | undefined {
  const found = /\(((?:[a-z]+ \d+ ms, )+)total \d+ ms\)/.exec(output);
  if (found === null) return undefined;
  const times = new Map<string, number>();
  for (const part of found[1]!.split(', ')) {
    const [stage, ms] = part.split(' ');
    if (stage !== undefined && stage !== '' && ms !== undefined) times.set(stage, Number(ms));
  }
  return times;
}

/** `load 4490 ms, model 135 ms, ...`: the median of each stage over the runs. */
export function medianStages(runs: readonly Map<string, number>[]): string | undefined {
  if (runs.length === 0) return undefined;
  return [...runs[0]!.keys()]
    .map((stage) => `${stage} ${Math.round(median(runs.map((run) => run.get(stage) ?? 0)))} ms`)
    .join(', ');
}

/** A row that could not be measured, with the reason printed in its place. */
export interface NotMeasured {
  label: string;
  reason: string;
}

export interface CodegenBenchResult {
  measured: GeneratorMeasure[];
  notMeasured: NotMeasured[];
  /** Our `generate` of each profile package (`packages/<folder>`), in the same runs; compared with ours on R4 core. */
  profilePackages?: GeneratorMeasure[];
}

export interface CodegenBenchOptions {
  root: string;
  /** A scratch folder this bench owns; outputs and the anchor's cache go under it. */
  workDir: string;
  /** Timed runs of each generator after its first (ours: untimed; the anchor's: reported on its own). */
  runs: number;
  log: (line: string) => void;
}

/** Where the synced FHIR packages live: the same rule as tools/specs (FHIR_PACKAGE_CACHE, else .fhir-packages). */
export function fhirPackageDir(root: string, env: NodeJS.ProcessEnv = process.env): string {
  const cache = resolve(env['FHIR_PACKAGE_CACHE'] || join(root, '.fhir-packages'));
  return join(cache, `${R4_CORE.name}#${R4_CORE.version}`, 'package');
}

/**
 * Our generator's command line for a package (R4 unless `folder` names another under packages/), taken from its
 * `generate` target so the bench runs what `npm run generate` runs, with `--out` pointed at `outDir`; a reason
 * instead when it cannot be run yet. For R4, compared with the anchor, `--validation` is left out (types only, as the
 * anchor emits); the profile packages run their whole command, tables included.
 */
export async function oursGenerateCommand(
  root: string,
  outDir: string,
  folder = 'r4',
): Promise<{ args: string[] } | { reason: string }> {
  const manifestPath = join(root, 'packages', folder, 'package.json');
  if (!existsSync(manifestPath)) return { reason: `not measured yet: packages/${folder} does not exist` };
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as {
    nx?: { targets?: { generate?: { command?: unknown; options?: { command?: unknown; args?: unknown } } } };
  };
  const target = manifest.nx?.targets?.generate;
  // Either `command` alone, or nx:run-commands `options.command` with its `args` appended (as Nx runs them).
  const base = target?.command ?? target?.options?.command;
  const extra = target?.options?.args;
  if (typeof base !== 'string') return { reason: `not measured yet: packages/${folder} has no generate command` };
  const command = Array.isArray(extra) ? [base, ...extra.map(String)].join(' ') : base;
  const words = command.trim().split(/\s+/);
  const outIndex = words.indexOf('--out');
  if (words[0] !== 'node' || outIndex < 0 || outIndex + 1 >= words.length) {
    return { reason: `not measured: cannot read the generate command of packages/${folder} (${command})` };
  }
  const script = words[1];
  if (script === undefined || !existsSync(join(root, script)))
    return { reason: `not measured yet: ${script ?? 'the generator'} not built` };
  words[outIndex + 1] = outDir;
  // The anchor emits types only: the base validator tables that --validation adds are left out of the comparison.
  return { args: folder === 'r4' ? words.slice(1).filter((word) => word !== '--validation') : words.slice(1) };
}

/** How many .ts files a generator wrote, in all subfolders. */
export async function countTsFiles(dir: string): Promise<number> {
  if (!existsSync(dir)) return 0;
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile() && entry.name.endsWith('.ts')).length;
}

/** The anchor's own summary of its warnings: `625 warnings (#fieldTypeNotFound: 556, ...)`. */
export function anchorWarnings(output: string): string | undefined {
  const summaries = [...output.matchAll(/(\d+) warnings \(([^)]*)\)/g)];
  const last = summaries.at(-1);
  return last === undefined ? undefined : `${last[1]} warnings (${last[2]})`;
}

function formatRun(run: TimedRun): string {
  return `${formatMs(run.ms)} (CPU ${run.cpuMs === undefined ? '?' : formatMs(run.cpuMs)})`;
}

function failure(label: string, run: TimedRun): Error {
  return new Error(`${label} exited with ${run.exitCode}:\n${tail(run.output)}`);
}

/**
 * Times our generator and the anchor on all of R4 core, interleaved so that background load on the
 * machine falls on both alike. The anchor's first run (empty cache: copy and index the package) is kept
 * apart from its later runs (cache filled), because our generator reads an already-synced package cache too.
 * A tool that fails is reported with its error in place of a time; the other is still measured.
 */
export async function benchCodegen(options: CodegenBenchOptions): Promise<CodegenBenchResult> {
  const { root, workDir, runs, log } = options;
  const notMeasured: NotMeasured[] = [];
  const oursLabel = '@nhs-fhir/fhir-codegen emit';
  const anchorLabel = '@atomic-ehr/codegen';
  const oursOut = join(workDir, 'ours-out');
  const anchorOut = join(workDir, 'anchor-out');
  const anchorCwd = join(workDir, 'anchor-work');
  const runner = join(dirname(fileURLToPath(import.meta.url)), 'atomic-codegen-runner.js');
  const packageDir = fhirPackageDir(root);
  const anchorArgs = [
    runner,
    '--package-dir',
    packageDir,
    '--name',
    R4_CORE.name,
    '--version',
    R4_CORE.version,
    '--out',
    anchorOut,
  ];
  // npm offline: should the anchor's package manager ever be asked to install something, it fails instead of fetching.
  const anchorEnv = { ...process.env, npm_config_offline: 'true' };

  const ours = await oursGenerateCommand(root, oursOut);
  let oursArgs: string[] | undefined = 'args' in ours ? ours.args : undefined;
  if ('reason' in ours) notMeasured.push({ label: oursLabel, reason: ours.reason });
  const oursSamples = emptySamples();
  const runOurs = async (): Promise<TimedRun | undefined> => {
    if (oursArgs === undefined) return undefined;
    const run = await runNodeTimed(oursArgs, { cwd: root });
    if (run.exitCode !== 0) {
      notMeasured.push({ label: oursLabel, reason: `failed: ${failure(oursLabel, run).message}` });
      oursArgs = undefined;
      return undefined;
    }
    log(`  ${oursLabel}: ${formatRun(run)}`);
    return run;
  };
  // Untimed first run: it syncs the package cache if needed, which the anchor reads too.
  await runOurs();

  let anchorActive = existsSync(runner) && existsSync(join(packageDir, 'package.json'));
  if (!existsSync(runner)) notMeasured.push({ label: anchorLabel, reason: `not measured: ${runner} not built` });
  else if (!anchorActive)
    notMeasured.push({ label: anchorLabel, reason: `not measured: ${packageDir} missing (npm run specs -- sync)` });
  const runAnchor = async (): Promise<TimedRun | undefined> => {
    if (!anchorActive) return undefined;
    const run = await runNodeTimed(anchorArgs, { cwd: anchorCwd, env: anchorEnv });
    if (run.exitCode !== 0) {
      notMeasured.push({ label: anchorLabel, reason: `failed: ${failure(anchorLabel, run).message}` });
      anchorActive = false;
      return undefined;
    }
    log(`  ${anchorLabel}: ${formatRun(run)}`);
    return run;
  };
  await rm(anchorCwd, { recursive: true, force: true });
  await mkdir(anchorCwd, { recursive: true });
  const anchorFirst = await runAnchor();
  const anchorFirstFiles = await countTsFiles(anchorOut);

  const profileRunners = await Promise.all(
    PROFILE_PACKAGES.map((folder) => profilePackageRunner(root, join(workDir, `${folder}-out`), folder, log)),
  );
  for (const runner of profileRunners) await runner.run(); // untimed, as ours on R4

  const anchorSamples = emptySamples();
  const oursStages: Map<string, number>[] = [];
  let anchorLast: TimedRun | undefined;
  for (let i = 0; i < runs; i += 1) {
    const anchorRun = await runAnchor();
    if (anchorRun !== undefined) {
      addSample(anchorSamples, anchorRun);
      anchorLast = anchorRun;
    }
    const oursRun = await runOurs();
    if (oursRun !== undefined) {
      addSample(oursSamples, oursRun);
      const stages = stageTimes(oursRun.output);
      if (stages !== undefined) oursStages.push(stages);
    }
    for (const runner of profileRunners) {
      const run = await runner.run();
      if (run !== undefined) runner.add(run);
    }
  }

  const measured: GeneratorMeasure[] = [];
  if (oursArgs !== undefined && oursSamples.wall.length > 0) {
    const stages = medianStages(oursStages);
    measured.push({
      label: oursLabel,
      samples: oursSamples,
      files: await countTsFiles(oursOut),
      ...(stages === undefined ? {} : { stages }),
    });
  }
  if (anchorActive && anchorLast !== undefined) {
    const warnings = anchorWarnings(anchorLast.output);
    measured.push({
      label: `${anchorLabel}, cache filled`,
      samples: anchorSamples,
      files: await countTsFiles(anchorOut),
      ...(warnings === undefined ? {} : { warnings }),
    });
  }
  if (anchorFirst !== undefined)
    measured.push({
      label: `${anchorLabel}, first run (empty cache)`,
      samples: { wall: [anchorFirst.ms], cpu: anchorFirst.cpuMs === undefined ? [] : [anchorFirst.cpuMs] },
      files: anchorFirstFiles,
    });
  const profilePackages: GeneratorMeasure[] = [];
  for (const runner of profileRunners) {
    notMeasured.push(...runner.notMeasured);
    const measure = await runner.measure();
    if (measure !== undefined) profilePackages.push(measure);
  }
  return { measured, notMeasured, profilePackages };
}

/** Runs and samples our `generate` of one profile package; a failure is reported, not thrown. */
async function profilePackageRunner(root: string, outDir: string, folder: string, log: (line: string) => void) {
  const label = `@nhs-fhir/${folder} generate`;
  const notMeasured: NotMeasured[] = [];
  const command = await oursGenerateCommand(root, outDir, folder);
  let args = 'args' in command ? command.args : undefined;
  if ('reason' in command) notMeasured.push({ label, reason: command.reason });
  const samples = emptySamples();
  const stages: Map<string, number>[] = [];
  return {
    notMeasured,
    async run(): Promise<TimedRun | undefined> {
      if (args === undefined) return undefined;
      const run = await runNodeTimed(args, { cwd: root });
      if (run.exitCode !== 0) {
        notMeasured.push({ label, reason: `failed: ${failure(label, run).message}` });
        args = undefined;
        return undefined;
      }
      log(`  ${label}: ${formatRun(run)}`);
      return run;
    },
    add(run: TimedRun): void {
      addSample(samples, run);
      const times = stageTimes(run.output);
      if (times !== undefined) stages.push(times);
    },
    async measure(): Promise<GeneratorMeasure | undefined> {
      if (args === undefined || samples.wall.length === 0) return undefined;
      const median = medianStages(stages);
      return { label, samples, files: await countTsFiles(outDir), ...(median === undefined ? {} : { stages: median }) };
    },
  };
}
