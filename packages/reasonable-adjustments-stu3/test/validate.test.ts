import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultSpecPaths, fhirPackageCacheDir, syncSpecs } from '@nhs-fhir/specs';
import { describe, expect, it } from 'vitest';
import { validate } from '../src/index.js';

const PACKAGE = ['nhsconnect.stu3.rarecord', '0.0.0-develop.4543c05'] as const;

/**
 * The RARecord examples were written for an earlier version of the profiles; each break is a rule of
 * the package as pinned (the same verdicts as tools/validation-conformance/test/real-examples.test.ts):
 * - `required <T>.contained[0].activity`: RARecord-Provenance-1 makes Provenance.activity 1..1; the contained
 * Provenance has none;
 * - `value ...coding[0].system`: Extension-RARecord-AdjustmentCategory-1 / -ProxyRole-1 fix the coding system to
 *   .../CodeSystem/RARecord-AdjustmentCategory-1 / RARecord-ProxyRole-1; the examples have .../CodeSystem-RARecord-...;
 * - `code-invalid ...valueCodeableConcept`: their codes (other, comms, patientconsent, lpa...) are not in those
 * required value sets (codes 001-...);
 * - `code-invalid Flag.category`: RARecord-Flag-1 binds category (required) to RARecord-FlagCategory-1, whose one code
 * is NRAF.
 */
const FLAG = [
  'required Flag.contained[0].activity',
  'value Flag.extension[1].valueCodeableConcept.coding[0].system',
  'code-invalid Flag.extension[1].valueCodeableConcept',
  'code-invalid Flag.category',
];
const CONSENT = [
  'required Consent.contained[0].activity',
  'value Consent.extension[0].valueCodeableConcept.coding[0].system',
  'code-invalid Consent.extension[0].valueCodeableConcept',
];
const EXPECTED: Record<string, string[]> = {
  'Condition-6c959805-7af1-445d-9d3e-087e3c2bc107.json': ['required Condition.contained[0].activity'],
  'Condition-9cbd3dda-c51a-4e68-af70-f0de60cb8ba7.json': ['required Condition.contained[0].activity'],
  'Consent-9abcd14c-187c-43e4-9cbf-aaf139b17e8a.json': CONSENT,
  'Consent-f1dc0ac6-45ff-4d2b-bf91-793971e3e286.json': CONSENT,
  'Flag-3e497b93-990f-4e54-8414-0efef10bdcf4.json': FLAG,
  'Flag-5438ab03-6c48-481f-9c60-2e4378a05232.json': FLAG,
  'Flag-5dd09792-2b3e-4133-8a61-8234080a0077.json': FLAG,
  'Flag-5f96eae1-b5eb-439d-8ba3-153c2b99698c.json': FLAG,
  'Flag-7c30576a-072b-408f-a709-dd0b6f5d07c8.json': FLAG,
  'Flag-7e437dcf-2e3f-45ad-9cab-5e4176c11e41.json': FLAG,
  'Flag-dc274215-8c99-4133-b342-86144d249a2e.json': FLAG,
  'List-56eedfcd-d883-4adb-a833-c21d4a1e0d80.json': [],
};

describe('validate (the @nhs-fhir/validation runtime on tables compiled from the same snapshots)', () => {
  it('reports on each RARecord example exactly the rules it breaks, and nothing else', async () => {
    const paths = defaultSpecPaths();
    await syncSpecs({ paths, only: [PACKAGE.join('#')] });
    const dir = join(fhirPackageCacheDir(paths.cache, ...PACKAGE), 'package', 'example');
    const found: Record<string, string[]> = {};
    for (const name of (await readdir(dir)).filter((file) => file.endsWith('.json') && !file.startsWith('.')).sort()) {
      const issues = validate(JSON.parse(await readFile(join(dir, name), 'utf8'))).issue;
      found[name] = issues
        .filter((issue) => issue.severity === 'error' || issue.severity === 'fatal')
        .map((issue) => `${issue.code} ${issue.expression?.[0] ?? ''}`);
    }
    expect(found).toEqual(EXPECTED);
  });
});
