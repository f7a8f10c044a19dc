import { type RunningSandbox, startSandbox } from '@nhs-fhir/sandbox';
import { runReadmeExample } from '@nhs-fhir/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxApi } from '../src/sandbox.js';

let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox(sandboxApi);
});
afterAll(async () => {
  await sandbox?.stop();
});

describe('README', () => {
  it('opens with an example that type-checks and runs (against the local sandbox)', async () => {
    const result = await runReadmeExample(new URL('..', import.meta.url).pathname, sandbox.url);
    expect(result.code).toContain('createPatientFlagsClient(');
    expect(result.diagnostics).toBe('');
    expect(result.stdout).toBe("[ 'RA-PatientFlag-Example' ]\n");
  });
});
