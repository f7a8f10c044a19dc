import { type LoadedPackage, type PackageResource, structureFields } from '../../src/load/package-store.js';
import { coreDefinitions, definition, el, igDefinitions } from '../snapshot-fixtures/core.js';

// The snapshot fixtures' miniature core (snapshot-fixtures/core.ts), plus what validator tables need
// besides: primitive types with their regexes, invariants, a required binding and the value sets it names.

type Json = Record<string, unknown>;
const REGEX = 'http://hl7.org/fhir/StructureDefinition/regex';

const primitive = (code: string, regex?: string): Json =>
  definition(code, 'primitive-type', [
    el(code, 0, '*'),
    el(`${code}.id`, 0, '1', ['string']),
    {
      ...el(`${code}.value`, 0, '1'),
      type: [
        {
          code: `http://hl7.org/fhirpath/System.String`,
          extension: [
            { url: 'http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type', valueUrl: code },
            ...(regex === undefined ? [] : [{ url: REGEX, valueString: regex }]),
          ],
        },
      ],
    },
  ]);

const ELE_1 = {
  key: 'ele-1',
  severity: 'error',
  human: 'All FHIR elements must have a @value or children',
  expression: 'hasValue() or (children().count() > id.count())',
};

/**
 * The miniature core with primitives, an invariant on Patient.link given two ways, and a required binding on
 * Patient.gender.
 */
const core: Json[] = [
  ...coreDefinitions.map((json) => {
    if (json['id'] !== 'Patient') return json;
    const snapshot = json['snapshot'] as { element: Json[] };
    return {
      ...json,
      snapshot: {
        element: snapshot.element.map((element) =>
          element['id'] === 'Patient.link'
            ? {
                ...element,
                constraint: [
                  ELE_1,
                  { key: 'pat-1', severity: 'error', human: 'link rule', expression: 'other.exists()' },
                ],
              }
            : element['id'] === 'Patient.identifier'
              ? {
                  ...element,
                  constraint: [
                    {
                      key: 'pat-1',
                      severity: 'warning',
                      human: 'another rule under the same key',
                      expression: 'value.exists()',
                    },
                  ],
                }
              : element,
        ),
      },
    };
  }),
  primitive('string', '[ \\r\\n\\t\\S]+'),
  primitive('uri', '\\S*'),
  primitive('code', '[^\\s]+(\\s[^\\s]+)*'),
  primitive('decimal'),
  primitive('instant', '[0-9]{4}-[0-9]{2}-[0-9]{2}T.+'),
  {
    ...primitive('boolean'),
    snapshot: {
      element: [el('boolean', 0, '*'), el('boolean.value', 0, '1', ['http://hl7.org/fhirpath/System.Boolean'])],
    },
  },
];

const terminology: Json[] = [
  {
    resourceType: 'ValueSet',
    id: 'administrative-gender',
    url: 'http://hl7.org/fhir/ValueSet/administrative-gender',
    version: '4.0.1',
    compose: { include: [{ system: 'http://hl7.org/fhir/administrative-gender' }] },
  },
  {
    resourceType: 'CodeSystem',
    id: 'administrative-gender',
    url: 'http://hl7.org/fhir/administrative-gender',
    content: 'complete',
    concept: [{ code: 'male' }, { code: 'female' }, { code: 'other' }, { code: 'unknown' }],
  },
  {
    resourceType: 'ValueSet',
    id: 'by-filter',
    url: 'https://example.org/ValueSet/by-filter',
    compose: {
      include: [
        { system: 'http://snomed.info/sct', filter: [{ property: 'concept', op: 'is-a', value: '404684003' }] },
      ],
    },
  },
];

function pkg(id: string, fhirVersion: string, list: Json[]): LoadedPackage {
  const key = `${id}#1.0.0`;
  const resources: PackageResource[] = list.map((json) => ({
    resourceType: String(json['resourceType']),
    url: typeof json['url'] === 'string' ? json['url'] : undefined,
    version: typeof json['version'] === 'string' ? json['version'] : undefined,
    id: String(json['id']),
    file: `package/${String(json['resourceType'])}-${String(json['id'])}.json`,
    packageKey: key,
    ...structureFields(json),
    json: json['resourceType'] === 'StructureDefinition' ? { ...json, fhirVersion } : json,
  }));
  return { id, version: '1.0.0', key, fhirVersion, resources, examples: [], dependencies: [] };
}

/** The IG (its own profiles and extensions, plus `extra`), then the core: as the loader gives a closure. */
export function validationClosure(extra: Json[] = [], fhirVersion = '4.0.1'): LoadedPackage[] {
  return [
    pkg('fixture.ig', fhirVersion, [...igDefinitions, ...extra]),
    pkg('fixture.core', fhirVersion, [...core, ...terminology]),
  ];
}
