// The five generated FHIR packages, one row each: what the suite's tests (consumer, examples, readme, exports,
// validate) check of every one of them, and what each is expected to give. The packages are imported (built, from
// dist/) only by the tests that call them.
import type { OperationOutcome, ValidateOptions } from '@nhs-fhir/validation';
import { type ExampleSet, type ExampleSource, profileOfExample, withDeclaredProfile } from './example-sources.js';
import { withoutFhirComments } from '@nhs-fhir/specs/testing';

/** What a base model exports: the resource types and guards every test of a base package reads. */
export interface BaseModule {
  readonly fhirVersion: string;
  readonly resourceTypes: readonly string[];
  isResource(value: unknown): boolean;
  isResourceType(value: unknown): boolean;
  isPatient(value: unknown): boolean;
  isObservation(value: unknown): boolean;
  isBundle(value: unknown): boolean;
}

export interface BasePackage {
  readonly name: '@nhs-fhir/r4' | '@nhs-fhir/stu3';
  readonly load: () => Promise<BaseModule>;
  /** The core package the base model is generated from. */
  readonly core: readonly [id: string, version: string];
}

/** What a profile package exports that the tests read. */
export interface ProfileModule {
  readonly profileTypeNames: Readonly<Record<string, string>>;
  validate(resource: unknown, options?: ValidateOptions): OperationOutcome;
}

export interface ValidationExpectations {
  /** How many examples are validated (all of the package's examples: none excluded). */
  readonly count: number;
  /** The errors (`<code> <expression>`) expected of an example, by file name; every other example has none. */
  readonly errors: Readonly<Record<string, readonly string[]>>;
  /** Hand-made resources the validator must reject, each with an expression its errors must name. */
  readonly rejects: readonly { title: string; input: unknown; options?: ValidateOptions; expression: string }[];
}

export interface GeneratedPackage {
  readonly name: string;
  /** The package's folder, from the workspace root. */
  readonly dir: string;
  readonly fhirVersion: '4.0.1' | '3.0.1';
  /** The base model: the package itself for @nhs-fhir/r4 and @nhs-fhir/stu3. */
  readonly base: BasePackage;
  /** The profile package's own exports; absent for the base models. */
  readonly profiles?: () => Promise<ProfileModule>;
  /** For the base models: the counts of the core package's concrete resources and complex datatypes. */
  readonly exports?: { readonly resources: number; readonly datatypes: number };
  readonly examples: ExampleSet & {
    /** Examples not valid as published, by source, each with its reason; every other one must type-check. */
    readonly excluded: Readonly<Record<string, string>>;
    /** Which written examples are counted (by the type they are checked as), and how many there must be. */
    readonly written: { readonly counted: (type: string) => boolean } & (
      | { readonly exactly: number }
      | { readonly atLeast: number }
    );
  };
  /** The README's opening example: how many lines it has, and what it prints. */
  readonly readme: { readonly lines: number; readonly prints: string };
  /** The consumer program's folder under `consumers/` (a tsconfig.json and the code it checks). */
  readonly consumer: string;
  readonly validation?: ValidationExpectations;
}

const R4: BasePackage = {
  name: '@nhs-fhir/r4',
  load: () => import('@nhs-fhir/r4'),
  core: ['hl7.fhir.r4.core', '4.0.1'],
};
const STU3: BasePackage = {
  name: '@nhs-fhir/stu3',
  load: () => import('@nhs-fhir/stu3'),
  core: ['hl7.fhir.r3.core', '3.0.1'],
};

const UK_CORE: ExampleSource = { package: ['fhir.r4.ukcore.stu3.currentbuild', '0.22.0-pre-release'] };
const NHS_ENGLAND: ExampleSource = { package: ['uk.nhsengland.r4', '0.0.1'] };
const RARECORD: ExampleSource = { package: ['nhsconnect.stu3.rarecord', '0.0.0-develop.4543c05'] };
/** The Spine Reasonable Adjustments documentation examples, read from the mirror (they are not in any package). */
const SPINE_EXAMPLES = 'examples/reasonable-adjustments-stu3-spine';

