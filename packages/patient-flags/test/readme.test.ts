import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { checkAndRunExample, readmeExample } from '@nhs-fhir/fhir-codegen';
import { type RunningSandbox, startSandbox } from '@nhs-fhir/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxApi } from '../src/sandbox.js';

const require = createRequire(import.meta.url);
let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox(sandboxApi);
});
afterAll(async () => {
  await sandbox?.stop();
});

describe('README', () => {
  it('opens with an example that type-checks and runs (against the local sandbox)', async () => {
    const code = readmeExample(await readFile(join(import.meta.dirname, '..', 'README.md'), 'utf8'));
    expect(code).toContain("createPatientFlagsClient({ environment: 'sandbox' })");
    const local = code.replace("{ environment: 'sandbox' }", `{ baseUrl: '${sandbox.url}' }`);
    const result = await checkAndRunExample(
      join(import.meta.dirname, '..', '.tmp', 'readme'),
      local,
      require.resolve('typescript/bin/tsc'),
    );
    expect(result.diagnostics).toBe('');
    expect(result.stdout).toBe("[ 'RA-PatientFlag-Example' ]\n");
  });
});
