import { describe, expect, test } from 'vitest';
import { CodegenError } from '../src/fhir/index.js';
import { profileTypeName } from '../src/model/profile-model.js';
import { SnapshotError } from '../src/snapshot/snapshot-issue.js';
import { modelOf, p, thingProfile } from './profile-fixtures.js';

describe('buildProfileModel', () => {
  test('each element carries the profile facts beside the base facts', () => {
    const model = modelOf(
      thingProfile([
        p('Thing.tag', 1, '1', ['Coding'], { short: 'One tag' }),
        p('Thing.status', 0, '1', ['code'], {
          binding: { strength: 'required', valueSet: 'https://example.org/ValueSet/colours' },
        }),
      ]),
    );
    expect(model).toMatchObject({
      name: 'ThingProfile',
      kind: 'resource',
      type: 'Thing',
      url: 'https://example.org/StructureDefinition/ThingProfile',
      short: 'A profiled thing',
    });
    expect(model.elements).toEqual([
      {
        id: 'Thing.tag',
        name: 'tag',
        choice: false,
        min: 1,
        max: 1,
        baseMin: 0,
        baseMax: '*',
        types: [{ code: 'Coding' }],
        baseTypes: ['Coding'],
        primitive: false,
        short: 'One tag',
      },
      {
        id: 'Thing.status',
        name: 'status',
        choice: false,
        min: 0,
        max: 1,
        baseMin: 0,
        baseMax: 1,
        types: [{ code: 'code' }],
        baseTypes: ['code'],
        primitive: true,
        binding: { strength: 'required', valueSet: 'https://example.org/ValueSet/colours', codes: ['red', 'green'] },
        baseValueSet: 'https://example.org/ValueSet/base-status',
      },
    ]);
  });

  test('slices nest under their element with the discriminator values that select them', () => {
    const model = modelOf(
      thingProfile([
        p('Thing.tag', 0, '*', ['Coding'], {
          slicing: {
            discriminator: [
              { type: 'value', path: 'system' },
              { type: 'pattern', path: 'code' },
            ],
            rules: 'open',
          },
        }),
        p('Thing.tag:nhs', 0, '1', ['Coding']),
        p('Thing.tag:nhs.system', 1, '1', ['uri'], { fixedUri: 'urn:nhs' }),
        p('Thing.tag:nhs.code', 1, '1', ['code'], { patternCode: 'n1' }),
        p('Thing.tag:other', 0, '1', ['Coding']),
      ]),
    );
    const tag = model.elements[0]!;
    expect(tag.slicing).toEqual({
      discriminator: [
        { type: 'value', path: 'system' },
        { type: 'pattern', path: 'code' },
      ],
      rules: 'open',
    });
    expect(tag.slices?.map((slice) => [slice.name, slice.match])).toEqual([
      [
        'nhs',
        [
          { path: 'system', value: 'urn:nhs', pattern: false },
          { path: 'code', value: 'n1', pattern: true },
        ],
      ],
      // no fixed values beneath: the slice cannot be recognised statically
      ['other', undefined],
    ]);
    expect(tag.slices?.[0]?.element.children?.map((child) => child.id)).toEqual([
      'Thing.tag:nhs.system',
      'Thing.tag:nhs.code',
    ]);
  });

  test('extension slices take the url of their definition', () => {
    const model = modelOf(
      thingProfile([
        p('Thing.extension', 0, '*', ['Extension'], {
          slicing: { discriminator: [{ type: 'value', path: 'url' }], rules: 'open' },
        }),
        p('Thing.extension:nickname', 0, '1', [
          { code: 'Extension', profile: ['https://example.org/StructureDefinition/nickname'] },
        ]),
      ]),
    );
    expect(model.elements[0]?.slices?.[0]).toMatchObject({
      name: 'nickname',
      extensionUrl: 'https://example.org/StructureDefinition/nickname',
      match: [{ path: 'url', value: 'https://example.org/StructureDefinition/nickname', pattern: false }],
    });
  });

  test('STU3 renamed choice ids (`value[x]:valueBoolean`) are the element itself', () => {
    const model = modelOf(
      thingProfile([p('Thing.valueBoolean', 1, '1', ['boolean'], { id: 'Thing.value[x]:valueBoolean' })]),
    );
    expect(
      model.elements.map((element) => [element.id, element.name, element.baseTypes, element.renamedChoice]),
    ).toEqual([['Thing.value[x]:valueBoolean', 'valueBoolean', ['string', 'boolean'], 'value']]);
  });

  test('ids, children and slices come from the snapshot tree, not from the ids as written', () => {
    const model = modelOf(
      thingProfile([
        { path: 'Thing.tag', min: 0, max: '*', type: [{ code: 'Coding' }], slicing: { rules: 'open' } },
        p('Thing.tag:a', 0, '1', ['Coding'], { id: 'Thing.tag:wrong' }),
        p('Thing.tag:a.system', 1, '1', ['uri'], { id: 'elsewhere', fixedUri: 'urn:a' }),
      ]),
    );
    const tag = model.elements[0]!;
    expect([tag.id, tag.slices?.map((slice) => [slice.name, slice.element.id])]).toEqual([
      'Thing.tag',
      [['a', 'Thing.tag:a']],
    ]);
    expect(tag.slices?.[0]?.element.children?.map((child) => [child.id, child.fixed])).toEqual([
      ['Thing.tag:a.system', 'urn:a'],
    ]);
  });

  test('a snapshot whose elements do not nest is a SnapshotError naming the profile and the element', () => {
    const build = () => modelOf(thingProfile([p('Thing.tag.system', 1, '1', ['uri'])]));
    expect(build).toThrow(SnapshotError);
    expect(build).toThrow(
      'fixture.profiles#1.0.0: StructureDefinition ThingProfile: ' +
        'shipped snapshot: element Thing.tag.system has no parent in the snapshot',
    );
  });

  test.each([
    [
      'children under an element whose base is unknown',
      [p('Thing.nothing', 0, '1', ['Nothing']), p('Thing.nothing.x', 0, '1', ['string'])],
      'element has children but its base type is not known',
    ],
  ])('bad input is a CodegenError naming the element: %s', (_, elements, message) => {
    expect(() => modelOf(thingProfile(elements))).toThrow(CodegenError);
    expect(() => modelOf(thingProfile(elements))).toThrow(message);
  });
});

describe('profileTypeName', () => {
  test.each([
    ['UKCorePatient', 'UKCorePatient'],
    ['RARecord-Flag-1', 'RARecordFlag1'],
    ['CareConnect-RARecord-Condition-1', 'CareConnectRARecordCondition1'],
    ['england flag', 'EnglandFlag'],
    ['1stProfile', 'P1stProfile'],
  ])('%s -> %s', (name, want) => expect(profileTypeName(name)).toBe(want));
});
