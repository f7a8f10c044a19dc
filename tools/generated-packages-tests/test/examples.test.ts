import { createRequire } from 'node:module';
import { join } from 'node:path';
import { runTsc, writeProfileExampleChecks } from '@nhs-fhir/fhir-codegen/testing';
import { describe, expect, it } from 'vitest';
import { loadExamples } from './example-sources.js';
import { GENERATED_PACKAGES } from './generated-packages.js';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/**
 * Each example is written as a constant of the type it is checked as: the first profile of its `meta.profile` the
 * package has a type for, else its base resource type (always the base type for @nhs-fhir/r4 and @nhs-fhir/stu3).
 */
describe.concurrent.each(GENERATED_PACKAGES)('$name: examples', (row) => {
  const title = 'wraps each example in a constant of its profile type (else its base type) and tsc accepts all of them';
  it(title, async () => {
    const profileTypeNames = (await row.profiles?.())?.profileTypeNames ?? {};
    const { resourceTypes } = await row.base.load();
    const examples = await loadExamples(row.examples, row.examples.excluded, profileTypeNames);
    const dir = join(import.meta.dirname, '..', '.tmp', row.dir, 'examples');
    const files = await writeProfileExampleChecks(
      dir,
      row.name,
      row.base.name,
      profileTypeNames,
      new Set(resourceTypes),
      examples,
    );
    expect(files.unknownType).toEqual([]);
    const counted = files.written.filter((written) => row.examples.written.counted(written.type)).length;
    if ('exactly' in row.examples.written) expect(counted).toBe(row.examples.written.exactly);
    else expect(counted).toBeGreaterThanOrEqual(row.examples.written.atLeast);
    const result = await runTsc(tsc, join(dir, 'tsconfig.json'));
    const bySource = new Map(files.written.map((written) => [written.file, `${written.source} as ${written.type}`]));
    const errors = result.output
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => line.replace(/^\S*(example-\d+\.ts)/, (_, file: string) => bySource.get(file) ?? file));
    expect(errors).toEqual([]);
    expect(result.exitCode).toBe(0);
  });
});
