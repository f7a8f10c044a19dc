import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultSpecPaths, fhirPackageCacheDir, syncSpecs } from '@nhs-fhir/specs';
import { describe, expect, it } from 'vitest';
import { validate } from '../src/index.js';

describe('validate (the @nhs-fhir/validation runtime on tables compiled from the same snapshots)', () => {
  it('accepts every NHS England example against the profile it declares (or its base type), with no errors', async () => {
    const paths = defaultSpecPaths();
    await syncSpecs({ paths, only: ['uk.nhsengland.r4#0.0.1'] });
    const dir = join(fhirPackageCacheDir(paths.cache, 'uk.nhsengland.r4', '0.0.1'), 'package', 'example');
    const names = (await readdir(dir)).filter((file) => file.endsWith('.json') && !file.startsWith('.')).sort();
    expect(names).toHaveLength(18);
    const rejected: string[] = [];
    for (const name of names) {
      const errors = validate(JSON.parse(await readFile(join(dir, name), 'utf8'))).issue.filter(
        (issue) => issue.severity === 'error' || issue.severity === 'fatal',
      );
      if (errors.length > 0)
        rejected.push(`${name}: ${errors.map((issue) => `${issue.code} ${issue.expression?.[0] ?? ''}`).join('; ')}`);
    }
    expect(rejected).toEqual([]);
  });

  it('rejects a Patient Flag without its subject at Flag.subject', () => {
    const flag = {
      resourceType: 'Flag',
      meta: { profile: ['https://fhir.nhs.uk/England/StructureDefinition/England-Flag-PatientFlag'] },
      status: 'active',
      code: { text: 'x' },
    };
    expect(
      validate(flag)
        .issue.filter((issue) => issue.severity === 'error')
        .map((issue) => issue.expression?.[0]),
    ).toContain('Flag.subject');
  });
});
