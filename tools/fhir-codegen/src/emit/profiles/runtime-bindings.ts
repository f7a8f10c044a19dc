import { type Parameter, printStatements, type Statement, type TypeParameter } from '../printer.js';

/**
 * The modules every profile package gets beside its generated types. The code they run is ordinary TypeScript
 * in @nhs-fhir/validation (packages/validation/src/profile-support.ts, lazy-validator.ts), type-checked and
 * tested there; these modules only bind it to the package's registry and tables under typed signatures.
 */

/** Spelt in two parts so that Nx's import scanner does not take this text for an import of the runtime itself. */
const RUNTIME_PACKAGE = ['@nhs-fhir', 'validation'].join('/');

const typeName = (name: string) => ({ name, typeOnly: true });

export const PROFILE_SUPPORT_SOURCE = printStatements([
  {
    kind: 'export',
    names: [
      'hasProfile',
      'inSlice',
      'matchesValue',
      'valuesAt',
      typeName('Item'),
      typeName('RuntimeProfile'),
      typeName('SliceMatchValue'),
    ],
    from: RUNTIME_PACKAGE,
  },
]);

const R: TypeParameter = { name: 'R', constraint: 'Profiled' };
const PROFILE = 'ProfileRegistry[ProfileOf<R>]';
const resource: Parameter = { name: 'resource', type: 'R' };

/** A helper function bound to the registry: `name<R, ...>(resource, ...): returnType { body }`. */
function helper(
  docs: string,
  name: string,
  typeParameters: TypeParameter[],
  parameters: Parameter[],
  returnType: string,
  body: string,
): Statement {
  return { kind: 'function', exported: true, docs, name, typeParameters, parameters, returnType, body: [body] };
}

const extensionTypes: TypeParameter[] = [R, { name: 'N', constraint: 'ExtensionName<R>' }];
const sliceTypes: TypeParameter[] = [
  R,
  { name: 'E', constraint: 'SlicedElement<R>' },
  { name: 'N', constraint: 'SliceName<R, E>' },
];

export const PROFILE_HELPERS_SOURCE = printStatements([
  { kind: 'import', names: ['extensionsOf', 'sliceItems', 'withExtension'], from: RUNTIME_PACKAGE },
  {
    kind: 'import',
    names: ['profileRegistry', typeName('ProfileRegistry'), typeName('ProfileUrl')],
    from: './registry.js',
  },
  {
    kind: 'interface',
    exported: true,
    docs: 'A value of a profile of this package: what the helpers accept (its `meta.profile` names the profile first).',
    name: 'Profiled',
    members: [{ name: 'meta', type: '{ profile: [ProfileUrl, ...string[]] }' }],
  },
  {
    kind: 'type',
    exported: true,
    docs: "The profile url a value's type names.",
    name: 'ProfileOf',
    typeParameters: [R],
    type: "R['meta']['profile'][0]",
  },
  {
    kind: 'type',
    exported: true,
    docs: 'The names of the extension slices of a profile value (`ethnicCategory`...).',
    name: 'ExtensionName',
    typeParameters: [R],
    type: `keyof ${PROFILE}['extensions'] & string`,
  },
  {
    kind: 'type',
    exported: true,
    docs: 'The type of a named extension slice: its url and value type.',
    name: 'ExtensionOf',
    typeParameters: extensionTypes,
    type: `${PROFILE}['extensions'][N]`,
  },
  {
    kind: 'type',
    exported: true,
    docs: 'The sliced elements of a profile value with typed slices (`identifier`...).',
    name: 'SlicedElement',
    typeParameters: [R],
    type: `keyof ${PROFILE}['slices'] & string`,
  },
  {
    kind: 'type',
    exported: true,
    name: 'SliceName',
    typeParameters: [R, { name: 'E', constraint: 'SlicedElement<R>' }],
    type: `keyof ${PROFILE}['slices'][E] & string`,
  },
  {
    kind: 'type',
    exported: true,
    name: 'SliceOf',
    typeParameters: sliceTypes,
    type: `${PROFILE}['slices'][E][N]`,
  },
  helper(
    "Every extension of the named slice (`getExtensions(patient, 'ethnicCategory')`).",
    'getExtensions',
    extensionTypes,
    [resource, { name: 'name', type: 'N' }],
    'ExtensionOf<R, N>[]',
    'return extensionsOf(profileRegistry, resource, name) as ExtensionOf<R, N>[];',
  ),
  helper(
    'The first extension of the named slice, typed by its definition, or undefined.',
    'getExtension',
    extensionTypes,
    [resource, { name: 'name', type: 'N' }],
    'ExtensionOf<R, N> | undefined',
    'return getExtensions(resource, name)[0];',
  ),
  helper(
    'Sets the named extension slice: replaces the extensions of that url by this one (its url is filled in). ' +
      'Returns the resource.',
    'setExtension',
    extensionTypes,
    [resource, { name: 'name', type: 'N' }, { name: 'extension', type: "Omit<ExtensionOf<R, N>, 'url'>" }],
    'R',
    'return withExtension(profileRegistry, resource, name, extension);',
  ),
  helper(
    "The items of a sliced element that belong to the named slice (`getSlices(patient, 'identifier', 'nhsNumber')`).",
    'getSlices',
    sliceTypes,
    [resource, { name: 'element', type: 'E' }, { name: 'name', type: 'N' }],
    'SliceOf<R, E, N>[]',
    'return sliceItems(profileRegistry, resource, element, name) as SliceOf<R, E, N>[];',
  ),
  helper(
    'The first item of the named slice, or undefined.',
    'getSlice',
    sliceTypes,
    [resource, { name: 'element', type: 'E' }, { name: 'name', type: 'N' }],
    'SliceOf<R, E, N> | undefined',
    'return getSlices(resource, element, name)[0];',
  ),
]);

/** validate.ts: the base package's tables and this package's own, combined on the first call. */
export const validateSource = (basePackage: string): string =>
  printStatements([
    {
      kind: 'import',
      names: ['lazyValidator', typeName('OperationOutcome'), typeName('ValidateOptions')],
      from: RUNTIME_PACKAGE,
    },
    {
      kind: 'import',
      names: [{ name: 'validationTablesJson', alias: 'baseTablesJson' }],
      from: `${basePackage}/validation-tables`,
    },
    { kind: 'import', names: ['validationTablesJson'], from: './validation-tables.js' },
    {
      kind: 'type',
      exported: true,
      docs:
        'The options of `@nhs-fhir/validation`: `profile` (canonical URL; default: ' +
        "the resource's `meta.profile`, else its\nbase type), `invariants`, `unknownProfile` ('warning' | 'error'), " +
        "`bestPractice` ('warning' | 'ignore'), `maxIssues`.",
      name: 'ValidateProfileOptions',
      type: 'ValidateOptions',
    },
    {
      kind: 'const',
      name: 'validator',
      value: '/* @__PURE__ */ lazyValidator([baseTablesJson, validationTablesJson])',
    },
    {
      kind: 'function',
      exported: true,
      docs: 'Validates a resource against a profile of this package (or its base type); never throws.',
      name: 'validate',
      parameters: [
        { name: 'resource', type: 'unknown' },
        { name: 'options', type: 'ValidateProfileOptions', initializer: '{}' },
      ],
      returnType: 'OperationOutcome',
      body: ['return validator(resource, options);'],
    },
  ]);
