// A client package's README opens with an example that calls `environment: 'sandbox'`. Its test runs that
// example as a user would (type-checked, then run with Node against the built package), pointed at a local
// server instead: Prism on the real description, or the project's sandbox.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { checkAndRunExample, readmeExample } from '@nhs-fhir/fhir-codegen/testing';

const SANDBOX = "{ environment: 'sandbox' }";

export interface ReadmeRun {
  /** The README's first ```ts block, as written. */
  readonly code: string;
  /** tsc's output for it (empty when it type-checks). */
  readonly diagnostics: string;
  readonly stdout: string;
}

/** Runs the README example of the package in `packageDir` with its sandbox environment replaced by `baseUrl`. */
export async function runReadmeExample(packageDir: string, baseUrl: string): Promise<ReadmeRun> {
  const code = readmeExample(await readFile(join(packageDir, 'README.md'), 'utf8'));
  if (!code.includes(SANDBOX)) throw new Error(`${packageDir}/README.md: the example does not use ${SANDBOX}`);
  const tsc = createRequire(join(packageDir, 'package.json')).resolve('typescript/bin/tsc');
  const local = code.replace(SANDBOX, `{ baseUrl: '${baseUrl}' }`);
  const result = await checkAndRunExample(join(packageDir, '.tmp', 'readme'), local, tsc);
  return { code, ...result };
}
