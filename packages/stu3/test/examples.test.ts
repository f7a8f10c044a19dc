import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { runTsc, writeExampleChecks, type ExampleInput } from '@nhs-fhir/fhir-codegen/testing';
import { defaultSpecPaths, fhirPackageCacheDir, syncSpecs } from '@nhs-fhir/specs';
import { describe, expect, it } from 'vitest';
import { resourceTypes } from '../src/index.js';

const RARECORD = ['nhsconnect.stu3.rarecord', '0.0.0-develop.4543c05'] as const;
/** The Spine Reasonable Adjustments documentation examples, read from the mirror (they are not in any package). */
const SPINE_EXAMPLES = 'examples/reasonable-adjustments-stu3-spine';

/**
 * Examples that are not valid STU3 as published (see the mirror's PROVENANCE.md, "Invalid upstream
 * examples"), each with the reason; every other example must type-check.
 */
const EXCLUDED: Record<string, string> = {
  [`${SPINE_EXAMPLES}/design/usecaseexamples/RemoveRARecord-OperationOutcome.json`]:
    'meta.profile is a string; STU3 Meta.profile is a list (0..*)',
  [`${SPINE_EXAMPLES}/explore/resourceexamples/CareConnect-RARecord-Condition-1-example1.json`]:
    'no subject; STU3 Condition.subject is 1..1',
  [`${SPINE_EXAMPLES}/explore/resourceexamples/CareConnect-RARecord-Condition-1-example2.json`]:
    'no subject; STU3 Condition.subject is 1..1',
  [`${SPINE_EXAMPLES}/explore/resourceexamples/RARecord-Consent-1-example-1.json`]:
    'no patient; STU3 Consent.patient is 1..1',
  [`${SPINE_EXAMPLES}/explore/resourceexamples/RARecord-Consent-1-example-2.json`]:
    'no patient; STU3 Consent.patient is 1..1',
  [`${SPINE_EXAMPLES}/explore/resourceexamples/RARecord-Flag-1-example-1.json`]:
    'no subject; STU3 Flag.subject is 1..1',
};

/**
 * DSTU2 JSON carried XML comments as `fhir_comments`; STU3 dropped the property. The Spine examples
 * still have it (converted from commented XML): it is removed before the check, so that the rest of
 * their content is checked rather than the whole file excluded.
 */
function withoutFhirComments(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutFhirComments);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'fhir_comments')
      .map(([key, child]) => [key, withoutFhirComments(child)]),
  );
}

const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');

async function jsonFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json') && !entry.name.startsWith('.'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

async function loadExamples(): Promise<ExampleInput[]> {
  const paths = defaultSpecPaths();
  // a no-op when the cache matches the lock; fills it when only the Nx cache restored the generated code
  await syncSpecs({ paths, only: [RARECORD.join('#')] });
  const sources: [source: string, file: string][] = [];
  const packageDir = join(fhirPackageCacheDir(paths.cache, ...RARECORD), 'package', 'example');
  for (const file of await jsonFiles(packageDir))
    sources.push([`${RARECORD.join('#')}/package/example/${relative(packageDir, file)}`, file]);
  if (paths.mirror !== undefined) {
    const spineDir = join(paths.mirror, SPINE_EXAMPLES);
    for (const file of await jsonFiles(spineDir)) sources.push([`${SPINE_EXAMPLES}/${relative(spineDir, file)}`, file]);
  }
  const examples: ExampleInput[] = [];
  for (const [source, file] of sources) {
    if (source in EXCLUDED) continue;
    examples.push({
      source,
      json: withoutFhirComments(JSON.parse(await readFile(file, 'utf8'))) as Record<string, unknown>,
    });
  }
  return examples;
}

describe('STU3 examples that are valid STU3 type-check as @nhs-fhir/stu3 types', () => {
  it('wraps each example in a typed constant and tsc accepts all of them', async () => {
    const examples = await loadExamples();
    const dir = join(import.meta.dirname, '..', '.tmp', 'examples');
    const files = await writeExampleChecks(dir, '@nhs-fhir/stu3', new Set(resourceTypes), examples);
    expect(files.unknownType).toEqual([]);
    expect(files.written.length).toBe(12 + 48 - Object.keys(EXCLUDED).length);
    const result = await runTsc(tsc, join(dir, 'tsconfig.json'));
    const bySource = new Map(files.written.map((written) => [written.file, written.source]));
    const errors = result.output
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => line.replace(/^\S*(example-\d+\.ts)/, (_, file: string) => bySource.get(file) ?? file));
    expect(errors).toEqual([]);
    expect(result.exitCode).toBe(0);
  });
});
