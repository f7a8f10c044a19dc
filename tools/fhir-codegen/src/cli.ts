#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { SpecError, defaultSpecPaths, writeFileAtomic } from '@nhs-fhir/specs';
import { formatInventory } from './inventory-report.js';
import { loadWorkspaceSpecs } from './load/workspace-specs.js';
import { runPipelineTo } from './pipeline/run-pipeline.js';
import { progressQuiet, progressReporter } from './pipeline/progress.js';
import { formatTimes } from './pipeline/stage-times.js';

const USAGE = `usage: nhs-fhir-codegen <command> [--quiet]

  inventory [--frozen]   sync the specs, load every FHIR package with its dependencies and every
                         OpenAPI description, and print what was loaded
  emit <id#version> --out <dir> [--frozen] [--model <file>] [--choices optional|one-of] [--validation]
                         generate the base model of a FHIR core package: one TypeScript file per
                         resource and datatype, written to <dir> in one swap (relative to the
                         workspace root); --model also writes the type model as JSON; --validation
                         also writes the base types' validator tables (validation-tables.ts), which
                         the profile packages' validate() reads
  emit-profiles <id#version>[,<id#version>...] --base <package> --out <dir> [--frozen] [--validation]
                [--base-tables <file>]
                         generate profile types (one file per profile, guards, extension and slice
                         helpers) for the profiles of the listed packages, in the closure of the
                         first; derived from the base model package (@nhs-fhir/r4, @nhs-fhir/stu3);
                         --validation also compiles validator tables and emits validate(), as a
                         layer over the base package's tables: read from --base-tables (its
                         generated validation-tables.ts), else compiled here first
  rollup-declarations <entry.d.ts> --out <file.d.ts>
                         write every declaration that <entry.d.ts> re-exports from the package's own
                         declaration files (export * from './x.js') into one file, for a package's
                         types entry (paths relative to the current directory)

  emit and emit-profiles print each stage's progress to stderr (one line per stage; on a terminal also the
  stage running); --quiet, or CI=true in the environment, turns that off.`;

export async function runCodegenCli(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      frozen: { type: 'boolean' },
      base: { type: 'string' },
      'base-tables': { type: 'string' },
      validation: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      out: { type: 'string' },
      model: { type: 'string' },
      choices: { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
    },
  });
  const [command] = positionals;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (command === 'inventory') {
    const paths = defaultSpecPaths();
    // CI never pins anything new: the committed lock is the whole truth there.
    const specs = await loadWorkspaceSpecs(paths, values.frozen || process.env['CI'] === 'true' ? 'frozen' : 'sync');
    const fetched = specs.sync.inputs.filter((input) => input.status !== 'cached');
    console.log(
      `spec sync: ${specs.sync.inputs.length} inputs, ${fetched.length} fetched ` +
        `(mirror: ${paths.mirror ?? 'none'}, cache: ${paths.cache})`,
    );
    console.log(formatInventory(specs));
    return 0;
  }
  if (command === 'emit') {
    const key = positionals[1];
    if (key === undefined || values.out === undefined) {
      console.error(USAGE);
      return 2;
    }
    if (values.choices !== undefined && values.choices !== 'optional' && values.choices !== 'one-of') {
      console.error(`--choices must be optional or one-of, not ${values.choices}`);
      return 2;
    }
    const started = performance.now();
    const { graph, model, files, times } = await runPipelineTo(
      values.out,
      {
        kind: 'types',
        package: key,
        validation: values.validation === true,
        ...(values.choices === undefined ? {} : { choices: values.choices }),
      },
      {
        mode: values.frozen ? 'frozen' : 'sync',
        onProgress: progressReporter({ label: key, quiet: progressQuiet(values.quiet) }),
        ...(values.model === undefined ? {} : { modelJson: values.model }),
      },
    );
    console.log(
      `emit ${graph.root.key}: ${model!.resources.length} resources, ${model!.complexTypes.length} datatypes, ` +
        `${model!.primitives.length} primitives -> ${files.size} files in ${values.out} ` +
        `(${formatTimes(times)}, total ${Math.round(performance.now() - started)} ms)`,
    );
    return 0;
  }
  if (command === 'emit-profiles') {
    const sources = positionals[1]?.split(',');
    if (sources === undefined || sources[0] === undefined || values.out === undefined || values.base === undefined) {
      console.error(USAGE);
      return 2;
    }
    const started = performance.now();
    const { profiles, files, times } = await runPipelineTo(
      values.out,
      {
        kind: 'profiles',
        sources,
        basePackage: values.base,
        validation: values.validation === true,
        ...(values['base-tables'] === undefined ? {} : { baseTables: values['base-tables'] }),
      },
      {
        mode: values.frozen ? 'frozen' : 'sync',
        onProgress: progressReporter({ label: sources.join(' + '), quiet: progressQuiet(values.quiet) }),
      },
    );
    const generated = profiles!;
    for (const { url, reason } of generated.skipped) console.log(`no type for ${url}: ${reason}`);
    console.log(
      `emit-profiles ${sources.join(' + ')}: ${generated.models.length} profiles, ${generated.support.length} ` +
        `supporting extension types, ${generated.skipped.length} without a type -> ${files.size} files in ` +
        `${values.out} (${formatTimes(times)}, total ${Math.round(performance.now() - started)} ms)`,
    );
    return 0;
  }
  if (command === 'rollup-declarations') {
    const entry = positionals[1];
    if (entry === undefined || values.out === undefined) {
      console.error(USAGE);
      return 2;
    }
    // loaded here only: it brings the TypeScript compiler, which no generate command needs
    const { rollupDeclarations } = await import('./emit/rollup-declarations.js');
    const header =
      '// Generated by @nhs-fhir/fhir-codegen rollup-declarations from the declaration files tsc wrote. ' +
      'Do not edit: run the build.';
    await writeFileAtomic(resolve(values.out), await rollupDeclarations(resolve(entry), header));
    return 0;
  }
  console.error(USAGE);
  return 2;
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*\/dist\//, '/dist/'))) {
  runCodegenCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`error: ${error instanceof SpecError || error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
