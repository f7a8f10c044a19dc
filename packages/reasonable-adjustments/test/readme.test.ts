import { type PrismServer, runReadmeExample, startPrism } from '@nhs-fhir/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let prism: PrismServer;

beforeAll(async () => {
  prism = await startPrism(new URL('../src/generated/proxy/openapi.bundle.json', import.meta.url).pathname);
});
afterAll(async () => {
  await prism?.stop();
});

describe('README', () => {
  it('opens with an example that type-checks and runs (against Prism on the real description)', async () => {
    const result = await runReadmeExample(new URL('..', import.meta.url).pathname, prism.url);
    expect(result.code).toContain('createRaProxyClient(');
    expect(result.diagnostics).toBe('');
    expect(result.stdout).toMatch(/^Bundle \d+\n$/);
    expect(prism.violations).toEqual([]);
  });
});
