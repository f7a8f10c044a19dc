/**
 * The modules every profile package gets beside its generated types. The code they run is ordinary TypeScript
 * in @nhs-fhir/validation (packages/validation/src/profile-support.ts, lazy-validator.ts), type-checked and
 * tested there; these modules only bind it to the package's registry and tables under typed signatures.
 */

/** Spelt in two parts so that Nx's import scanner does not take this text for an import of the runtime itself. */
const RUNTIME_PACKAGE = ['@nhs-fhir', 'validation'].join('/');

export const PROFILE_SUPPORT_SOURCE = `
export {
  hasProfile,
  inSlice,
  matchesValue,
  valuesAt,
  type Item,
  type RuntimeProfile,
  type SliceMatchValue,
} from '${RUNTIME_PACKAGE}';
`;

export const PROFILE_HELPERS_SOURCE = `import { extensionsOf, sliceItems, withExtension } from '${RUNTIME_PACKAGE}';
import { profileRegistry, type ProfileRegistry, type ProfileUrl } from './registry.js';

/** A value of a profile of this package: what the helpers accept (its \`meta.profile\` names the profile first). */
export interface Profiled {
  meta: { profile: [ProfileUrl, ...string[]] };
}

/** The profile url a value's type names. */
export type ProfileOf<R extends Profiled> = R['meta']['profile'][0];
/** The names of the extension slices of a profile value (\`ethnicCategory\`...). */
export type ExtensionName<R extends Profiled> = keyof ProfileRegistry[ProfileOf<R>]['extensions'] & string;
/** The type of a named extension slice: its url and value type. */
export type ExtensionOf<R extends Profiled, N extends ExtensionName<R>> = ProfileRegistry[ProfileOf<R>]['extensions'][N];
/** The sliced elements of a profile value with typed slices (\`identifier\`...). */
export type SlicedElement<R extends Profiled> = keyof ProfileRegistry[ProfileOf<R>]['slices'] & string;
export type SliceName<R extends Profiled, E extends SlicedElement<R>> = keyof ProfileRegistry[ProfileOf<R>]['slices'][E] & string;
export type SliceOf<R extends Profiled, E extends SlicedElement<R>, N extends SliceName<R, E>> = ProfileRegistry[ProfileOf<R>]['slices'][E][N];

/** Every extension of the named slice (\`getExtensions(patient, 'ethnicCategory')\`). */
export function getExtensions<R extends Profiled, N extends ExtensionName<R>>(resource: R, name: N): ExtensionOf<R, N>[] {
  return extensionsOf(profileRegistry, resource, name) as ExtensionOf<R, N>[];
}

/** The first extension of the named slice, typed by its definition, or undefined. */
export function getExtension<R extends Profiled, N extends ExtensionName<R>>(resource: R, name: N): ExtensionOf<R, N> | undefined {
  return getExtensions(resource, name)[0];
}

/** Sets the named extension slice: replaces the extensions of that url by this one (its url is filled in). Returns the resource. */
export function setExtension<R extends Profiled, N extends ExtensionName<R>>(resource: R, name: N, extension: Omit<ExtensionOf<R, N>, 'url'>): R {
  return withExtension(profileRegistry, resource, name, extension);
}

/** The items of a sliced element that belong to the named slice (\`getSlices(patient, 'identifier', 'nhsNumber')\`). */
export function getSlices<R extends Profiled, E extends SlicedElement<R>, N extends SliceName<R, E>>(resource: R, element: E, name: N): SliceOf<R, E, N>[] {
  return sliceItems(profileRegistry, resource, element, name) as SliceOf<R, E, N>[];
}

/** The first item of the named slice, or undefined. */
export function getSlice<R extends Profiled, E extends SlicedElement<R>, N extends SliceName<R, E>>(resource: R, element: E, name: N): SliceOf<R, E, N> | undefined {
  return getSlices(resource, element, name)[0];
}
`;

/** validate.ts: the base package's tables and this package's own, combined on the first call. */
export const validateSource = (
  basePackage: string,
): string => `import { lazyValidator, type OperationOutcome, type ValidateOptions } from '${RUNTIME_PACKAGE}';
import { validationTablesJson as baseTablesJson } from '${basePackage}/validation-tables';
import { validationTablesJson } from './validation-tables.js';

/**
 * The options of \`@nhs-fhir/validation\`: \`profile\` (canonical URL; default: the resource's \`meta.profile\`, else its
 * base type), \`invariants\`, \`unknownProfile\` ('warning' | 'error'), \`bestPractice\` ('warning' | 'ignore'), \`maxIssues\`.
 */
export type ValidateProfileOptions = ValidateOptions;

const validator = /* @__PURE__ */ lazyValidator([baseTablesJson, validationTablesJson]);

/** Validates a resource against a profile of this package (or its base type); never throws. */
export function validate(resource: unknown, options: ValidateProfileOptions = {}): OperationOutcome {
  return validator(resource, options);
}
`;
