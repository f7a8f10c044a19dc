import { describe, expect, test } from 'vitest';
import { emitProfiles, literalOf } from '../src/emit/profiles/emit-profiles.js';
import { PROFILE_URL, emitThingProfile, modelOf, p, thingProfile, unchanged } from './profile-fixtures.js';

/** Each row: the profile's snapshot elements, and the lines the emitted profile type must contain (and must not). */
const rows: [string, { given: Record<string, unknown>[]; want: string[]; notWant?: string[] }][] = [
  [
    'an unchanged profile is its base with meta.profile naming the profile',
    {
      given: [unchanged.status, unchanged.code],
      want: [
        `export interface ThingProfile extends Omit<Thing, 'meta'> {`,
        `meta: Omit<Item<Thing['meta']>, 'profile'> & { profile: ['${PROFILE_URL}', ...string[]] };`,
        `export function isThingProfile(value: unknown): value is ThingProfile {`,
        `return hasProfile(value, 'Thing', '${PROFILE_URL}');`,
        `// ${PROFILE_URL} from fixture.profiles#1.0.0`,
      ],
      notWant: ['status', 'code:'],
    },
  ],
  [
    'min 1 makes an element required',
    { given: [p('Thing.code', 1, '1', ['Coding'])], want: [`code: Item<Thing['code']>;`] },
  ],
  [
    'max 0 removes an element',
    { given: [p('Thing.note', 0, '0', ['string'])], want: [`note?: never;`, `_note?: never;`] },
  ],
  [
    'max 1 on a repeating element is an array of at most one',
    { given: [p('Thing.tag', 0, '1', ['Coding'])], want: [`tag?: [] | [Item<Thing['tag']>];`] },
  ],
  [
    '1..1 on a repeating element is a one-item tuple',
    { given: [p('Thing.tag', 1, '1', ['Coding'])], want: [`tag: [Item<Thing['tag']>];`] },
  ],
  [
    'a fixed primitive value is a literal type',
    { given: [p('Thing.retired', 0, '1', ['boolean'], { fixedBoolean: false })], want: [`retired?: false;`] },
  ],
  [
    'fixed values beneath an unfolded datatype make a named interface with literal types',
    {
      given: [
        unchanged.code,
        p('Thing.code.system', 1, '1', ['uri'], { fixedUri: 'https://example.org/cs' }),
        p('Thing.code.code', 0, '1', ['code'], { fixedCode: 'x1' }),
      ],
      want: [
        `code?: ThingProfileCode;`,
        `export interface ThingProfileCode extends Omit<Item<Thing['code']>, 'system' | 'code'> {`,
        `system: 'https://example.org/cs';`,
        `code?: 'x1';`,
      ],
    },
  ],
  [
    'a complex fixed value is its base type with a literal shape',
    {
      given: [p('Thing.code', 0, '1', ['Coding'], { fixedCoding: { system: 'https://example.org/cs', code: 'x1' } })],
      want: [`code?: Item<Thing['code']> & { system: 'https://example.org/cs'; code: 'x1' };`],
    },
  ],
  [
    'a pattern array means "contains": no literal type',
    {
      given: [p('Thing.meta', 0, '1', ['Coding'], { patternCoding: { extension: [{ url: 'a' }] } })],
      want: [],
      notWant: ['meta?:'],
    },
  ],
  [
    'a required binding to an enumerable value set is a union',
    {
      given: [
        p('Thing.status', 0, '1', ['code'], {
          binding: { strength: 'required', valueSet: 'https://example.org/ValueSet/colours' },
        }),
      ],
      want: [`status?: 'red' | 'green';`],
    },
  ],
  [
    'an extensible binding is the union or any string',
    {
      given: [
        p('Thing.status', 0, '1', ['code'], {
          binding: { strength: 'extensible', valueSet: 'https://example.org/ValueSet/colours' },
        }),
      ],
      want: [`status?: 'red' | 'green' | (string & {});`],
    },
  ],
  ['the same value set as the base changes nothing', { given: [unchanged.status], want: [], notWant: ['status?:'] }],
  [
    'a reference narrowed to fewer targets',
    {
      given: [
        p('Thing.subject', 0, '1', [
          { code: 'Reference', targetProfile: ['http://hl7.org/fhir/StructureDefinition/Organization'] },
        ]),
      ],
      want: [`subject?: Reference<'Organization'>;`, `import type { Reference, Thing } from '@example/base';`],
    },
  ],
  [
    'a choice narrowed to one type keeps that variant only',
    {
      given: [p('Thing.value[x]', 1, '1', ['boolean'])],
      want: [
        `'valueString' | '_valueString' | 'valueBoolean' | '_valueBoolean'`,
        `valueBoolean: NonNullable<Thing['valueBoolean']>;`,
      ],
    },
  ],
  [
    'an STU3 choice renamed to one variant drops the others',
    {
      given: [p('Thing.valueBoolean', 1, '1', ['boolean'], { id: 'Thing.value[x]:valueBoolean' })],
      want: [`'valueBoolean' | 'valueString' | '_valueString'`, `valueBoolean: Item<Thing['valueBoolean']>;`],
    },
  ],
  [
    'an extension slice is typed by its definition',
    {
      given: [
        p('Thing.extension', 0, '*', ['Extension'], {
          slicing: { discriminator: [{ type: 'value', path: 'url' }], rules: 'open' },
        }),
        p('Thing.extension:nickname', 0, '1', [
          { code: 'Extension', profile: ['https://example.org/StructureDefinition/nickname'] },
        ]),
      ],
      want: [
        `extension?: (ExtensionNickname | Item<Thing['extension']>)[];`,
        `import type { ExtensionNickname } from './ExtensionNickname.js';`,
      ],
    },
  ],
  [
    'a value-discriminated slice is an interface beside the open entry',
    {
      given: [
        p('Thing.tag', 0, '*', ['Coding'], {
          slicing: { discriminator: [{ type: 'value', path: 'system' }], rules: 'open' },
        }),
        p('Thing.tag:nhs', 0, '1', ['Coding']),
        p('Thing.tag:nhs.system', 1, '1', ['uri'], { fixedUri: 'https://fhir.nhs.uk/Id/nhs-number' }),
        p('Thing.tag:nhs.code', 1, '1', ['code']),
      ],
      want: [
        `tag?: (ThingProfileTagNhs | Item<Thing['tag']>)[];`,
        `export interface ThingProfileTagNhs extends Omit<Item<Thing['tag']>, 'system' | 'code'> {`,
        `system: 'https://fhir.nhs.uk/Id/nhs-number';`,
        `code: Item<Item<Thing['tag']>['code']>;`,
      ],
    },
  ],
  [
    'closed slicing leaves only the slices',
    {
      given: [
        p('Thing.tag', 0, '*', ['Coding'], {
          slicing: { discriminator: [{ type: 'value', path: 'system' }], rules: 'closed' },
        }),
        p('Thing.tag:a', 0, '1', ['Coding']),
        p('Thing.tag:a.system', 1, '1', ['uri'], { fixedUri: 'urn:a' }),
      ],
      want: [`tag?: ThingProfileTagA[];`],
    },
  ],
];

