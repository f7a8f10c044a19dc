import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { resourceTypes } from '@nhs-fhir/r4';
import { runTsc, writeProfileExampleChecks, type ExampleInput } from '@nhs-fhir/fhir-codegen';
import { defaultSpecPaths, fhirPackageCacheDir, syncSpecs } from '@nhs-fhir/specs';
import { describe, expect, it } from 'vitest';
import { profileTypeNames } from '../src/index.js';

const EXAMPLE_PACKAGE = ['fhir.r4.ukcore.stu3.currentbuild', '0.22.0-pre-release'] as const;

/** Examples that are not valid as published, each with the rule they break; everything else must type-check as its declared profile. */
const EXCLUDED: Record<string, string> = {
  'MedicationDispense-UKCore-MedicationDispense-CiprofloxacinIV-Example.json':
    'authorizingPrescription.reference is a bare id (UKCore-MedicationRequest-CiprofloxacinIV-Example), not a literal reference MedicationRequest/<id>',
  'MedicationDispense-UKCore-MedicationDispense-CiprofloxacinOral-Example.json':
    'authorizingPrescription.reference is a bare id (UKCore-MedicationRequest-CiprofloxacinOral-Example), not a literal reference MedicationRequest/<id>',
};

const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');

const PROFILE_BASE = 'https://fhir.hl7.org.uk/StructureDefinition/';

/**
 * UK Core examples declare no `meta.profile`; their file names say which profile they show
 * (`Patient-UKCore-Patient-RichardSmith-Example.json`: the longest `UKCore-...` prefix that is a
 * profile id; `...-UKCore-Extension-...` examples show an extension on the resource's UK Core profile).
 * The test adds that profile to `meta.profile`, as a sender claiming conformance would.
 */
export function profileOfExample(name: string, resourceType: string): string | undefined {
  const parts = name.replace(/-Example\.json$/, '').split('-').slice(1);
  for (let end = parts.length; end >= 2; end--) {
    const url = `${PROFILE_BASE}${parts.slice(0, end).join('-')}`;
    if (url in profileTypeNames) return url;
  }
  const own = `${PROFILE_BASE}UKCore-${resourceType}`;
  return own in profileTypeNames ? own : undefined;
}

async function loadExamples(): Promise<ExampleInput[]> {
  const paths = defaultSpecPaths();
  await syncSpecs({ paths, only: [EXAMPLE_PACKAGE.join('#')] });
  const dir = join(fhirPackageCacheDir(paths.cache, ...EXAMPLE_PACKAGE), 'package', 'example');
  const examples: ExampleInput[] = [];
  for (const name of (await readdir(dir)).filter((file) => file.endsWith('.json') && !file.startsWith('.')).sort()) {
    if (name in EXCLUDED) continue;
    const json = JSON.parse(await readFile(join(dir, name), 'utf8')) as Record<string, unknown>;
    const profile = profileOfExample(name, String(json['resourceType']));
    if (profile !== undefined) {
      const meta = (json['meta'] ?? {}) as { profile?: string[] };
      json['meta'] = { ...meta, profile: [profile, ...(meta.profile ?? [])] };
    }
    examples.push({ source: `${EXAMPLE_PACKAGE.join('#')}/package/example/${name}`, json });
  }
  return examples;
}

describe('UK Core examples type-check as the profile they declare', () => {
  it('wraps each example in a constant of its profile type (else its base type) and tsc accepts all of them', async () => {
    const examples = await loadExamples();
    const dir = join(import.meta.dirname, '..', '.tmp', 'examples');
    const files = await writeProfileExampleChecks(dir, '@nhs-fhir/uk-core', '@nhs-fhir/r4', profileTypeNames, new Set(resourceTypes), examples);
    expect(files.unknownType).toEqual([]);
    const profiled = files.written.filter((written) => written.type.startsWith('UKCore'));
    expect(profiled.length).toBeGreaterThan(140);
    const result = await runTsc(tsc, join(dir, 'tsconfig.json'));
    const bySource = new Map(files.written.map((written) => [written.file, `${written.source} as ${written.type}`]));
    const errors = result.output.split('\n').filter((line) => line !== '').map((line) => line.replace(/^\S*(example-\d+\.ts)/, (_, file: string) => bySource.get(file) ?? file));
    expect(errors).toEqual([]);
    expect(result.exitCode).toBe(0);
  });
});
