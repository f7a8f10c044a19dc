import { type RunningSandbox, startSandbox } from '@nhs-fhir/sandbox';
import { runReadmeExample } from '@nhs-fhir/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxApi } from '../src/sandbox.js';

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
    const result = await runReadmeExample(new URL('..', import.meta.url).pathname, sandbox.url);
    expect(result.code).toContain('createCpisClient(');
    expect(result.diagnostics).toBe('');
    expect(result.stdout).toBe("1 [ 'SFD1 - SHEFFIELD CITY COUNCIL' ]\n");
  });
});
