import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { defaultSpecPaths } from '@nhs-fhir/specs';
import { loadPackageGraph } from '../src/load/package-graph.js';
import { loadWorkspaceSpecs, type WorkspaceSpecs } from '../src/load/workspace-specs.js';
import { runPipeline } from '../src/pipeline/run-pipeline.js';

/**
 * The guard rail of a generator refactoring: every file the five generated packages are built from, generated
 * here as their `generate` targets do, hashed and compared with generated-output.json. A change to the emitted
 * code fails this test until the manifest is rewritten (`UPDATE_GENERATED_MANIFEST=1 npx vitest run
 * test/generated-output.test.ts` in tools/fhir-codegen), so every change to the output is a reviewed diff of the
 * manifest, with the reason in the commit that makes it.
 */
const MANIFEST = new URL('./generated-output.json', import.meta.url);
const update = process.env['UPDATE_GENERATED_MANIFEST'] === '1';

type Target =
  | { kind: 'base'; name: string; key: string }
  | { kind: 'profiles'; name: string; sources: string[]; basePackage: string };

/** As the `generate` targets in packages/<name>/package.json run them. */
const TARGETS: Target[] = [
  { kind: 'base', name: '@nhs-fhir/r4', key: 'hl7.fhir.r4.core#4.0.1' },
  { kind: 'base', name: '@nhs-fhir/stu3', key: 'hl7.fhir.r3.core#3.0.1' },
  {
    kind: 'profiles',
    name: '@nhs-fhir/uk-core',
    sources: ['fhir.r4.ukcore.stu3.currentbuild#0.22.0-pre-release'],
    basePackage: '@nhs-fhir/r4',
  },
  {
    kind: 'profiles',
    name: '@nhs-fhir/nhs-england',
    sources: ['uk.nhsengland.r4#0.0.1', 'fhir.r4.nhsengland.stu1#1.3.0'],
    basePackage: '@nhs-fhir/r4',
  },
  {
    kind: 'profiles',
    name: '@nhs-fhir/reasonable-adjustments-stu3',
    sources: ['nhsconnect.stu3.rarecord#0.0.0-develop.4543c05'],
    basePackage: '@nhs-fhir/stu3',
  },
];

const hash = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16);

async function generate(specs: WorkspaceSpecs, target: Target): Promise<Map<string, string>> {
  if (target.kind === 'base') {
    const graph = await loadPackageGraph(specs.store, target.key);
    return (await runPipeline({ kind: 'types', package: target.key, validation: true }, { graph })).files;
  }
  const graph = await loadPackageGraph(specs.store, target.sources[0]!);
  const request = {
    kind: 'profiles',
    sources: target.sources,
    basePackage: target.basePackage,
    validation: true,
  } as const;
  return (await runPipeline(request, { graph })).files;
}

let specs: WorkspaceSpecs;
const actual: Record<string, Record<string, string>> = {};
beforeAll(async () => {
  specs = await loadWorkspaceSpecs(defaultSpecPaths(), 'frozen');
}, 120_000);

describe.each(TARGETS.map((target) => [target.name, target] as const))('%s', (name, target) => {
  test('emits the files of generated-output.json, byte for byte', async () => {
    const files = await generate(specs, target);
    actual[name] = Object.fromEntries([...files].sort(([a], [b]) => (a < b ? -1 : 1)).map(([f, t]) => [f, hash(t)]));
    if (update) {
      if (Object.keys(actual).length === TARGETS.length)
        writeFileSync(MANIFEST, `${JSON.stringify(actual, null, 2)}\n`);
      return;
    }
    const expected = (JSON.parse(readFileSync(MANIFEST, 'utf8')) as Record<string, Record<string, string>>)[name];
    expect(actual[name]).toEqual(expected);
  }, 180_000);
});
