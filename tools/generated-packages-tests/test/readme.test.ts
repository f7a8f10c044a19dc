import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { checkAndRunExample, readmeExample } from '@nhs-fhir/fhir-codegen/testing';
import { describe, expect, it } from 'vitest';
import { GENERATED_PACKAGES } from './generated-packages.js';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const root = join(import.meta.dirname, '..', '..', '..');

describe.concurrent.each(GENERATED_PACKAGES)('$name: README', ({ dir, readme }) => {
  it(`starts with a ${readme.lines}-line example that type-checks and prints what it says`, async () => {
    const code = readmeExample(await readFile(join(root, dir, 'README.md'), 'utf8'));
    expect(code.trimEnd().split('\n')).toHaveLength(readme.lines);
    const result = await checkAndRunExample(join(import.meta.dirname, '..', '.tmp', dir, 'readme'), code, tsc);
    expect(result.diagnostics).toBe('');
    expect(result.stdout).toBe(readme.prints);
  });
});
