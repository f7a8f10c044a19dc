import { describe, expect, test } from 'vitest';
import { buildPackageModel } from '../src/model/build-type-model.js';
import { CodegenError } from '../src/fhir/index.js';
import { SnapshotError } from '../src/snapshot/snapshot-issue.js';
import type { ElementModel } from '../src/model/type-model.js';
import { HL7, el, fixtureGraph, sd, thing, type Json } from './model-fixtures.js';

const modelOf = (given: { elements: Json[]; resources?: Json[] }): ElementModel[] => {
  const model = buildPackageModel(fixtureGraph([thing(given.elements), ...(given.resources ?? [])]));
  return model.resources.find((type) => type.name === 'Thing')!.elements;
};

const codeSystem = (url: string, concepts: Json[], content = 'complete'): Json => ({
  resourceType: 'CodeSystem',
  id: url.split('/').pop(),
  url,
  content,
  concept: concepts,
});
const valueSet = (url: string, compose: Json): Json => ({
  resourceType: 'ValueSet',
  id: url.split('/').pop(),
  url,
  compose,
});

const elementTests: [string, { given: { elements: Json[]; resources?: Json[] }; want: ElementModel[] }][] = [
  [
    'primitives: cardinality, JSON type, short, and `_field` allowed',
    {
      given: {
        elements: [
          el('Thing.active', 0, '1', ['boolean'], { short: 'Whether in use' }),
          el('Thing.alias', 1, '*', ['string']),
          el('Thing.rank', 0, '1', ['positiveInt']),
        ],
      },
      want: [
        {
          path: 'Thing.active',
          name: 'active',
          min: 0,
          max: 1,
          short: 'Whether in use',
          choice: false,
          types: [{ code: 'boolean', kind: 'primitive', json: 'boolean' }],
          primitiveExtension: true,
        },
        {
          path: 'Thing.alias',
          name: 'alias',
          min: 1,
          max: '*',
          choice: false,
          types: [{ code: 'string', kind: 'primitive', json: 'string' }],
          primitiveExtension: true,
        },
        // R4 4.0.1 types positiveInt's value as System.String; it derives from integer, so it is a number
        {
          path: 'Thing.rank',
          name: 'rank',
          min: 0,
          max: 1,
          choice: false,
          types: [{ code: 'positiveInt', kind: 'primitive', json: 'number' }],
          primitiveExtension: true,
        },
      ],
    },
  ],
  [
    'FHIRPath system types become their FHIR type; element ids (XML attributes) have no `_field`',
    {
      given: {
        elements: [
          el(
            'Thing.id',
            0,
            '1',
            [
              {
                code: 'http://hl7.org/fhirpath/System.String',
                extension: [
                  { url: 'http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type', valueUrl: 'string' },
                ],
              },
            ],
            { base: { path: 'Resource.id' } },
          ),
        ],
      },
      want: [
        {
          path: 'Thing.id',
          name: 'id',
          min: 0,
          max: 1,
          choice: false,
          types: [{ code: 'string', kind: 'primitive', json: 'string' }],
          primitiveExtension: true,
        },
      ],
    },
  ],
  [
    'choice element: one type per variant, name without [x]',
    {
      given: { elements: [el('Thing.value[x]', 0, '1', ['string', 'Coding', 'boolean'])] },
      want: [
        {
          path: 'Thing.value[x]',
          name: 'value',
          min: 0,
          max: 1,
          choice: true,
          types: [
            { code: 'string', kind: 'primitive', json: 'string' },
            { code: 'Coding', kind: 'complex' },
            { code: 'boolean', kind: 'primitive', json: 'boolean' },
          ],
          primitiveExtension: true,
        },
      ],
    },
  ],
  [
    'references: R4 target profiles resolve to resource types; STU3 repeats the type per target and is merged',
    {
      given: {
        elements: [
          el('Thing.owner', 0, '1', [
            { code: 'Reference', targetProfile: [`${HL7}Organization`, `${HL7}Practitioner`] },
          ]),
          el('Thing.helper', 0, '*', [
            { code: 'Reference', targetProfile: `${HL7}Practitioner` },
            { code: 'Reference', targetProfile: `${HL7}Organization` },
          ]),
          el('Thing.anything', 0, '1', [{ code: 'Reference', targetProfile: [`${HL7}Resource`] }]),
        ],
      },
      want: [
        {
          path: 'Thing.owner',
          name: 'owner',
          min: 0,
          max: 1,
          choice: false,
          types: [
            {
              code: 'Reference',
              kind: 'complex',
              targetProfiles: [`${HL7}Organization`, `${HL7}Practitioner`],
              targets: ['Organization', 'Practitioner'],
            },
          ],
          primitiveExtension: false,
        },
        {
          path: 'Thing.helper',
          name: 'helper',
          min: 0,
          max: '*',
          choice: false,
          types: [
            {
              code: 'Reference',
              kind: 'complex',
              targetProfiles: [`${HL7}Practitioner`, `${HL7}Organization`],
              targets: ['Practitioner', 'Organization'],
            },
          ],
          primitiveExtension: false,
        },
        {
          path: 'Thing.anything',
          name: 'anything',
          min: 0,
          max: 1,
          choice: false,
          types: [{ code: 'Reference', kind: 'complex', targetProfiles: [`${HL7}Resource`], targets: [] }],
          primitiveExtension: false,
        },
      ],
    },
  ],
  [
    'bindings: required codes expanded from the closure (nested concepts, excludes); filters and ' +
      'other strengths keep no codes',
    {
      given: {
        elements: [
          el('Thing.status', 1, '1', ['code'], {
            binding: { strength: 'required', valueSet: 'https://example.org/ValueSet/status|1.0.0' },
          }),
          el('Thing.kind', 0, '1', ['code'], {
            binding: {
              strength: 'required',
              valueSetReference: { reference: 'https://example.org/ValueSet/filtered' },
            },
          }),
          el('Thing.flavour', 0, '1', ['code'], {
            binding: { strength: 'extensible', valueSetUri: 'https://example.org/ValueSet/status' },
          }),
        ],
        resources: [
          codeSystem('https://example.org/CodeSystem/status', [
            { code: 'active', concept: [{ code: 'suspended' }] },
            { code: 'done' },
            { code: 'entered-in-error' },
          ]),
          {
            ...valueSet('https://example.org/ValueSet/status', {
              include: [{ system: 'https://example.org/CodeSystem/status' }],
              exclude: [{ system: 'https://example.org/CodeSystem/status', concept: [{ code: 'entered-in-error' }] }],
            }),
            version: '1.0.0',
          },
          valueSet('https://example.org/ValueSet/filtered', {
            include: [
              {
                system: 'https://example.org/CodeSystem/status',
                filter: [{ property: 'concept', op: 'is-a', value: 'active' }],
              },
            ],
          }),
        ],
      },
      want: [
        {
          path: 'Thing.status',
          name: 'status',
          min: 1,
          max: 1,
          choice: false,
          types: [{ code: 'code', kind: 'primitive', json: 'string' }],
          primitiveExtension: true,
          binding: {
            strength: 'required',
            valueSet: 'https://example.org/ValueSet/status|1.0.0',
            codes: ['active', 'suspended', 'done'],
          },
        },
        {
          path: 'Thing.kind',
          name: 'kind',
          min: 0,
          max: 1,
          choice: false,
          types: [{ code: 'code', kind: 'primitive', json: 'string' }],
          primitiveExtension: true,
          binding: { strength: 'required', valueSet: 'https://example.org/ValueSet/filtered' },
        },
        {
          path: 'Thing.flavour',
          name: 'flavour',
          min: 0,
          max: 1,
          choice: false,
          types: [{ code: 'code', kind: 'primitive', json: 'string' }],
          primitiveExtension: true,
          binding: { strength: 'extensible', valueSet: 'https://example.org/ValueSet/status' },
        },
      ],
    },
  ],
  [
    'backbone elements nest their children; content references point at a backbone path',
    {
      given: {
        elements: [
          el('Thing.part', 0, '*', ['BackboneElement'], { short: 'A part' }),
          el('Thing.part.id', 0, '1', ['string'], { base: { path: 'Element.id' } }),
          el('Thing.part.label', 1, '1', ['string']),
          el('Thing.part.part', 0, '*', [], { contentReference: '#Thing.part' }),
          el('Thing.contained', 0, '*', ['Resource']),
        ],
      },
      want: [
        {
          path: 'Thing.part',
          name: 'part',
          min: 0,
          max: '*',
          short: 'A part',
          choice: false,
          types: [{ code: 'BackboneElement', kind: 'backbone' }],
          primitiveExtension: false,
          children: [
            {
              path: 'Thing.part.id',
              name: 'id',
              min: 0,
              max: 1,
              choice: false,
              types: [{ code: 'string', kind: 'primitive', json: 'string' }],
              primitiveExtension: false,
            },
            {
              path: 'Thing.part.label',
              name: 'label',
              min: 1,
              max: 1,
              choice: false,
              types: [{ code: 'string', kind: 'primitive', json: 'string' }],
              primitiveExtension: true,
            },
            {
              path: 'Thing.part.part',
              name: 'part',
              min: 0,
              max: '*',
              choice: false,
              types: [],
              contentReference: 'Thing.part',
              primitiveExtension: false,
            },
          ],
        },
        {
          path: 'Thing.contained',
          name: 'contained',
          min: 0,
          max: '*',
          choice: false,
          types: [{ code: 'Resource', kind: 'resource' }],
          primitiveExtension: false,
        },
      ],
    },
  ],
];

