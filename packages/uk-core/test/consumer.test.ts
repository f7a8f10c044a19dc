import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { runTsc } from '@nhs-fhir/fhir-codegen';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
/** TypeScript 7 exports no `bin/tsc` subpath: find it next to its package.json. */
const tsc7 = join(dirname(require.resolve('typescript-7/package.json')), 'bin', 'tsc');
const project = join(import.meta.dirname, 'consumer', 'tsconfig.json');

/** The consumer file is checked against the built package (dist/*.d.ts), as a user's project sees it. */
describe.each([
  ['TypeScript 5.9', require.resolve('typescript/bin/tsc')],
  ['TypeScript 7', tsc7],
])('consumer check with %s', (_, tsc) => {
  it.each([
    ['skipLibCheck on', true],
    ['skipLibCheck off', false],
  ])('type-checks test/consumer/consumer.ts, every @ts-expect-error a real error (%s)', async (__, skipLibCheck) => {
    const result = await runTsc(tsc, project, ['--skipLibCheck', String(skipLibCheck)]);
    expect(result.output).toBe('');
    expect(result.exitCode).toBe(0);
  });
});
