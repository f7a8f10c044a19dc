import { beforeAll, describe, expect, test } from 'vitest';
import type { OperationOutcome, Validate } from '@nhs-fhir/validation';
import { compileRealPackages, type CompiledPackage } from './real-packages.js';

// Primitives as FHIR defines them (issue 14), on the real tables, where R4 types Resource.id as a plain string:
// ids, and the options unknownProfile and bestPractice. The rest is in
// packages/validation/test/fhir-primitives.test.ts.

const errorsAt = (outcome: OperationOutcome): string[] =>
  outcome.issue
    .filter((issue) => issue.severity === 'error' || issue.severity === 'fatal')
    .map((issue) => `${issue.code} ${issue.expression[0]}`);

describe('on the real tables', () => {
  let packages: CompiledPackage[];
  let ukCore: Validate;
  let rarecord: Validate;
  beforeAll(async () => {
    packages = await compileRealPackages();
    ukCore = packages[0]!.validate;
    rarecord = packages[2]!.validate;
  }, 120_000);

  const badIds: [string, string][] = [
    ['a space', 'a b'],
    ['65 characters', 'a'.repeat(65)],
    ['a non-ASCII letter', 'é'],
    ['an empty string', ''],
    ['50 million characters', 'x'.repeat(50_000_000)],
  ];
  test.each(badIds)('a resource id with %s is an error (R4: Resource.id is typed string, defined as id)', (_t, id) => {
    expect(errorsAt(ukCore({ resourceType: 'Patient', id }))).toEqual(['structure Patient.id']);
    expect(
      errorsAt(
        rarecord({ resourceType: 'Flag', id, status: 'active', code: { text: 'x' }, subject: { display: 'x' } }),
      ),
    ).toEqual(['structure Flag.id']);
  });
  test('64 characters of [A-Za-z0-9-.] is an id; so is meta.versionId; element ids stay strings', () => {
    const id = `${'A-z.9'.repeat(12)}abcd`;
    expect(id).toHaveLength(64);
    expect(errorsAt(ukCore({ resourceType: 'Patient', id, meta: { versionId: id } }))).toEqual([]);
    expect(errorsAt(ukCore({ resourceType: 'Patient', meta: { versionId: 'a b' } }))).toEqual([
      'structure Patient.meta.versionId',
    ]);
    // Element.id is a string in R4, not an id: any text is allowed there.
    expect(errorsAt(ukCore({ resourceType: 'Patient', name: [{ id: 'a b é', family: 'X' }] }))).toEqual([]);
  });
  test('resource ids inside a Bundle and in contained are checked as ids', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { fullUrl: 'urn:uuid:6f1c1a2e-0d63-4b4f-9a3e-6a0d1c2b3e4f', resource: { resourceType: 'Patient', id: 'a b' } },
      ],
    };
    expect(errorsAt(ukCore(bundle))).toEqual(['structure Bundle.entry[0].resource.id']);
  });

  test('an unknown meta.profile: a warning by default, an error with unknownProfile: error', () => {
    const patient = { resourceType: 'Patient', meta: { profile: ['https://example.org/StructureDefinition/Nope'] } };
    const notFound = (outcome: OperationOutcome) =>
      outcome.issue.filter((issue) => issue.code === 'not-found').map((issue) => issue.severity);
    expect(notFound(ukCore(patient))).toEqual(['warning']);
    expect(notFound(ukCore(patient, { unknownProfile: 'warning' }))).toEqual(['warning']);
    expect(notFound(ukCore(patient, { unknownProfile: 'error' }))).toEqual(['error']);
    // A profile the tables know is no issue either way.
    const known = {
      resourceType: 'Patient',
      meta: { profile: ['https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient'] },
    };
    expect(notFound(ukCore(known, { unknownProfile: 'error' }))).toEqual([]);
  });

  const bestPracticeTitle =
    'best-practice invariants (dom-6, a resource without narrative): ' +
    'a warning by default, none with bestPractice: ignore';
  test(bestPracticeTitle, () => {
    const tables = packages[0]!.tables;
    expect(tables.invariants['dom-6']?.bestPractice).toBe(true);
    const bestPractice = Object.values(tables.invariants).filter((invariant) => invariant.bestPractice === true);
    expect(bestPractice.every((invariant) => invariant.severity === 'warning')).toBe(true);
    const keys = (outcome: OperationOutcome) =>
      outcome.issue.filter((issue) => issue.code === 'invariant').map((issue) => issue.diagnostics.split(':')[0]);
    const patient = { resourceType: 'Patient', contact: [{ gender: 'male' }] };
    expect(keys(ukCore(patient))).toContain('dom-6');
    expect(keys(ukCore(patient, { bestPractice: 'warning' }))).toContain('dom-6');
    const ignored = keys(ukCore(patient, { bestPractice: 'ignore' }));
    expect(ignored).not.toContain('dom-6');
    // Only best practice goes: pat-1 (a contact has details or an organization) is an error all the same.
    expect(ignored).toContain('pat-1');
  });
});
