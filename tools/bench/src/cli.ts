#!/usr/bin/env node
// npm run bench: how our generator and our R4 types compare with their anchors, as ratios from one run.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchCodegen, R4_CORE } from './codegen-bench.js';
import { CONSUMER_TARGETS } from './consumer.js';
import { benchProfileTypecheck } from './profile-typecheck.js';
import { formatCodegenReport, formatProfileReport, formatTypecheckReport } from './report.js';
import { benchTypecheck } from './typecheck-bench.js';
import { findWorkspaceRoot } from './workspace.js';

const USAGE = `usage: node tools/bench/dist/cli.js [--only codegen|typecheck|profiles] [--codegen-runs N]
         [--typecheck-runs N] [--profile-runs N] [--quiet]

  codegen     time our generator and @atomic-ehr/codegen on all of ${R4_CORE.name}#${R4_CORE.version}
              (default 3 runs each)
  typecheck   time tsc --noEmit of one consumer file against @nhs-fhir/r4, @types/fhir and @medplum/fhirtypes,
              skipLibCheck on and off (default 10 runs each)
  profiles    time tsc on the UK Core consumer against the same tasks with @nhs-fhir/r4 only, TypeScript 5.9
              and 7 (default 7 runs each)`;

const SECTIONS = ['codegen', 'typecheck', 'profiles'] as const;

function positiveInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`${name} must be a positive integer, got ${value}`);
  return parsed;
}

export async function runBenchCli(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: 'string' },
      'codegen-runs': { type: 'string' },
      'typecheck-runs': { type: 'string' },
      'profile-runs': { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.only !== undefined && !(SECTIONS as readonly string[]).includes(values.only)) {
    console.error(USAGE);
    return 2;
  }
  const codegenRuns = positiveInteger('--codegen-runs', values['codegen-runs'], 3);
  const typecheckRuns = positiveInteger('--typecheck-runs', values['typecheck-runs'], 10);
  const profileRuns = positiveInteger('--profile-runs', values['profile-runs'], 7);
  const wanted = (section: (typeof SECTIONS)[number]): boolean => values.only === undefined || values.only === section;
  const root = findWorkspaceRoot();
  const tscVersion = (
    JSON.parse(await readFile(join(root, 'node_modules', 'typescript', 'package.json'), 'utf8')) as { version: string }
  ).version;
  const log = values.quiet ? (): void => {} : (line: string): void => console.log(line);
  const workDir = await mkdtemp(join(tmpdir(), 'nhs-fhir-bench-'));
  const started = performance.now();
  const sections: string[] = [];
  let failed = false;
  try {
    console.log(`nhs-fhir bench: Node ${process.version}, ${availableParallelism()} CPUs, ${new Date().toISOString()}`);
    if (wanted('codegen')) {
      log(`generation (${codegenRuns} runs each):`);
      const codegen = await benchCodegen({ root, workDir: join(workDir, 'codegen'), runs: codegenRuns, log });
      failed ||= codegen.notMeasured.some(({ reason }) => reason.startsWith('failed'));
      sections.push(formatCodegenReport(codegen, `${R4_CORE.name}#${R4_CORE.version}`));
    }
    if (wanted('typecheck')) {
      log(`type-check (${typecheckRuns} rounds):`);
      const typecheck = await benchTypecheck({
        root,
        workDir: join(workDir, 'typecheck'),
        targets: CONSUMER_TARGETS,
        runs: typecheckRuns,
        log,
      });
      failed ||= typecheck.notMeasured.some(({ reason }) => reason.startsWith('failed'));
      sections.push(formatTypecheckReport(typecheck, 'nhs-fhir', tscVersion));
    }
    if (wanted('profiles')) {
      log(`profile type-check (${profileRuns} rounds per compiler):`);
      sections.push(formatProfileReport(await benchProfileTypecheck({ root, runs: profileRuns, log })));
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
  console.log(`\n${sections.join('\n\n')}\n\nbench took ${Math.round((performance.now() - started) / 1000)} s`);
  return failed ? 1 : 0;
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*\/dist\//, '/dist/'))) {
  runBenchCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
