/**
 * The type model: plain, JSON-printable data built from StructureDefinition snapshots. It says what
 * a FHIR type holds, not how TypeScript spells it; the emit stage decides that. The profile stage
 * reuses the same shapes (a profile is a TypeModel with `derivation: 'constraint'` whose elements
 * carry narrowed cardinality, fixed/pattern values and slices).
 */

/** How a value of a primitive type is written in JSON. */
export type JsonPrimitive = 'string' | 'number' | 'boolean';

export type TypeKind = 'resource' | 'complex-type' | 'primitive-type';

export interface TypeModel {
  /** The FHIR type name (`Patient`, `HumanName`, `dateTime`). */
  name: string;
  kind: TypeKind;
  /** Canonical URL of the StructureDefinition, and its version when it has one. */
  url: string;
  version?: string;
  /** The package (`id#version`) and file it was read from: the provenance of every emitted type. */
  packageKey: string;
  file: string;
  derivation: 'specialization' | 'constraint';
  abstract: boolean;
  /** The type this one derives from (`DomainResource`, `Element`, `Quantity`), by name. */
  base?: string;
  short?: string;
  /** Primitive types only: the JSON type of the value. */
  json?: JsonPrimitive;
  /** Child elements of the root, in snapshot order; backbone elements nest their own children. */
  elements: ElementModel[];
}

export interface ElementModel {
  /** The full element path as in the snapshot, e.g. `Observation.value[x]`, `Patient.contact.name`. */
  path: string;
  /** The JSON name without `[x]` (`value` for `value[x]`). */
  name: string;
  min: number;
  /** `'*'` for unbounded. */
  max: number | '*';
  short?: string;
  /** True for `[x]` elements: one JSON property per type, named `name` + capitalised type code. */
  choice: boolean;
  /** The allowed types; several only for choice elements. Empty for content references. */
  types: ElementType[];
  /** `Questionnaire.item` for `#Questionnaire.item`: the element has the structure of that backbone element. */
  contentReference?: string;
  binding?: Binding;
  /**
   * Primitive elements whose JSON form allows a sibling `_name` holding `id` and `extension`.
   * False for `id` of elements and `Extension.url`, which are XML attributes and have none.
   */
  primitiveExtension: boolean;
  /** Inline structure (BackboneElement / Element types defined in place); absent otherwise. */
  children?: ElementModel[];
}

export interface ElementType {
  /**
   * FHIR type name (`string`, `Reference`, `BackboneElement`, `Resource`); FHIRPath system types are mapped to their
   * FHIR type.
   */
  code: string;
  /** What `code` is: decides how the emitter spells it. */
  kind: 'primitive' | 'complex' | 'resource' | 'backbone';
  /** Primitive types: the JSON type of the value. */
  json?: JsonPrimitive;
  /** `Reference` and `canonical`: the resource types of the target profiles (empty: any resource). */
  targets?: string[];
  /** The target profile URLs as written. */
  targetProfiles?: string[];
  /** Profiles the value must conform to (e.g. SimpleQuantity). */
  profiles?: string[];
}

export type BindingStrength = 'required' | 'extensible' | 'preferred' | 'example';

export interface Binding {
  strength: BindingStrength;
  /** The value set canonical as written (may carry `|version`). */
  valueSet?: string;
  description?: string;
  /**
   * The codes of the value set when it can be expanded offline from the CodeSystems and ValueSets
   * in the package closure (no filters, complete code systems); absent when it cannot.
   */
  codes?: string[];
}

/** The model of one package: its resources, complex datatypes and primitives, sorted by name. */
export interface PackageModel {
  packageKey: string;
  fhirVersion: string;
  resources: TypeModel[];
  complexTypes: TypeModel[];
  primitives: TypeModel[];
  /**
   * The abstract resources (`Resource`, `DomainResource`), sorted by name: not in `resources` (nor
   * in `AnyResource`), but the bases that concrete resources extend. Absent when there are none.
   */
  abstractResources?: TypeModel[];
}
