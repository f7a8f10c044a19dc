import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExampleInput } from '@nhs-fhir/fhir-codegen/testing';
import { defaultSpecPaths, fhirPackageCacheDir, syncSpecs } from '@nhs-fhir/specs';
import { profileTypeNames } from '../src/index.js';

export const EXAMPLE_PACKAGE = ['fhir.r4.ukcore.stu3.currentbuild', '0.22.0-pre-release'] as const;

/**
 * Examples that are not valid as published, each with the rule they break; everything else must type-check as its
 * declared profile.
 */
export const EXCLUDED_FROM_TYPES: Record<string, string> = {
  'MedicationDispense-UKCore-MedicationDispense-CiprofloxacinIV-Example.json':
    'authorizingPrescription.reference is a bare id (UKCore-MedicationRequest-CiprofloxacinIV-Example), not a literal reference MedicationRequest/<id>',
  'MedicationDispense-UKCore-MedicationDispense-CiprofloxacinOral-Example.json':
    'authorizingPrescription.reference is a bare id (UKCore-MedicationRequest-CiprofloxacinOral-Example), not a literal reference MedicationRequest/<id>',
};

const PROFILE_BASE = 'https://fhir.hl7.org.uk/StructureDefinition/';

/**
 * UK Core examples declare no `meta.profile`; their file names say which profile they show
 * (`Patient-UKCore-Patient-RichardSmith-Example.json`: the longest `UKCore-...` prefix that is a
 * profile id; `...-UKCore-Extension-...` examples show an extension on the resource's UK Core profile).
 * The test adds that profile to `meta.profile`, as a sender claiming conformance would.
 */
export function profileOfExample(name: string, resourceType: string): string | undefined {
  const parts = name
    .replace(/-Example\.json$/, '')
    .split('-')
    .slice(1);
  for (let end = parts.length; end >= 2; end--) {
    const url = `${PROFILE_BASE}${parts.slice(0, end).join('-')}`;
    if (url in profileTypeNames) return url;
  }
  const own = `${PROFILE_BASE}UKCore-${resourceType}`;
  return own in profileTypeNames ? own : undefined;
}

/** The package's examples, each with the profile its file name names added to meta.profile; `excluded` left out. */
export async function loadExamples(excluded: Record<string, string> = {}): Promise<ExampleInput[]> {
  const paths = defaultSpecPaths();
  await syncSpecs({ paths, only: [EXAMPLE_PACKAGE.join('#')] });
  const dir = join(fhirPackageCacheDir(paths.cache, ...EXAMPLE_PACKAGE), 'package', 'example');
  const examples: ExampleInput[] = [];
  for (const name of (await readdir(dir)).filter((file) => file.endsWith('.json') && !file.startsWith('.')).sort()) {
    if (name in excluded) continue;
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