describe('buildTypeModel: elements', () => {
  test.each(elementTests)('%s', (_, { given, want }) => {
    expect(modelOf(given)).toEqual(want);
  });
});

describe('buildPackageModel', () => {
  test(
    'exactly the concrete resources, the datatypes (with abstract Element) and primitives, by ' +
      'name; constraints left out, abstract resources apart',
    () => {
      const profile = {
        ...sd('Thing', 'resource', []),
        url: 'https://example.org/StructureDefinition/ThingProfile',
        derivation: 'constraint',
      };
      const model = buildPackageModel(fixtureGraph([thing([]), profile, sd('Logical', 'logical', [])]));
      expect({
        resources: model.resources.map((type) => type.name),
        complexTypes: model.complexTypes.map((type) => `${type.name}${type.abstract ? ' (abstract)' : ''}`),
        primitives: model.primitives.map((type) => `${type.name}: ${type.json}`),
        abstractResources: model.abstractResources?.map((type) => type.name),
      }).toEqual({
        resources: ['Organization', 'Practitioner', 'Thing'],
        complexTypes: ['Coding', 'Element (abstract)', 'Extension', 'Reference'],
        primitives: [
          'boolean: boolean',
          'code: string',
          'integer: number',
          'positiveInt: number',
          'string: string',
          'uri: string',
          'xhtml: string',
        ],
        abstractResources: ['Resource'],
      });
      expect(model.resources.find((type) => type.name === 'Thing')).toMatchObject({
        url: `${HL7}Thing`,
        version: '4.0.1',
        packageKey: 'fixture.core#4.0.1',
        file: 'package/StructureDefinition-Thing.json',
        base: 'DomainResource',
        short: 'The Thing',
      });
    },
  );

  test('STU3 primitives: the JSON type comes from the structuredefinition-json-type extension of `_code`', () => {
    const stu3Primitive = (name: string, jsonType: string): Json =>
      sd(name, 'primitive-type', [
        el(`${name}.value`, 0, '1', [
          {
            _code: {
              extension: [
                { url: 'http://hl7.org/fhir/StructureDefinition/structuredefinition-json-type', valueString: jsonType },
              ],
            },
          },
        ]),
      ]);
    const model = buildPackageModel(
      fixtureGraph(
        [stu3Primitive('unsignedInt', 'number'), stu3Primitive('boolean', 'boolean'), stu3Primitive('date', 'string')],
        false,
      ),
    );
    expect(model.primitives.map((type) => `${type.name}: ${type.json}`)).toEqual([
      'boolean: boolean',
      'date: string',
      'unsignedInt: number',
    ]);
  });

  test('the model is plain data: JSON round-trips it unchanged', () => {
    const model = buildPackageModel(fixtureGraph([thing([el('Thing.value[x]', 0, '1', ['string', 'Coding'])])]));
    expect(JSON.parse(JSON.stringify(model))).toEqual(model);
  });
});