describe('emitProfiles: one profile rule per row', () => {
  test.each(rows)('%s', (_, { given, want, notWant = [] }) => {
    const text = emitThingProfile(given);
    for (const line of want) expect(text).toContain(line);
    const body = text.slice(
      text.indexOf('export interface ThingProfile '),
      text.indexOf('}', text.indexOf('export interface ThingProfile ')),
    );
    for (const line of notWant) expect(body).not.toContain(line);
  });
});

describe('emitProfiles: registry, helpers and index', () => {
  const model = modelOf(
    thingProfile([
      p('Thing.extension', 0, '*', ['Extension'], {
        slicing: { discriminator: [{ type: 'value', path: 'url' }], rules: 'open' },
      }),
      p('Thing.extension:nickname', 0, '1', [
        { code: 'Extension', profile: ['https://example.org/StructureDefinition/nickname'] },
      ]),
      p('Thing.tag', 0, '*', ['Coding'], {
        slicing: { discriminator: [{ type: 'value', path: 'system' }], rules: 'open' },
      }),
      p('Thing.tag:nhs', 0, '1', ['Coding']),
      p('Thing.tag:nhs.system', 1, '1', ['uri'], { fixedUri: 'urn:nhs' }),
    ]),
  );
  const files = emitProfiles([model], {
    basePackage: '@example/base',
    sources: ['fixture.profiles#1.0.0'],
    fhirVersion: '4.0.1',
    skipped: [{ url: 'https://example.org/Broken', reason: 'base path not found' }],
  });

  test('the registry names extension and slice types and their runtime discriminator values', () => {
    const registry = files.get('registry.ts')!;
    // without the extension definition among the models, the slice gets its own interface with the url fixed
    expect(registry).toContain(
      `'${PROFILE_URL}': { type: ThingProfile; extensions: { nickname: ThingProfileExtensionNickname }; ` +
        'slices: { tag: { nhs: ThingProfileTagNhs } } };',
    );
    expect(registry).toContain(
      `'${PROFILE_URL}': { type: 'Thing', extensions: { nickname: 'https://example.org/StructureDefinition/nickname' }, ` +
        'slices: { tag: { nhs: [{"path":"system","value":"urn:nhs","pattern":false}] } } },',
    );
    expect(registry).toContain(
      `import type { ThingProfile, ThingProfileExtensionNickname, ThingProfileTagNhs } from './ThingProfile.js';`,
    );
    expect(files.get('ThingProfile.ts')).toContain(`url: 'https://example.org/StructureDefinition/nickname';`);
  });

  test('the index exports every profile, the helpers and the profiles without a type with their reasons', () => {
    const index = files.get('index.ts')!;
    expect(index).toContain(`export * from './ThingProfile.js';`);
    expect(index).toContain(`export * from './profile-helpers.js';`);
    expect(index).toContain(`{ url: 'https://example.org/Broken', reason: 'base path not found' },`);
    expect(index).not.toContain('validate');
  });

  test('every file starts with the generated header; output is the same on every run', () => {
    for (const text of files.values())
      expect(
        text.startsWith('// Generated by @nhs-fhir/fhir-codegen from fixture.profiles#1.0.0 (FHIR 4.0.1). Do not edit'),
      ).toBe(true);
    const again = emitProfiles([model], {
      basePackage: '@example/base',
      sources: ['fixture.profiles#1.0.0'],
      fhirVersion: '4.0.1',
      skipped: [{ url: 'https://example.org/Broken', reason: 'base path not found' }],
    });
    expect([...again]).toEqual([...files]);
  });

  test('validate is emitted only with validator tables', () => {
    const withTables = emitProfiles([model], {
      basePackage: '@example/base',
      sources: ['x#1'],
      fhirVersion: '4.0.1',
      validationTables: '{"structures":{}}\n',
    });
    expect(withTables.get('index.ts')).toContain(
      `export { validate, type ValidateProfileOptions } from './validate.js';`,
    );
    expect(withTables.get('validation-tables.ts')).toContain(
      `export const validationTablesJson: string = "{\\"structures\\":{}}";`,
    );
    // The package's own tables, over the base package's.
    expect(withTables.get('validate.ts')).toContain(
      `import { validationTablesJson as baseTablesJson } from '@example/base/validation-tables';`,
    );
    expect(withTables.get('validate.ts')).toContain('lazyValidator([baseTablesJson, validationTablesJson])');
  });
});

describe('literalOf', () => {
  test.each([
    ['a string', "a'b", false, `'a\\'b'`],
    ['a number', 3, false, '3'],
    ['a fixed array', ['a'], false, `['a']`],
    ['a pattern array', ['a'], true, undefined],
    ['an object, pattern arrays left out', { system: 's', coding: [{ code: 'c' }] }, true, `{ system: 's' }`],
  ] as const)('%s', (_, value, pattern, want) => {
    expect(literalOf(value, pattern)).toBe(want);
  });
});
