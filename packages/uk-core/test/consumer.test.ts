import { join } from 'node:path';
import { runTsc, typeScriptCompilers } from '@nhs-fhir/fhir-codegen/testing';
import { describe, expect, it } from 'vitest';

const project = join(import.meta.dirname, 'consumer', 'tsconfig.json');

/** The consumer file is checked against the built package (dist/*.d.ts), as a user's project sees it. */
describe.each(typeScriptCompilers(import.meta.url))('consumer check with %s', (_, tsc) => {
  it.each([
    ['skipLibCheck on', true],
    ['skipLibCheck off', false],
  ])('type-checks test/consumer/consumer.ts, every @ts-expect-error a real error (%s)', async (__, skipLibCheck) => {
    const result = await runTsc(tsc, project, ['--skipLibCheck', String(skipLibCheck)]);
    expect(result.output).toBe('');
    expect(result.exitCode).toBe(0);
  });
});