const errorTests: [string, { given: Json[]; want: string }][] = [
  [
    'no snapshot',
    {
      given: [{ ...thing([]), snapshot: undefined }],
      want: 'fixture.core#4.0.1: package/StructureDefinition-Thing.json: StructureDefinition Thing has no snapshot',
    },
  ],
  [
    'unknown type',
    {
      given: [thing([el('Thing.size', 0, '1', ['Quantity'])])],
      want:
        'fixture.core#4.0.1: package/StructureDefinition-Thing.json: element Thing.size: type ' +
        'Quantity is not defined in the package closure',
    },
  ],
  [
    'bad max',
    {
      given: [thing([el('Thing.size', 0, 'many', ['string'])])],
      want:
        'fixture.core#4.0.1: package/StructureDefinition-Thing.json: element Thing.size: max ' +
        '"many" is not a number or *',
    },
  ],
  [
    'no type',
    {
      given: [thing([el('Thing.size', 0, '1')])],
      want:
        'fixture.core#4.0.1: package/StructureDefinition-Thing.json: element Thing.size: ' +
        'element has neither a type nor a contentReference',
    },
  ],
  [
    'unresolved target profile',
    {
      given: [
        thing([
          el('Thing.owner', 0, '1', [
            { code: 'Reference', targetProfile: ['https://example.org/StructureDefinition/Nowhere'] },
          ]),
        ]),
      ],
      want:
        'fixture.core#4.0.1: package/StructureDefinition-Thing.json: element Thing.owner: ' +
        'target profile https://example.org/StructureDefinition/Nowhere resolves to no ' +
        'StructureDefinition in the package closure',
    },
  ],
];

describe('buildTypeModel: bad input is one line naming the input, file and element', () => {
  test.each(errorTests)('%s', (_, { given, want }) => {
    let thrown: unknown;
    try {
      buildPackageModel(fixtureGraph(given));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CodegenError);
    expect((thrown as Error).message).toBe(want);
  });
});

describe('buildTypeModel: a snapshot whose elements do not nest', () => {
  test("is the snapshot stage's SnapshotError, naming the input, the definition and the element", () => {
    const build = () => buildPackageModel(fixtureGraph([thing([el('Thing.part.label', 0, '1', ['string'])])]));
    expect(build).toThrow(SnapshotError);
    expect(build).toThrow(
      'fixture.core#4.0.1: StructureDefinition Thing: shipped snapshot: element Thing.part.label ' +
        'has no parent in the snapshot',
    );
  });
});
