import { beforeAll, describe, expect, test } from 'vitest';
import { mutateJson, prng, randomJson } from './fuzz.js';
import { mutationsOf, pointsAt, sentinelValidator, type MutationKind } from './mutations.js';
import { createValidator, mergeTables } from '@nhs-fhir/validation';
import { printValidationTables, tablesWithout } from '@nhs-fhir/fhir-codegen';
import { compileRealPackages, type CompiledPackage } from './real-packages.js';

// Every example of the mirror's packages against the profile its meta.profile declares (else its base type);
// UK Core examples declare none, so each is checked against the profile its file name names (real-packages.ts).
// The only examples rejected are the RARecord ones below, each with the rules it breaks, stated so a
// reader can check them against the package: they were written for an earlier version of the RARecord
// profiles and code systems (the package's own profiles and CodeSystems are the authority here).

const PROVENANCE_ACTIVITY =
  'required *.contained[0].activity: RARecord-Provenance-1 makes Provenance.activity 1..1; ' +
  'the contained Provenance has none';
const ADJUSTMENT_SYSTEM =
  'value Flag.extension[1].valueCodeableConcept.coding[0].system: Extension-RARecord-AdjustmentCategory-1 fixes ' +
  'coding.system to https://fhir.nhs.uk/STU3/CodeSystem/RARecord-AdjustmentCategory-1; ' +
  'the example has .../CodeSystem-RARecord-AdjustmentCategories-1';
const ADJUSTMENT_CODE =
  'code-invalid Flag.extension[1].valueCodeableConcept: its code (other, risk, comms, ...) ' +
  'is not in RARecord-AdjustmentCategory-1 (required; codes 001-011)';
const FLAG_CATEGORY =
  'code-invalid Flag.category: RARecord-Flag-1 binds category (required) to RARecord-FlagCategory-1, ' +
  "whose one code is NRAF; the example has 'reasonable adjustments flag'";
const PROXY_SYSTEM =
  'value Consent.extension[0].valueCodeableConcept.coding[0].system: Extension-RARecord-ProxyRole-1 fixes ' +
  'coding.system to https://fhir.nhs.uk/STU3/CodeSystem/RARecord-ProxyRole-1; ' +
  'the example has .../CodeSystem-RARecord-ProxyRole-1';
const PROXY_CODE =
  'code-invalid Consent.extension[0].valueCodeableConcept: its code (patientconsent, lpa) ' +
  'is not in RARecord-ProxyRole-1 (required; codes 001-004)';

const FLAG = [PROVENANCE_ACTIVITY, ADJUSTMENT_SYSTEM, ADJUSTMENT_CODE, FLAG_CATEGORY];
const KNOWN_INVALID: Record<string, string[]> = {
  'Condition-6c959805-7af1-445d-9d3e-087e3c2bc107.json': [PROVENANCE_ACTIVITY],
  'Condition-9cbd3dda-c51a-4e68-af70-f0de60cb8ba7.json': [PROVENANCE_ACTIVITY],
  'Consent-9abcd14c-187c-43e4-9cbf-aaf139b17e8a.json': [PROVENANCE_ACTIVITY, PROXY_SYSTEM, PROXY_CODE],
  'Consent-f1dc0ac6-45ff-4d2b-bf91-793971e3e286.json': [PROVENANCE_ACTIVITY, PROXY_SYSTEM, PROXY_CODE],
  'Flag-3e497b93-990f-4e54-8414-0efef10bdcf4.json': FLAG,
  'Flag-5438ab03-6c48-481f-9c60-2e4378a05232.json': FLAG,
  'Flag-5dd09792-2b3e-4133-8a61-8234080a0077.json': FLAG,
  'Flag-5f96eae1-b5eb-439d-8ba3-153c2b99698c.json': FLAG,
  'Flag-7c30576a-072b-408f-a709-dd0b6f5d07c8.json': FLAG,
  'Flag-7e437dcf-2e3f-45ad-9cab-5e4176c11e41.json': FLAG,
  'Flag-dc274215-8c99-4133-b342-86144d249a2e.json': FLAG,
};

/** `code expression` of a listed rule, with `*` for the resource type. */
const ruleIssue = (rule: string, type: string): string => rule.slice(0, rule.indexOf(':')).replace(' *.', ` ${type}.`);

let packages: CompiledPackage[];
beforeAll(async () => {
  packages = await compileRealPackages();
}, 120_000);

describe('the tables in layers, as the packages ship them', () => {
  test('the base layer and the package layer combine to the tables compiled whole, for every package', () => {
    for (const { key, tables, layers } of packages) {
      const [base, own] = layers;
      expect(mergeTables(layers), key).toEqual(tables);
      // Compiled over the base layer, the package layer is exactly what the whole tables hold beyond the base.
      expect(printValidationTables(own), key).toBe(printValidationTables(tablesWithout(tables, base)));
      // The package layer holds no base type: those ship once, in @nhs-fhir/r4 and @nhs-fhir/stu3.
      expect(
        Object.values(base.baseTypes).filter((url) => url in own.structures),
        key,
      ).toEqual([]);
      expect(Object.keys(own.structures).length, key).toBeGreaterThan(0);
    }
  });
});

