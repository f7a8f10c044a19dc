// The README opens with an example; this type-checks its first ```ts block as a user's strict project would,
// and runs it, unchanged, against the built package.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { checkAndRunExample, readmeExample } from '@nhs-fhir/fhir-codegen/testing';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);

describe('README', () => {
  it('opens with an example that type-checks and runs', async () => {
    const code = readmeExample(await readFile(join(import.meta.dirname, '..', 'README.md'), 'utf8'));
    expect(code).toContain('await sandbox.stop()');
    const result = await checkAndRunExample(
      join(import.meta.dirname, '..', '.tmp', 'readme'),
      code,
      require.resolve('typescript/bin/tsc'),
    );
    expect(result.diagnostics).toBe('');
    expect(result.stdout).toBe('200 W/"1" active\n');
  });
});
