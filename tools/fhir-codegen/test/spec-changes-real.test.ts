import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultSpecPaths, syncSpecs } from '@nhs-fhir/specs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { compareSpecs, formatChangeReport, type ChangeReport } from '../src/changes/index.js';

// UK Core 0.22.0-pre-release as the spec sync serves it from the mirror, against a copy made at test
// time (never committed) with one element tightened: UKCore-Patient's gender made 1..1.
const UK_CORE = 'fhir.r4.ukcore.stu3.currentbuild#0.22.0-pre-release';
const PATIENT = 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient';

let temp: string;
let report: ChangeReport;
beforeAll(async () => {
  const paths = defaultSpecPaths();
  expect(paths.mirror, 'the real specs mirror (../shared/specs or SPECS_MIRROR) must be present').toBeDefined();
  const synced = await syncSpecs({ paths, mode: 'frozen', only: [UK_CORE, 'hl7.fhir.r4.core#4.0.1'] });
  const ukCore = synced.inputs.find((input) => input.input === UK_CORE)!.dir;
  temp = await mkdtemp(join(tmpdir(), 'nhs-fhir-uk-core-tightened-'));
  await cp(join(ukCore, 'package'), join(temp, 'package'), { recursive: true });
  const file = join(temp, 'package', 'StructureDefinition-UKCore-Patient.json');
  const patient = JSON.parse(await readFile(file, 'utf8')) as { differential: { element: Record<string, unknown>[] } };
  const elements = patient.differential.element;
  const gender = elements.find((element) => element['id'] === 'Patient.gender');
  if (gender !== undefined) gender['min'] = 1;
  else {
    const after = elements.findIndex((element) => String(element['id']) > 'Patient.gender');
    elements.splice(after === -1 ? elements.length : after, 0, {
      id: 'Patient.gender',
      path: 'Patient.gender',
      min: 1,
    });
  }
  await writeFile(file, JSON.stringify(patient, null, 2));
  report = await compareSpecs({ old: ukCore, new: temp, dependencyCaches: [paths.cache] });
}, 300_000);
afterAll(async () => {
  if (temp !== undefined) await rm(temp, { recursive: true, force: true });
});

test(
  'UK Core with UKCore-Patient.gender made 1..1: the report names that element, as breaking, and ' + 'nothing else',
  () => {
    expect(report.compared).toEqual(['fhir.r4.ukcore.stu3.currentbuild: 0.22.0-pre-release -> 0.22.0-pre-release']);
    expect(report.changes).toEqual([
      {
        subject: PATIENT,
        element: 'Patient.gender',
        kind: 'cardinality',
        breaking: true,
        before: '0..1',
        after: '1..1',
        detail: '0..1 -> 1..1 (now required)',
      },
    ]);
    expect(report.bump).toBe('major');
    const text = formatChangeReport(report);
    expect(text).toContain(`\n${PATIENT}\n  BREAKING cardinality       Patient.gender: 0..1 -> 1..1 (now required)\n`);
  },
);