describe('the real examples', () => {
  const everyExampleTitle =
    'UK Core (162), NHS England (18) and RARecord (12): ' +
    'each validates with no errors, except the listed RARecord examples';
  test(everyExampleTitle, () => {
    const verdicts: Record<string, { clean: number; rejected: string[] }> = {};
    for (const { key, validate, examples } of packages) {
      const verdict = (verdicts[key] = { clean: 0, rejected: [] as string[] });
      for (const example of examples) {
        const errors = validate(example.json).issue.filter(
          (issue) => issue.severity === 'error' || issue.severity === 'fatal',
        );
        const name = example.file.replace('package/example/', '');
        if (errors.length === 0) verdict.clean++;
        else verdict.rejected.push(name);
        const type = String(example.json['resourceType']);
        const expected = (KNOWN_INVALID[name] ?? []).map((rule) => ruleIssue(rule, type)).sort();
        expect(
          errors.map((issue) => `${issue.code} ${issue.expression[0]}`).sort(),
          `${key} ${name}: ${errors.map((issue) => issue.diagnostics).join('; ')}`,
        ).toEqual(expected);
      }
    }
    expect(verdicts).toEqual({
      'fhir.r4.ukcore.stu3.currentbuild#0.22.0-pre-release': { clean: 162, rejected: [] },
      'uk.nhsengland.r4#0.0.1': { clean: 18, rejected: [] },
      'nhsconnect.stu3.rarecord#0.0.0-develop.4543c05': { clean: 1, rejected: Object.keys(KNOWN_INVALID).sort() },
    });
  });

  const declaredProfilesTitle =
    'examples declare profiles the tables know, ' +
    'and the clean ones are checked against them (no unknown-profile warnings)';
  test(declaredProfilesTitle, () => {
    for (const { validate, examples } of packages) {
      for (const example of examples) {
        const unknown = validate(example.json).issue.filter(
          (issue) => issue.code === 'not-found' && issue.expression[0] === example.json['resourceType'],
        );
        expect(unknown, example.file).toEqual([]);
      }
    }
  });

  test('what is reported as not checked on the examples (information, never an error)', () => {
    const notChecked = new Map<string, number>();
    for (const { validate, examples } of packages) {
      for (const example of examples) {
        for (const issue of validate(example.json).issue) {
          if (issue.code !== 'not-supported') continue;
          const what = issue.diagnostics.replace(/: .*$/, '');
          notChecked.set(what, (notChecked.get(what) ?? 0) + 1);
          expect(issue.severity).toBe('information');
        }
      }
    }
    expect(Object.fromEntries([...notChecked].sort(([a], [b]) => (a < b ? -1 : 1)))).toEqual({
      // UCUM units (a grammar) and BCP 47 languages and BCP 13 mime types: code systems that are not FHIR resources.
      'Value set http://hl7.org/fhir/ValueSet/all-distance-units cannot be expanded offline': 1,
      'Value set http://hl7.org/fhir/ValueSet/all-languages cannot be expanded offline': 3,
      'Value set http://hl7.org/fhir/ValueSet/mimetypes|4.0.1 cannot be expanded offline': 4,
      // R5 value sets of UK Core's R5 backport extensions, which the R4 closure does not hold.
      'Value set http://hl7.org/fhir/ValueSet/observation-triggeredbytype cannot be expanded offline': 1,
      'Value set http://hl7.org/fhir/ValueSet/subscription-payload-content cannot be expanded offline': 1,
      // ctm-1 (`onBehalfOf.exists() implies (member.resolve()...)`) is decided without resolve() on the one CareTeam:
      // it has no onBehalfOf.
    });
  });

  test('validating against a profile named in the options, without meta.profile', () => {
    const ukCore = packages[0]!;
    const patient = ukCore.examples.find((example) => example.json['resourceType'] === 'Patient');
    expect(patient).toBeDefined();
    const { meta: _meta, ...withoutMeta } = patient!.json;
    void _meta;
    const profile = 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient';
    expect(ukCore.validate(withoutMeta, { profile }).issue.filter((issue) => issue.severity === 'error')).toEqual([]);
    const errors = ukCore
      .validate({ ...withoutMeta, gender: 'woman' }, { profile })
      .issue.filter((issue) => issue.severity === 'error');
    expect(errors.map((issue) => `${issue.code} ${issue.expression[0]}`)).toEqual(['code-invalid Patient.gender']);
  });
});

