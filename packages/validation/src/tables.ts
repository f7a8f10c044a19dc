/**
 * The compiled validator tables: plain JSON data that the compiler (`@nhs-fhir/fhir-codegen`,
 * `compileValidationTables`) writes per package and `createValidator` reads. This is the one declaration of the
 * format: the compiler imports these types from here.
 */
export interface ValidationTables {
  /** `R4` or `STU3`: picks the primitive formats and the fhirpath model. */
  fhirVersion: 'R4' | 'STU3';
  /** Every StructureDefinition the validator may need, by canonical URL (base types and profiles). */
  structures: Record<string, StructureTable>;
  /** Base type name (`Patient`, `Identifier`) to the canonical URL of its definition. */
  baseTypes: Record<string, string>;
  /** Primitive type code to its format (a regex from the type's own definition, anchored by the runtime). */
  primitives: Record<string, PrimitiveTable>;
  /** Value set canonical to its codes when it expands offline, null when it cannot (checked as "not checked"). */
  valueSets: Record<string, string[] | null>;
  /** Invariants by id (`ele-1`, or `key@n` when two definitions give one key different expressions). */
  invariants: Record<string, InvariantTable>;
}

/** A primitive type's format. */
export interface PrimitiveTable {
  /** The JSON type its values have. */
  json: 'string' | 'number' | 'boolean';
  /** The regex a value must match whole (the runtime anchors it). */
  regex?: string;
}

/** One invariant (constraint) of a definition. */
export interface InvariantTable {
  /** Its key (`ele-1`, `nhs-number-1`). */
  key: string;
  /** The severity of the issue reported when it is violated. */
  severity: 'error' | 'warning';
  /** Its description, used in the diagnostics. */
  human: string;
  /** Its FHIRPath expression. */
  expression: string;
  /**
   * A best-practice invariant (its definition says so: the elementdefinition-bestpractice extension), such as dom-6.
   */
  bestPractice?: true;
}

/** One StructureDefinition (a base type or a profile), as its snapshot's elements. */
export interface StructureTable {
  /** Its canonical URL. */
  url: string;
  /** Its computer-friendly name (`UKCorePatient`). */
  name: string;
  /** The type constrained or defined (`Patient`, `Extension`). */
  type: string;
  kind: 'resource' | 'complex-type' | 'primitive-type' | 'logical';
  /** Elements in snapshot order; element 0 is the root. */
  elements: ElementTable[];
}

/** One type an element allows. */
export interface TypeRef {
  /** The type code (`string`, `Reference`, `Patient`). */
  code: string;
  /** Type profiles (extension definitions, datatype profiles, resource profiles). */
  profiles?: string[];
  /** Reference targets as resource type names (`Resource` allows any). */
  targets?: string[];
}

/** How an element's list items are divided into slices. */
export interface SlicingTable {
  /** What tells the slices apart: a discriminator type and the path it looks at. */
  discriminators: { type: 'value' | 'pattern' | 'type' | 'profile' | 'exists'; path: string }[];
  /** Whether items that are in no slice are allowed (`open`), refused (`closed`) or allowed after the slices. */
  rules: 'open' | 'closed' | 'openAtEnd';
  /** Whether items must come in the order of the slices. */
  ordered: boolean;
}

/**
 * How an item is recognised as a slice: one entry per discriminator, or `undetermined` when the profile does not say
 * enough.
 */
export interface SliceMatch {
  path: string;
  type: 'value' | 'pattern' | 'type' | 'profile' | 'exists';
  /** value/pattern: the fixed or pattern value at `path`. */
  value?: unknown;
  /** type: the allowed type codes; profile: the allowed profiles. */
  codes?: string[];
  exists?: boolean;
  undetermined?: true;
}

/** One element of a snapshot: its cardinality, types and every rule on its value. */
export interface ElementTable {
  /** Snapshot id (`Patient.identifier:nhsNumber.system`). */
  id: string;
  /** Snapshot path (`Patient.identifier.system`). */
  path: string;
  /** Least number of values. */
  min: number;
  /** Most number of values; -1 for `*`. */
  max: number;
  /** Whether the JSON holds an array (the base definition's max is not 1). */
  array: boolean;
  types: TypeRef[];
  /** JSON property name to element index; choice variants (`valueQuantity`) map to the `[x]` element. */
  children?: Record<string, number>;
  /** On a `[x]` element: JSON property name to its type code. */
  variants?: Record<string, string>;
  /** Index of the element whose children apply (contentReference). */
  contentRef?: number;
  fixed?: unknown;
  pattern?: unknown;
  binding?: { strength: 'required' | 'extensible' | 'preferred' | 'example'; valueSet: string };
  invariants?: string[];
  slicing?: SlicingTable;
  /** Slice element indices, in snapshot order. */
  slices?: number[];
  sliceName?: string;
  /** On a slice: how to recognise its items. */
  match?: SliceMatch[];
}
