import { join } from 'node:path';
import { runTsc, typeScriptCompilers } from '@nhs-fhir/fhir-codegen/testing';
import { describe, expect, it } from 'vitest';
import { GENERATED_PACKAGES } from './generated-packages.js';

const compilers = typeScriptCompilers(import.meta.url);

/**
 * Each consumer program (consumers/<package>/) is written as a user of the package would write it, and checked
 * against the built package (dist/*.d.ts), as a user's project sees it: each `@ts-expect-error` must be a real error.
 */
describe.each(GENERATED_PACKAGES)('$name: consumer program', ({ consumer }) => {
  const project = join(import.meta.dirname, '..', 'consumers', consumer, 'tsconfig.json');
  describe.concurrent.each(compilers)('with %s', (_, tsc) => {
    it.each([
      ['skipLibCheck on', true],
      ['skipLibCheck off', false],
    ])(`type-checks consumers/${consumer}, every @ts-expect-error a real error (%s)`, async (__, skipLibCheck) => {
      const result = await runTsc(tsc, project, ['--skipLibCheck', String(skipLibCheck)]);
      expect(result.output).toBe('');
      expect(result.exitCode).toBe(0);
    });
  });
});
