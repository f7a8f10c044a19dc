#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { progressQuiet, progressReporter } from '@nhs-fhir/fhir-codegen';
import { SpecError } from '@nhs-fhir/specs';
import { printOperationsModel } from './model/operations-model.js';
import { generateClient } from './pipeline/generate-client.js';

const USAGE = `usage: nhs-fhir-api-codegen <command>

  client <api>        generate the typed client of an API from its description and its overlay
                      (specs/apis/<api>.json) into the folder the overlay names, in one swap;
                      prints every place the overlay overrides the description
  model <api>         print the API's operations model as JSON (nothing written)

  --quiet, -q         no progress on stderr (also under CI=true); otherwise one line per stage`;

export async function runApiCodegenCli(argv: string[]): Promise<number> {
  const options = { help: { type: 'boolean', short: 'h' }, quiet: { type: 'boolean', short: 'q' } } as const;
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; options: typeof options }>>;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options });
  } catch (error) {
    console.error(`nhs-fhir-api-codegen: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const [command, api, ...rest] = parsed.positionals;
  if (parsed.values.help || command === undefined) {
    console.log(USAGE);
    return command === undefined && !parsed.values.help ? 2 : 0;
  }
  if ((command !== 'client' && command !== 'model') || api === undefined || rest.length > 0) {
    console.error(`nhs-fhir-api-codegen: expected 'client <api>' or 'model <api>'\n${USAGE}`);
    return 2;
  }
  try {
    const onProgress = progressReporter({ label: api, quiet: progressQuiet(parsed.values.quiet) });
    const generated = await generateClient({ api, dryRun: command === 'model', onProgress });
    if (command === 'model') {
      process.stdout.write(printOperationsModel(generated.model));
      return 0;
    }
    const { model } = generated;
    console.log(
      `${model.api}: ${model.operations.length} operations from ${model.source.input} -> ${generated.outDir}`,
    );
    for (const override of model.overrides) {
      console.log(`  overlay ${override.source} ${override.operation} ${override.field}: ${override.why}`);
    }
    return 0;
  } catch (error) {
    if (error instanceof SpecError) {
      console.error(`nhs-fhir-api-codegen: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*\/dist\//, '/dist/'))) {
  process.exitCode = await runApiCodegenCli(process.argv.slice(2));
}
