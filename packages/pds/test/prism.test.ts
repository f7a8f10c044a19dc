// Every PDS operation against Prism serving the real PDS OpenAPI description (validating mode):
// Prism must report no request violation, and each answer must come back as the typed body.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestExamples, type PrismServer, startPrism } from '@nhs-fhir/testing';
import { createPdsClient, type PdsClient, patientPatch, responseOf, searchRefusal } from '../src/index.js';

const bundleFile = new URL('../src/generated/openapi.bundle.json', import.meta.url);
const bundle = JSON.parse(readFileSync(bundleFile, 'utf8')) as unknown;

let prism: PrismServer;
let pds: PdsClient;

beforeAll(async () => {
  prism = await startPrism(bundleFile.pathname);
  pds = createPdsClient({ baseUrl: prism.url, correlationId: 'pds-client-test', endUserOrganisationOds: 'Y12345' });
});
afterAll(async () => {
  await prism?.stop();
});

describe('@nhs-fhir/pds against Prism (validating the real description)', () => {
  it('calls every operation of the description, and Prism finds no request violation', async () => {
    const patient = await pds.getPatient({ id: '9000000009' });
    expect(patient.resourceType).toBe('Patient');
    expect(responseOf(patient)?.status).toBe(200);

    const found = await pds.searchPatient({
      family: 'Smith',
      gender: 'female',
      birthdate: ['eq2010-10-22'],
      '_max-results': 1,
    });
    expect(found.resourceType).toBe('Bundle');
    expect(searchRefusal(found)).toBeUndefined();

    const [createBody] = requestExamples(bundle, '/Patient', 'post');
    const created = await pds.createPatient({ body: createBody as never });
    expect(['Patient', 'OperationOutcome']).toContain(created.resourceType);

    const patch = patientPatch().replace('/gender', 'male').build();
    const updated = await pds.updatePatientPartial({ id: '9000000009', body: patch, 'If-Match': 'W/"2"' });
    expect(updated.resourceType).toBe('Patient');

    const people = await pds.getRelatedPeople({ id: '9000000009' });
    expect(people.resourceType).toBe('Bundle');

    const coverage = await pds.getCoverage({ 'subscriber:identifier': '9000000009' });
    expect(coverage.resourceType).toBe('Bundle');

    const [coverageBody] = requestExamples(bundle, '/Coverage', 'post');
    const posted = await pds.postCoverage({ body: coverageBody as never, 'If-Match': 'W/"1"' });
    expect(posted).toBeDefined();

    const operations = Object.keys(pds.runtime.spec.operations).sort();
    expect(operations).toEqual(
      [
        'createPatient',
        'getCoverage',
        'getPatient',
        'getRelatedPeople',
        'postCoverage',
        'searchPatient',
        'updatePatientPartial',
      ].sort(),
    );
    expect(prism.requests).toHaveLength(7);
    expect(prism.violations).toEqual([]);
  });

  it('a request that breaks the description is seen by Prism (the check above can fail)', async () => {
    const before = prism.violations.length;
    // An If-Match that is not W/"<digits>" breaks PDS's declared pattern.
    await pds
      .updatePatientPartial({
        id: '9000000009',
        body: patientPatch().replace('/gender', 'male').build(),
        'If-Match': 'nope',
      })
      .catch(() => undefined);
    expect(prism.violations.length).toBeGreaterThan(before);
  });

  it('fills If-Match from the last ETag a read returned', async () => {
    const patient = await pds.getPatient({ id: '9000000009' });
    const etag = responseOf(patient)?.etag;
    expect(etag).toMatch(/^W\/"\d+"$/);
    const before = prism.violations.length;
    await pds.updatePatientPartial({ id: '9000000009', body: patientPatch().replace('/gender', 'female').build() });
    expect(prism.violations.slice(before)).toEqual([]);
  });
});
