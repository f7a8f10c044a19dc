import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { checkAndRunExample, readmeExample } from '@nhs-fhir/fhir-codegen/testing';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);

describe('README', () => {
  it('starts with a five-line example that type-checks and prints what it says', async () => {
    const code = readmeExample(await readFile(join(import.meta.dirname, '..', 'README.md'), 'utf8'));
    expect(code.trimEnd().split('\n')).toHaveLength(5);
    const result = await checkAndRunExample(
      join(import.meta.dirname, '..', '.tmp', 'readme'),
      code,
      require.resolve('typescript/bin/tsc'),
    );
    expect(result.diagnostics).toBe('');
    expect(result.stdout).toBe('Quiet room 0\n');
  });
});
