import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { checkAndRunExample, readmeExample } from '@nhs-fhir/fhir-codegen';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PrismServer, startPrism } from '@nhs-fhir/testing';

const require = createRequire(import.meta.url);
let prism: PrismServer;

beforeAll(async () => {
  prism = await startPrism(new URL('../src/generated/openapi.bundle.json', import.meta.url).pathname);
});
afterAll(async () => {
  await prism?.stop();
});

describe('README', () => {
  it('opens with an example that type-checks and runs (against Prism on the real description)', async () => {
    const code = readmeExample(await readFile(join(import.meta.dirname, '..', 'README.md'), 'utf8'));
    expect(code).toContain("createPdsClient({ environment: 'sandbox' })");
    const local = code.replace("{ environment: 'sandbox' }", `{ baseUrl: '${prism.url}' }`);
    const result = await checkAndRunExample(
      join(import.meta.dirname, '..', '.tmp', 'readme'),
      local,
      require.resolve('typescript/bin/tsc'),
    );
    expect(result.diagnostics).toBe('');
    expect(result.stdout).toMatch(/^9000000009 Smith W\/"\d+"\n$/);
    expect(prism.violations).toEqual([]);
  });
});
