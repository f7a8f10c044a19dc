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
  // The guide's CareTeam example names no patient: give it the example patient's NHS number.
  const seed = sandboxApi.seed.map((resource) =>
    (resource as { resourceType?: string }).resourceType === 'CareTeam'
      ? { ...resource, subject: { identifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9912003888' } } }
      : resource,
  );
  sandbox = await startSandbox({ ...sandboxApi, seed });
});
afterAll(async () => {
  await sandbox?.stop();
});

describe('README', () => {
  it('opens with an example that type-checks and runs (against the local sandbox)', async () => {
    const code = readmeExample(await readFile(join(import.meta.dirname, '..', 'README.md'), 'utf8'));
    expect(code).toContain("createCpisClient({ environment: 'sandbox' })");
    const local = code.replace("{ environment: 'sandbox' }", `{ baseUrl: '${sandbox.url}' }`);
    const result = await checkAndRunExample(
      join(import.meta.dirname, '..', '.tmp', 'readme'),
      local,
      require.resolve('typescript/bin/tsc'),
    );
    expect(result.diagnostics).toBe('');
    expect(result.stdout).toBe("1 [ 'SFD1 - SHEFFIELD CITY COUNCIL' ]\n");
  });
});
