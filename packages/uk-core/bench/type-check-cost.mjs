// Type-check cost of a consumer of the profile types (test/consumer/consumer.ts) against the same code
// written with the base model alone (test/consumer/base-consumer.ts): tsc 5.9 --extendedDiagnostics,
// median of several runs, both against the built packages (dist/*.d.ts) as a user's project sees them.
import { runNodeTimed } from '@nhs-fhir/bench';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
/** TypeScript 7 exports no `bin/tsc` subpath: found next to its package.json. */
const tsc7 = join(dirname(require.resolve('typescript-7/package.json')), 'bin', 'tsc');
const dir = join(import.meta.dirname, '..', 'test', 'consumer');
const RUNS = 7;

/**
 * One tsc run, started as a user starts it; its CPU time (user + system, all threads: less disturbed by other work
 * on the machine than wall-clock time) comes from the shell that waits for it (tools/bench/README.md).
 */
async function runOnce(project, bin = tsc) {
  const run = await runNodeTimed([bin, '-p', join(dir, project), '--extendedDiagnostics', '--pretty', 'false'], { cwd: dir });
  if (run.exitCode !== 0 || run.cpuMs === undefined) throw new Error(`tsc -p ${project} failed (exit ${run.exitCode}):\n${run.output}`);
  const value = (label) => Number(new RegExp(`^${label}:\\s+([\\d.]+)`, 'm').exec(run.output)?.[1]);
  return { cpu: run.cpuMs / 1000, check: value('Check time'), total: value('Total time'), types: value('Types'), instantiations: value('Instantiations'), files: value('Files') };
}

// interleaved, so that background load falls on both alike
const runs = { profile: [], base: [] };
for (let run = 0; run < RUNS; run++) {
  runs.base.push(await runOnce('tsconfig.base-only.json'));
  runs.profile.push(await runOnce('tsconfig.json'));
}
const medians = (list) => Object.fromEntries(Object.keys(list[0]).map((key) => [key, list.map((run) => run[key]).sort((a, b) => a - b)[Math.floor(list.length / 2)]]));
const profile = medians(runs.profile);
const base = medians(runs.base);
const row = (name, m) => `${name.padEnd(30)} cpu ${m.cpu.toFixed(3)} s  total ${m.total.toFixed(3)} s  check ${m.check.toFixed(3)} s  files ${m.files}  types ${m.types}  instantiations ${m.instantiations}`;
console.log(`type-check cost, TypeScript 5.9, skipLibCheck on, median of ${RUNS} runs`);
console.log(row('base only (@nhs-fhir/r4)', base));
console.log(row('profiles (@nhs-fhir/uk-core)', profile));
console.log(`ratio (CPU time of tsc, profiles / base only): ${(profile.cpu / base.cpu).toFixed(2)}x (goal <= 1.5x)`);
console.log(`ratio (tsc total time, wall-clock): ${(profile.total / base.total).toFixed(2)}x`);
console.log(`ratio (check phase only): ${(profile.check / base.check).toFixed(2)}x (${((profile.check - base.check) * 1000).toFixed(0)} ms more)`);

// TypeScript 7 (native): its wall-clock check and total times
const runs7 = { profile: [], base: [] };
for (let run = 0; run < RUNS; run++) {
  runs7.base.push(await runOnce('tsconfig.base-only.json', tsc7));
  runs7.profile.push(await runOnce('tsconfig.json', tsc7));
}
const profile7 = medians(runs7.profile);
const base7 = medians(runs7.base);
console.log(`TypeScript 7: base only total ${base7.total.toFixed(3)} s check ${base7.check.toFixed(3)} s; profiles total ${profile7.total.toFixed(3)} s check ${profile7.check.toFixed(3)} s; ratio (total) ${(profile7.total / base7.total).toFixed(2)}x`);