describe('mutated examples', () => {
  test('each mutation of each clean example is rejected with an error at the mutated element', () => {
    const applied: Record<MutationKind, number> = {
      'required element removed': 0,
      'fixed or pattern value changed': 0,
      'wrong slice value': 0,
      'bad date': 0,
      'unknown element': 0,
    };
    const missed: string[] = [];
    for (const { tables, validate, examples } of packages) {
      const sentinel = sentinelValidator(tables);
      for (const example of examples) {
        if (KNOWN_INVALID[example.file.replace('package/example/', '')] !== undefined) continue;
        for (const mutation of mutationsOf(example.json, tables, sentinel)) {
          applied[mutation.kind]++;
          const errors = validate(mutation.resource).issue.filter((issue) => issue.severity === 'error');
          if (!errors.some((issue) => pointsAt(issue, mutation)))
            missed.push(
              `${example.file}: ${mutation.kind}: ${mutation.what}: ` +
                `got ${errors.map((issue) => issue.expression[0]).join(', ') || 'no errors'}`,
            );
        }
      }
    }
    console.log('mutations rejected at the mutated element:', JSON.stringify(applied));
    expect(missed).toEqual([]);
    // Every kind of mutation found something to mutate in the real examples.
    for (const count of Object.values(applied)) expect(count).toBeGreaterThan(0);
  });
});

describe('invariants compiled to closures', () => {
  // FHIRPath is defined over well-formed FHIR: inputs with structure errors (a null in an array, an object for an
  // array) are left out.
  test('give the same outcome as fhirpath on every example and on the well-formed of 9,000 mutations of them', () => {
    const random = prng(4);
    const differences: string[] = [];
    let compared = 0;
    for (const { tables, validate, examples } of packages) {
      const reference = createValidator(tables, { fhirpathOnly: true });
      const inputs: unknown[] = examples.map((example) => example.json);
      for (let round = 0; round < 3_000; round++)
        inputs.push(mutateJson(examples[Math.floor(random() * examples.length)]!.json, random));
      inputs.forEach((input, position) => {
        const outcome = validate(input);
        if (outcome.issue.some((issue) => issue.code === 'structure')) return;
        compared++;
        // The "No issues found" placeholder is left out: it follows from the rest.
        const issues = (list: typeof outcome.issue): string[] =>
          list.filter((issue) => issue.code !== 'informational').map((issue) => JSON.stringify(issue));
        const [ours, theirs] = [issues(outcome.issue), issues(reference(input).issue)];
        const onlyOurs = ours.filter((issue) => !theirs.includes(issue));
        // fhirpath may not evaluate an expression at all (resolve() needs its async mode) where the closures decide it
        // without that part (`false implies ...`): such a "not checked" on fhirpath's side alone is not a difference.
        // Every issue the closures give that fhirpath does not still is.
        const onlyTheirs = theirs.filter(
          (issue) =>
            !ours.includes(issue) &&
            !(
              issue.includes('"code":"not-supported"') &&
              issue.includes('is not allowed. To enable asynchronous functions')
            ),
        );
        if (onlyOurs.length + onlyTheirs.length > 0)
          differences.push(`input ${position}: closures ${onlyOurs.join(' ')}; fhirpath ${onlyTheirs.join(' ')}`);
      });
    }
    expect(differences.slice(0, 5)).toEqual([]);
    expect(compared).toBeGreaterThan(1_000);
  });
});

describe('fuzz', () => {
  test('10,000 random and mutated JSON values: no throw, no internal failure', () => {
    const random = prng(20261123);
    const examples = packages.flatMap(({ validate, examples: list }) =>
      list.map((example) => ({ validate, json: example.json })),
    );
    const failures: string[] = [];
    for (let round = 0; round < 10_000; round++) {
      const { validate, json } = examples[Math.floor(random() * examples.length)]!;
      const input = round % 3 === 0 ? randomJson(random) : mutateJson(json, random);
      let outcome: ReturnType<typeof validate>;
      try {
        outcome = validate(input);
      } catch (error) {
        failures.push(`round ${round}: threw ${String(error)}`);
        continue;
      }
      if (outcome.resourceType !== 'OperationOutcome' || outcome.issue.length === 0)
        failures.push(`round ${round}: no outcome`);
      const exception = outcome.issue.find((issue) => issue.code === 'exception');
      if (exception !== undefined) failures.push(`round ${round}: ${exception.diagnostics}`);
    }
    // No timed assertion: a hang fails by the test's time limit; speed is measured by the bench.
    expect(failures.slice(0, 10)).toEqual([]);
  });

  test('a large input (a Bundle of 3,000 entries, a 1 MB string) is validated without an error or a throw', () => {
    const ukCore = packages[0]!;
    const patient = ukCore.examples.find((example) => example.json['resourceType'] === 'Patient')!.json;
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: Array.from({ length: 3_000 }, (_, index) => ({
        fullUrl: `urn:uuid:00000000-0000-0000-0000-${String(index).padStart(12, '0')}`,
        resource: patient,
      })),
    };
    const outcome = ukCore.validate(bundle);
    expect(outcome.issue.filter((issue) => issue.severity === 'error' || issue.severity === 'fatal')).toEqual([]);
    const huge = ukCore.validate({ resourceType: 'Patient', id: 'x', name: [{ text: 'x'.repeat(1_000_000) }] });
    expect(huge.issue.filter((issue) => issue.severity === 'error')).toEqual([]);
  });
});