const UK_CORE_EXAMPLES = 'fhir.r4.ukcore.stu3.currentbuild#0.22.0-pre-release/package/example';
/** Not valid as published: the reference is a bare id, not a literal reference (in R4 and as UK Core). */
const UK_CORE_BARE_REFERENCES: Record<string, string> = {
  [`${UK_CORE_EXAMPLES}/MedicationDispense-UKCore-MedicationDispense-CiprofloxacinIV-Example.json`]:
    'authorizingPrescription.reference is a bare id (UKCore-MedicationRequest-CiprofloxacinIV-Example), ' +
    'not a literal reference MedicationRequest/<id>',
  [`${UK_CORE_EXAMPLES}/MedicationDispense-UKCore-MedicationDispense-CiprofloxacinOral-Example.json`]:
    'authorizingPrescription.reference is a bare id (UKCore-MedicationRequest-CiprofloxacinOral-Example), ' +
    'not a literal reference MedicationRequest/<id>',
};

/**
 * Spine examples that are not valid STU3 as published (see the mirror's PROVENANCE.md, "Invalid upstream
 * examples"), each with the reason.
 */
const SPINE_INVALID: Record<string, string> = {
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
 * The RARecord examples were written for an earlier version of the profiles; each break is a rule of
 * the package as pinned (the same verdicts as tools/validation-conformance/test/real-examples.test.ts):
 * - `required <T>.contained[0].activity`: RARecord-Provenance-1 makes Provenance.activity 1..1; the contained
 *   Provenance has none;
 * - `value ...coding[0].system`: Extension-RARecord-AdjustmentCategory-1 / -ProxyRole-1 fix the coding system to
 *   .../CodeSystem/RARecord-AdjustmentCategory-1 / RARecord-ProxyRole-1; the examples have .../CodeSystem-RARecord-...;
 * - `code-invalid ...valueCodeableConcept`: their codes (other, comms, patientconsent, lpa...) are not in those
 *   required value sets (codes 001-...);
 * - `code-invalid Flag.category`: RARecord-Flag-1 binds category (required) to RARecord-FlagCategory-1, whose one
 *   code is NRAF.
 */
const RARECORD_FLAG = [
  'required Flag.contained[0].activity',
  'value Flag.extension[1].valueCodeableConcept.coding[0].system',
  'code-invalid Flag.extension[1].valueCodeableConcept',
  'code-invalid Flag.category',
];
const RARECORD_CONSENT = [
  'required Consent.contained[0].activity',
  'value Consent.extension[0].valueCodeableConcept.coding[0].system',
  'code-invalid Consent.extension[0].valueCodeableConcept',
];

const UK_CORE_PROFILES = 'https://fhir.hl7.org.uk/StructureDefinition/';

export const GENERATED_PACKAGES: readonly GeneratedPackage[] = [
  {
    name: '@nhs-fhir/r4',
    dir: 'packages/r4',
    fhirVersion: '4.0.1',
    base: R4,
    exports: { resources: 146, datatypes: 41 },
    // every R4 package of the mirror that ships instance examples
    examples: {
      sources: [UK_CORE, NHS_ENGLAND],
      excluded: UK_CORE_BARE_REFERENCES,
      written: { counted: () => true, atLeast: 151 },
    },
    readme: { lines: 7, prints: '1 female\n' },
    consumer: 'r4',
  },
  {
    name: '@nhs-fhir/stu3',
    dir: 'packages/stu3',
    fhirVersion: '3.0.1',
    base: STU3,
    exports: { resources: 117, datatypes: 35 },
    examples: {
      sources: [RARECORD, { mirror: SPINE_EXAMPLES }],
      prepare: (json) => withoutFhirComments(json) as Record<string, unknown>,
      excluded: SPINE_INVALID,
      // the 12 RARecord examples and the 48 Spine examples, less those not valid STU3
      written: { counted: () => true, exactly: 12 + 48 - Object.keys(SPINE_INVALID).length },
    },
    readme: { lines: 7, prints: '1 female\n' },
    consumer: 'stu3',
  },
  {
    name: '@nhs-fhir/uk-core',
    dir: 'packages/uk-core',
    fhirVersion: '4.0.1',
    base: R4,
    profiles: () => import('@nhs-fhir/uk-core'),
    examples: {
      sources: [UK_CORE],
      prepare: (json, name, profileTypeNames) =>
        withDeclaredProfile(
          json,
          profileOfExample(name, String(json['resourceType']), profileTypeNames, UK_CORE_PROFILES),
        ),
      excluded: UK_CORE_BARE_REFERENCES,
      written: { counted: (type) => type.startsWith('UKCore'), atLeast: 141 },
    },
    readme: { lines: 9, prints: 'true 9000000009 0\n' },
    consumer: 'uk-core',
    validation: {
      count: 162,
      errors: {},
      rejects: [
        {
          title: 'an NHS number without its value, at the slice element',
          input: {
            resourceType: 'Patient',
            meta: { profile: [`${UK_CORE_PROFILES}UKCore-Patient`] },
            identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number' }],
          },
          expression: 'Patient.identifier[0].value',
        },
        {
          title: 'a gender outside its required binding, against the profile named in the options',
          input: { resourceType: 'Patient', gender: 'woman' },
          options: { profile: `${UK_CORE_PROFILES}UKCore-Patient` },
          expression: 'Patient.gender',
        },
      ],
    },
  },
  {
    name: '@nhs-fhir/nhs-england',
    dir: 'packages/nhs-england',
    fhirVersion: '4.0.1',
    base: R4,
    profiles: () => import('@nhs-fhir/nhs-england'),
    // the examples declare their profiles in meta.profile (Bundles and two FGM Flags declare none: they are
    // checked as base types)
    examples: {
      sources: [NHS_ENGLAND],
      excluded: {},
      written: { counted: (type) => type.startsWith('England'), atLeast: 8 },
    },
    readme: { lines: 20, prints: 'Quiet room 0\n' },
    consumer: 'nhs-england',
    validation: {
      count: 18,
      errors: {},
      rejects: [
        {
          title: 'a Patient Flag without its subject',
          input: {
            resourceType: 'Flag',
            meta: { profile: ['https://fhir.nhs.uk/England/StructureDefinition/England-Flag-PatientFlag'] },
            status: 'active',
            code: { text: 'x' },
          },
          expression: 'Flag.subject',
        },
      ],
    },
  },
  {
    name: '@nhs-fhir/reasonable-adjustments-stu3',
    dir: 'packages/reasonable-adjustments-stu3',
    fhirVersion: '3.0.1',
    base: STU3,
    profiles: () => import('@nhs-fhir/reasonable-adjustments-stu3'),
    // every RARecord example declares its profile; the types accept all twelve (what they break is for validate)
    examples: {
      sources: [RARECORD],
      excluded: {},
      written: { counted: (type) => type !== 'Bundle', exactly: 12 },
    },
    readme: { lines: 18, prints: "Quiet room [ 'Flag.extension' ]\n" },
    consumer: 'reasonable-adjustments-stu3',
    validation: {
      count: 12,
      errors: {
        'Condition-6c959805-7af1-445d-9d3e-087e3c2bc107.json': ['required Condition.contained[0].activity'],
        'Condition-9cbd3dda-c51a-4e68-af70-f0de60cb8ba7.json': ['required Condition.contained[0].activity'],
        'Consent-9abcd14c-187c-43e4-9cbf-aaf139b17e8a.json': RARECORD_CONSENT,
        'Consent-f1dc0ac6-45ff-4d2b-bf91-793971e3e286.json': RARECORD_CONSENT,
        'Flag-3e497b93-990f-4e54-8414-0efef10bdcf4.json': RARECORD_FLAG,
        'Flag-5438ab03-6c48-481f-9c60-2e4378a05232.json': RARECORD_FLAG,
        'Flag-5dd09792-2b3e-4133-8a61-8234080a0077.json': RARECORD_FLAG,
        'Flag-5f96eae1-b5eb-439d-8ba3-153c2b99698c.json': RARECORD_FLAG,
        'Flag-7c30576a-072b-408f-a709-dd0b6f5d07c8.json': RARECORD_FLAG,
        'Flag-7e437dcf-2e3f-45ad-9cab-5e4176c11e41.json': RARECORD_FLAG,
        'Flag-dc274215-8c99-4133-b342-86144d249a2e.json': RARECORD_FLAG,
      },
      rejects: [],
    },
  },
];

/** The rows of the profile packages, with their profile exports and validation expectations. */
export const PROFILE_PACKAGES = GENERATED_PACKAGES.flatMap((row) =>
  row.profiles !== undefined && row.validation !== undefined
    ? [{ ...row, profiles: row.profiles, validation: row.validation }]
    : [],
);

/** The rows of the base models, with their export counts. */
export const BASE_PACKAGES = GENERATED_PACKAGES.flatMap((row) =>
  row.exports !== undefined ? [{ ...row, exports: row.exports }] : [],
);
