import { FhirpathInvariants } from './fhirpath-invariants.js';
import { deepEqual, isObject, matchesPattern, valuesAt, type JsonObject } from './json-values.js';
import { NATIVE_INVARIANTS, type InvariantScope, type NativeInvariant } from './native-invariants.js';
import { DEFAULT_MAX_ISSUES, IssueList, toOutcome, type OperationOutcome } from './outcome.js';
import { primitiveChecks, type PrimitiveCheck } from './primitives.js';
import type { ElementTable, InvariantTable, SliceMatch, StructureTable, ValidationTables } from './tables.js';

export interface ValidateOptions {
  /** Canonical URL of the profile to validate against; default: `meta.profile`, else the base type. */
  profile?: string;
  /** Evaluate invariants (default true); false checks structure, cardinality, values, slicing and bindings only. */
  invariants?: boolean;
  /**
   * A `meta.profile` the tables do not know (the resource is then checked against its base type): a `warning`
   * (default) or an `error`, as the HL7 validator's option to reject unknown profiles.
   */
  unknownProfile?: 'warning' | 'error';
  /**
   * Best-practice invariants (marked so in their definition, such as dom-6): reported as a `warning` (default) or
   * `ignore`d.
   */
  bestPractice?: 'warning' | 'ignore';
  /**
   * At most this many issues are kept (default 1,000); past it the validator only counts, and one last
   * issue (`too-costly`) says how many were left out, as severe as the worst of them.
   */
  maxIssues?: number;
}

export type Validate = (resource: unknown, options?: ValidateOptions) => OperationOutcome;

/**
 * How a validator is made: default options for every call, and (for tests) fhirpath for every invariant not compiled
 * natively.
 */
export interface ValidatorSettings extends ValidateOptions {
  /** Evaluate invariants outside the native set with fhirpath only, not with the compiled subset (default false). */
  fhirpathOnly?: boolean;
}

/** A child element as its parent's JSON names it: one entry per property name (each choice variant its own). */
interface ChildInfo {
  index: number;
  element: ElementTable;
  /** The type this property name carries (a choice variant's type, or the element's single type). */
  code: string | undefined;
  check: PrimitiveCheck | undefined;
  /**
   * A primitive with only its format to check: no fixed/pattern value, binding, slices, or invariant beyond ele-1
   * (which a present value meets).
   */
  plain: boolean;
  /** The child's own facts, once first needed (kept here so the walk never looks them up). */
  link: Linked | undefined;
  /** This entry is the `_name` property (the primitive's id and extensions), not `name` itself. */
  underscore: boolean;
  /**
   * How an item of this property is checked, once first needed (-1 until then: a number from the start, so the field
   * keeps one representation).
   */
  kind: ItemKind | -1;
  // The element's own facts the walk reads on every property, copied here: table elements have many shapes
  // (their optional fields), so reading them in the walk is a megamorphic load; ChildInfo has one shape.
  array: boolean;
  min: number;
  max: number;
  /** Has slices and slicing. */
  sliced: boolean;
  /** A `[x]` element (this entry is one of its variants). */
  choice: boolean;
  /** Sliced, with no children or type profiles of its own: an item in a slice is walked once, against the slice. */
  shallowable: boolean;
}

/** How validateItem checks an item of an element with a given type code, decided once per element and code. */
const PRIMITIVE = 0;
/** Several types and no choice name to tell them apart: only the JSON shape is checked. */
const SHAPE = 1;
const RESOURCE = 2;
/** An object walked against the element's own children (a backbone element, or a slice that adds children). */
const CHILDREN = 3;
/** An object walked against its type's structure (the type profile, else the base type). */
const TYPED = 4;
/** Nothing known to check beyond the element's own facts. */
const UNTYPED = 5;
type ItemKind = typeof PRIMITIVE | typeof SHAPE | typeof RESOURCE | typeof CHILDREN | typeof TYPED | typeof UNTYPED;

/** A child with min >= 1, and the JSON keys whose presence meets it. */
interface RequiredChild {
  index: number;
  element: ElementTable;
  /** `name` and `_name`; for a choice, the `_variant` keys (its variants themselves are tracked as they are met). */
  keys: string[];
  choice: boolean;
}

/**
 * A folded value's type, resolved once per element and type code: its structure, and the root invariants the element
 * did not already run.
 */
interface TypeLink {
  table: StructureTable;
  link: Linked;
  invariants: Linked['invariants'];
}

/** Per-element facts the tables leave implicit, derived once. */
interface Linked {
  /** By JSON property name (`name` and `_name`); without a prototype, so a key such as `constructor` finds nothing. */
  children: Record<string, ChildInfo | undefined>;
  /** Children with min >= 1 (a choice once). */
  required: RequiredChild[];
  invariants: { id: string; table: InvariantTable; native: NativeInvariant | undefined; basePath: string }[];
  /** The invariant ids, to skip on a type's root what the element already ran. */
  invariantIds: ReadonlySet<string>;
  /** The structure a folded value of each type code is checked against (its type profile, else the base type). */
  typeTables: Map<string, TypeLink | undefined>;
  /** Whether values are objects walked against this element's own children. */
  hasChildren: boolean;
  /**
   * The codes of a required binding that expands offline; null when it does not expand; undefined without a required
   * binding.
   */
  requiredCodes: ReadonlySet<string> | null | undefined;
  /** Reference targets when they are restricted (not `Resource`). */
  targets: readonly string[] | undefined;
  /** The item kind per type code (validateItem's dispatch). */
  kinds: Map<string | undefined, ItemKind>;
  fixed: unknown;
  pattern: unknown;
  /** Some type of the element names a profile. */
  profiled: boolean;
  /**
   * The first type code resolved in typeTables and its entry: most elements meet one type, read without a Map lookup.
   */
  typeCode: string | undefined;
  typeLink: TypeLink | undefined;
}

interface Run {
  issues: IssueList;
  invariants: boolean;
  unknownProfile: 'warning' | 'error';
  bestPractice: boolean;
  scope: InvariantScope;
  /** Bundle entry fullUrl to resource type, for `urn:uuid:` references. */
  fullUrls: Map<string, string> | undefined;
  depth: number;
}

/**
 * Where a node is: its parent's path and its own property name or array position. The walk makes one per
 * property and item, and the text (`Patient.identifier[0].system`) is built only when an issue needs it:
 * building every path as a string cost about a fifth of a structure-only pass.
 */
class PathStep {
  private text: string | undefined = undefined;
  constructor(
    private readonly parent: Path,
    /** A property name, or undefined for an array position. */
    private readonly key: string | undefined,
    private readonly position: number,
  ) {}
  toString(): string {
    return (this.text ??=
      this.key !== undefined ? `${String(this.parent)}.${this.key}` : `${String(this.parent)}[${this.position}]`);
  }
}
type Path = string | PathStep;

const MAX_DEPTH = 400;
const SIMPLE_PATH = /^[a-z][A-Za-z0-9]*$/;
const ELE_1 = NATIVE_INVARIANTS.get('hasValue() or (children().count() > id.count())');

/**
 * Makes a validator from compiled tables. The returned function never throws: an internal failure
 * (which would be a bug) becomes a `fatal`/`exception` issue instead.
 */
export function createValidator(tables: ValidationTables, settings: ValidatorSettings = {}): Validate {
  const { fhirpathOnly = false, ...defaults } = settings;
  const structures = new Map(Object.entries(tables.structures));
  const primitives = primitiveChecks(tables.primitives);
  const valueSets = new Map(
    Object.entries(tables.valueSets).map(([url, codes]) => [url, codes === null ? null : new Set(codes)]),
  );
  const choiceNames = new Set<string>();
  for (const structure of structures.values())
    for (const element of structure.elements)
      if (element.path.endsWith('[x]')) choiceNames.add(element.path.slice(element.path.lastIndexOf('.') + 1, -3));
  const fhirpath = new FhirpathInvariants(tables.fhirVersion, !fhirpathOnly, choiceNames);
  // Each validator keeps its derived facts on the table elements under its own symbol: a property read, not a map
  // lookup, per node.
  const linked = Symbol('linked');
  type LinkedElement = ElementTable & { [linked]?: Linked };
  const frozenLinks = new WeakMap<ElementTable, Linked>();
  const resourceTypes = new Set(
    Object.entries(tables.baseTypes)
      .filter(([, url]) => structures.get(url)?.kind === 'resource')
      .map(([type]) => type),
  );
  const elementStructure = structures.get(tables.baseTypes['Element'] ?? '');

  const isPlain = (element: ElementTable): boolean =>
    element.fixed === undefined &&
    element.pattern === undefined &&
    element.binding === undefined &&
    element.slices === undefined &&
    (element.invariants ?? []).every((id) => NATIVE_INVARIANTS.get(tables.invariants[id]?.expression ?? '') === ELE_1);

  const linkOf = (table: StructureTable, element: ElementTable): Linked => {
    let link = (element as LinkedElement)[linked] ?? frozenLinks.get(element);
    if (link !== undefined) return link;
    const required: RequiredChild[] = [];
    const seen = new Set<number>();
    const children = Object.create(null) as Record<string, ChildInfo | undefined>;
    const resourceRoot = table.kind === 'resource' && element === table.elements[0];
    let childCount = 0;
    for (const [name, index] of Object.entries(childrenOf(table, element) ?? {})) {
      const child = table.elements[index];
      if (child === undefined) continue;
      // R4 types Resource.id as a string, but FHIR defines it as an id ([A-Za-z0-9\-\.]{1,64}), as STU3 types it.
      const code =
        name === 'id' && resourceRoot && primitives.has('id')
          ? 'id'
          : (child.variants?.[name] ?? (child.types.length === 1 ? child.types[0]!.code : undefined));
      const check = code === undefined ? undefined : primitives.get(code);
      // Both entries from one literal, so every ChildInfo has the same shape.
      const childInfo = (underscore: boolean): ChildInfo => ({
        index,
        element: child,
        code,
        check,
        plain: check !== undefined && isPlain(child),
        link: undefined,
        underscore,
        kind: -1,
        array: child.array,
        min: child.min,
        max: child.max,
        sliced: child.slices !== undefined && child.slicing !== undefined,
        choice: child.variants !== undefined,
        shallowable:
          childrenOf(table, child) === undefined && child.types.every((type) => (type.profiles?.length ?? 0) === 0),
      });
      children[name] = childInfo(false);
      childCount++;
      // `_name` is looked up directly too, so the walk never slices the key.
      children[`_${name}`] = childInfo(true);
      if (seen.has(index)) continue;
      seen.add(index);
      if (child.min > 0) {
        const choice = child.variants !== undefined;
        required.push({
          index,
          element: child,
          keys: choice ? Object.keys(child.variants!).map((variant) => `_${variant}`) : [name, `_${name}`],
          choice,
        });
      }
    }
    const invariants = (element.invariants ?? []).flatMap((id) => {
      const invariant = tables.invariants[id];
      return invariant === undefined
        ? []
        : [
            {
              id,
              table: invariant,
              native: NATIVE_INVARIANTS.get(invariant.expression),
              basePath: element.path.replace(/\[x\]/g, ''),
            },
          ];
    });
    const binding = element.binding?.strength === 'required' ? element.binding.valueSet : undefined;
    const targets = element.types.find((type) => type.code === 'Reference')?.targets;
    link = {
      children,
      required,
      invariants,
      invariantIds: new Set(element.invariants ?? []),
      typeTables: new Map(),
      hasChildren: childCount > 0 || childrenOf(table, element) !== undefined,
      requiredCodes: binding === undefined ? undefined : (valueSets.get(binding) ?? null),
      targets: targets === undefined || targets.includes('Resource') ? undefined : targets,
      kinds: new Map(),
      fixed: element.fixed,
      pattern: element.pattern,
      profiled: element.types.some((type) => (type.profiles?.length ?? 0) > 0),
      typeCode: undefined,
      typeLink: undefined,
    };
    // Frozen tables (a deep-frozen import) cannot carry the symbol: their facts go in a WeakMap instead.
    if (Object.isExtensible(element)) Object.defineProperty(element, linked, { value: link, enumerable: false });
    else frozenLinks.set(element, link);
    return link;
  };

  const childrenOf = (table: StructureTable, element: ElementTable): Record<string, number> | undefined =>
    element.children ?? (element.contentRef !== undefined ? table.elements[element.contentRef]?.children : undefined);

  /**
   * A type's structure as a value of `element` (its link) meets it: the type root's invariants less those the element
   * runs itself.
   */
  const typeLink = (table: StructureTable, element: Linked): TypeLink => {
    const link = linkOf(table, table.elements[0]!);
    return { table, link, invariants: link.invariants.filter(({ id }) => !element.invariantIds.has(id)) };
  };

  /** The structure a folded element's value is checked against: its type profile when known, else the base type. */
  const typeStructure = (
    code: string,
    profiles: readonly string[] | undefined,
    run: Run,
    path: Path,
  ): StructureTable | undefined => {
    for (const profile of profiles ?? []) {
      const found = structures.get(profile) ?? structures.get(profile.split('|')[0]!);
      if (found !== undefined) return found;
      if (run.issues.full) run.issues.skip('information');
      else
        run.issues.add(
          'information',
          'not-found',
          path,
          `Profile ${profile} is not in the validator tables: checked against ${code} only`,
        );
    }
    return structures.get(tables.baseTypes[code] ?? '');
  };

  const runInvariants = (
    table: StructureTable,
    element: ElementTable,
    node: unknown,
    path: Path,
    run: Run,
    link = linkOf(table, element),
  ): void => {
    if (run.invariants && link.invariants.length > 0) runInvariantList(link.invariants, node, path, run);
  };

  const runInvariantList = (list: Linked['invariants'], node: unknown, path: Path, run: Run): void => {
    for (let position = 0; position < list.length; position++) {
      const { table: invariant, native, basePath } = list[position]!;
      if (invariant.bestPractice === true && !run.bestPractice) continue;
      let verdict: boolean | { notChecked: string };
      if (native !== undefined) verdict = native(node, run.scope);
      else verdict = fhirpath.evaluate(invariant.expression, basePath, node, run.scope);
      if (verdict === true) continue;
      if (run.issues.full) run.issues.skip(verdict === false ? invariant.severity : 'information');
      else if (verdict === false)
        run.issues.add(invariant.severity, 'invariant', path, `${invariant.key}: ${invariant.human}`);
      else run.issues.add('information', 'not-supported', path, `${invariant.key} not checked: ${verdict.notChecked}`);
    }
  };

  const checkBinding = (
    element: ElementTable,
    codes: ReadonlySet<string> | null,
    code: string,
    item: unknown,
    path: Path,
    run: Run,
  ): void => {
    const binding = element.binding!;
    if (codes === null) {
      if (run.issues.full) run.issues.skip('information');
      else
        run.issues.add(
          'information',
          'not-supported',
          path,
          `Value set ${binding.valueSet} cannot be expanded offline: binding not checked`,
        );
      return;
    }
    // The common cases without building arrays: one code, in the value set.
    if (code === 'Coding' || code === 'Quantity') {
      const given = isObject(item) ? item['code'] : undefined;
      if (typeof given === 'string' && codes.has(given)) return;
    } else if (code !== 'CodeableConcept' && typeof item === 'string' && codes.has(item)) return;
    let given: unknown[];
    if (code === 'Coding' || code === 'Quantity') given = isObject(item) ? [item['code']] : [];
    else if (code === 'CodeableConcept')
      given =
        isObject(item) && Array.isArray(item['coding'])
          ? item['coding'].map((coding) => (isObject(coding) ? coding['code'] : undefined))
          : [];
    else given = [item];
    const strings = given.filter((value): value is string => typeof value === 'string');
    if (strings.length === 0) {
      if (code === 'CodeableConcept' || code === 'Coding')
        if (run.issues.full) run.issues.skip('error');
        else
          run.issues.add('error', 'code-invalid', path, `No code given; a code from ${binding.valueSet} is required`);
      return;
    }
    if (!strings.some((value) => codes.has(value)))
      if (run.issues.full) run.issues.skip('error');
      else
        run.issues.add(
          'error',
          'code-invalid',
          path,
          `Code '${strings.join("', '")}' is not in the required value set ${binding.valueSet}`,
        );
  };

  /** Resource type a literal reference points at, when the reference says it. */
  const referencedType = (reference: string, run: Run): string | undefined => {
    if (reference.startsWith('#')) {
      const contained =
        isObject(run.scope.container) && Array.isArray(run.scope.container['contained'])
          ? run.scope.container['contained']
          : [];
      const found =
        reference === '#'
          ? run.scope.container
          : contained.find((resource) => isObject(resource) && resource['id'] === reference.slice(1));
      return isObject(found) && typeof found['resourceType'] === 'string' ? found['resourceType'] : undefined;
    }
    if (reference.startsWith('urn:')) return run.fullUrls?.get(reference);
    // Relative (`Patient/1`) must be whole; absolute URLs end in `Type/id`; conditional (`Patient?identifier=...`) name
    // the type first.
    const absolute = /^[a-z][a-z0-9+.-]*:/.test(reference);
    const match = absolute
      ? /\/([A-Z][A-Za-z]+)\/[A-Za-z0-9\-.]{1,64}(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/.exec(reference)
      : (/^([A-Z][A-Za-z]+)\/[A-Za-z0-9\-.]{1,64}(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/.exec(reference) ??
        /^([A-Z][A-Za-z]+)\?/.exec(reference));
    const type = match?.[1];
    return type !== undefined && resourceTypes.has(type) ? type : (run.fullUrls?.get(reference) ?? undefined);
  };

  const checkReference = (targets: readonly string[], item: unknown, path: Path, run: Run): void => {
    if (!isObject(item)) return;
    const reference = item['reference'];
    const stated = typeof item['type'] === 'string' ? item['type'] : undefined;
    const type = typeof reference === 'string' ? (referencedType(reference, run) ?? stated) : stated;
    if (type !== undefined && !targets.includes(type))
      if (run.issues.full) run.issues.skip('error');
      else
        run.issues.add(
          'error',
          'value',
          path,
          `Reference to ${type} is not allowed here (allowed: ${targets.join(', ')})`,
        );
  };

  const checkPrimitive = (code: string, item: unknown, path: Path, run: Run): void => {
    const check: PrimitiveCheck | undefined = primitives.get(code);
    const problem =
      check === undefined ? (typeof item === 'object' ? `must be a primitive (${code})` : undefined) : check(item);
    if (problem !== undefined)
      if (run.issues.full) run.issues.skip('error');
      else
        run.issues.add(
          'error',
          code === 'date' || code === 'dateTime' || code === 'instant' || code === 'time' ? 'value' : 'structure',
          path,
          `${path}: ${problem}`,
        );
  };

  /** Validates the properties of a JSON object against an element's children. */
  const validateObject = (
    object: JsonObject,
    table: StructureTable,
    element: ElementTable,
    path: Path,
    run: Run,
    isResource: boolean,
    link = linkOf(table, element),
  ): void => {
    const children = link.children;
    // The choice variants met so far, as element index and key: most objects have none or one (every Extension has
    // value[x]), so a flat array, not a Map per object.
    let choices: (number | string)[] | undefined;
    for (const key in object) {
      if (isResource && key === 'resourceType') continue;
      const value = object[key];
      const info = children[key];
      if (info === undefined) {
        if (run.issues.full) run.issues.skip('error');
        else run.issues.add('error', 'structure', `${path}.${key}`, `Unknown element '${key}' in ${element.path}`);
        continue;
      }
      const child = info.element;
      if (info.underscore) {
        validatePrimitiveExtension(value, info.code, child, `${path}.${key}`, run);
        continue;
      }
      if (info.choice) {
        const at = choices === undefined ? -1 : choices.indexOf(info.index);
        const other = at === -1 ? undefined : choices![at + 1];
        if (other !== undefined)
          if (run.issues.full) run.issues.skip('error');
          else
            run.issues.add(
              'error',
              'structure',
              `${path}.${key}`,
              `Only one of ${other} and ${key} may be present (choice ${child.path})`,
            );
        else (choices ??= []).push(info.index, key);
      }
      validateProperty(value, info, table, path, key, object, run);
    }
    for (const { index, element: child, keys, choice } of link.required) {
      let present = choice && choices !== undefined && choices.indexOf(index) !== -1;
      for (let position = 0; !present && position < keys.length; position++)
        present = object[keys[position]!] !== undefined;
      if (!present)
        if (run.issues.full) run.issues.skip('error');
        else
          run.issues.add(
            'error',
            'required',
            `${path}.${child.path.slice(child.path.lastIndexOf('.') + 1).replace(/\[x\]$/, '')}`,
            `${child.path}: minimum required = ${child.min}, but only found 0`,
          );
    }
  };

  const validatePrimitiveExtension = (
    value: unknown,
    code: string | undefined,
    child: ElementTable,
    path: Path,
    run: Run,
  ): void => {
    if (code === undefined || !primitives.has(code)) {
      if (run.issues.full) run.issues.skip('error');
      else
        run.issues.add(
          'error',
          'structure',
          path,
          `${path}: '_' properties are only allowed beside primitive elements`,
        );
      return;
    }
    const items = child.array ? (Array.isArray(value) ? value : undefined) : Array.isArray(value) ? undefined : [value];
    if (items === undefined) {
      if (run.issues.full) run.issues.skip('error');
      else
        run.issues.add('error', 'structure', path, `${path}: must be ${child.array ? 'an array' : 'a single object'}`);
      return;
    }
    items.forEach((item, position) => {
      if (item === null && child.array) return;
      const itemPath = child.array ? new PathStep(path, undefined, position) : path;
      if (!isObject(item))
        if (run.issues.full) run.issues.skip('error');
        else run.issues.add('error', 'structure', itemPath, `${itemPath}: must be an object with id and extension`);
      else if (elementStructure !== undefined) {
        validateObject(item, elementStructure, elementStructure.elements[0]!, itemPath, run, false);
        runInvariants(elementStructure, elementStructure.elements[0]!, item, itemPath, run);
      }
    });
  };

  /** One property: its array-ness, cardinality, each item, then slicing. */
  const validateProperty = (
    value: unknown,
    info: ChildInfo,
    table: StructureTable,
    path: Path,
    key: string,
    object: JsonObject,
    run: Run,
  ): void => {
    const { element: child, code } = info;
    // The common case first: one plain primitive where one is expected; its path is built only if it is wrong.
    if (info.plain && !info.array && info.max !== 0 && value !== null && value !== undefined && !Array.isArray(value)) {
      if (info.check!(value) !== undefined) checkPrimitive(code!, value, `${path}.${key}`, run);
      return;
    }
    const propertyPath = new PathStep(path, key, -1);
    // One value where one is expected, not sliced: checked without building an items array.
    if (
      !info.array &&
      info.max !== 0 &&
      !info.sliced &&
      value !== null &&
      value !== undefined &&
      !Array.isArray(value)
    ) {
      if (info.check === undefined || !info.plain) {
        const link = (info.link ??= linkOf(table, child));
        validateItem(
          value,
          code,
          table,
          child,
          propertyPath,
          run,
          false,
          link,
          info.kind === -1 ? (info.kind = kindOf(child, link, code)) : info.kind,
        );
      }
      return;
    }
    let items: unknown[];
    if (info.array) {
      if (!Array.isArray(value)) {
        if (run.issues.full) run.issues.skip('error');
        else
          run.issues.add(
            'error',
            'structure',
            propertyPath,
            `${propertyPath}: must be an array (${child.path} repeats)`,
          );
        items = [value];
      } else items = value;
      if (items.length === 0)
        if (run.issues.full) run.issues.skip('error');
        else run.issues.add('error', 'structure', propertyPath, `${propertyPath}: arrays must not be empty`);
    } else {
      if (Array.isArray(value)) {
        if (run.issues.full) run.issues.skip('error');
        else
          run.issues.add(
            'error',
            'structure',
            propertyPath,
            `${propertyPath}: must be a single value, not an array (${child.path} max 1)`,
          );
        return;
      }
      items = [value];
    }
    if (info.max !== -1 && items.length > info.max)
      if (run.issues.full) run.issues.skip('error');
      else
        run.issues.add(
          'error',
          'structure',
          propertyPath,
          `${child.path}: maximum allowed = ${child.max}, but found ${items.length}`,
        );
    if (items.length < info.min && items.length > 0)
      if (run.issues.full) run.issues.skip('error');
      else
        run.issues.add(
          'error',
          'required',
          propertyPath,
          `${child.path}: minimum required = ${child.min}, but only found ${items.length}`,
        );
    // Most values are primitives with nothing but a format to check: no path string is built unless one is wrong.
    const check = info.check;
    if (check !== undefined && info.plain) {
      let missing = false;
      for (let position = 0; position < items.length; position++) {
        const item = items[position];
        if (item === null || item === undefined) missing = true;
        else if (check(item) !== undefined)
          checkPrimitive(code!, item, info.array ? new PathStep(propertyPath, undefined, position) : propertyPath, run);
      }
      if (!missing) return;
    }
    // Sliced items are matched first: an item in a slice is walked once, against the slice, when the entry adds no
    // structure of its own.
    const founds = info.sliced ? sliceOf(items, code, table, child, run) : undefined;
    const shallow = founds !== undefined && info.shallowable ? founds : undefined;
    let extensionItems: unknown[] | undefined;
    for (let position = 0; position < items.length; position++) {
      const item = items[position];
      const itemPath = info.array ? new PathStep(propertyPath, undefined, position) : propertyPath;
      if (item === null || item === undefined) {
        // null (or a hole) is only a placeholder in a primitive array whose `_` array carries that item's extensions.
        if (extensionItems === undefined) {
          const extensions = object[`_${key}`];
          extensionItems = Array.isArray(extensions) ? extensions : [];
        }
        const extension = extensionItems[position];
        if (!(child.array && info.check !== undefined && extension !== undefined && extension !== null))
          if (run.issues.full) run.issues.skip('error');
          else
            run.issues.add(
              'error',
              'structure',
              itemPath,
              `${itemPath}: null is only allowed where the '_' array has an entry`,
            );
        continue;
      }
      if (check === undefined || !info.plain) {
        const link = (info.link ??= linkOf(table, child));
        validateItem(
          item,
          code,
          table,
          child,
          itemPath,
          run,
          shallow !== undefined && shallow[position]! >= 0,
          link,
          info.kind === -1 ? (info.kind = kindOf(child, link, code)) : info.kind,
        );
      }
    }
    if (founds !== undefined) applySlicing(items, founds, code, table, child, propertyPath, run);
  };

  /** One value of an element: its type, fixed/pattern, binding, reference target and invariants. */
  /**
   * `shallow`: the item is checked in full against the slice it matched; here only what the element itself says (fixed,
   * pattern, binding, target, invariants).
   */
  const kindOf = (element: ElementTable, link: Linked, code: string | undefined): ItemKind => {
    let kind = link.kinds.get(code);
    if (kind !== undefined) return kind;
    if (code !== undefined && primitives.has(code)) kind = PRIMITIVE;
    else if (code === undefined && element.types.length > 1 && element.variants === undefined) kind = SHAPE;
    else if (code === 'Resource' || (code !== undefined && resourceTypes.has(code))) kind = RESOURCE;
    else if (link.hasChildren) kind = CHILDREN;
    else kind = code !== undefined ? TYPED : UNTYPED;
    link.kinds.set(code, kind);
    return kind;
  };

  const validateItem = (
    item: unknown,
    code: string | undefined,
    table: StructureTable,
    element: ElementTable,
    path: Path,
    run: Run,
    shallow = false,
    link = linkOf(table, element),
    kind = kindOf(element, link, code),
  ): void => {
    if (run.depth > MAX_DEPTH) {
      if (run.issues.full) run.issues.skip('error');
      else run.issues.add('error', 'structure', path, `${path}: nested deeper than ${MAX_DEPTH} levels`);
      return;
    }
    run.depth++;
    try {
      if (kind === PRIMITIVE) checkPrimitive(code!, item, path, run);
      else if (shallow) {
        if (kind === RESOURCE) return;
        if (!isObject(item))
          if (run.issues.full) run.issues.skip('error');
          else
            run.issues.add(
              'error',
              'structure',
              path,
              `${path}: must be a JSON object${code === undefined ? '' : ` (${code})`}`,
            );
      } else if (kind === SHAPE) {
        // Several types without a choice name: only the JSON shape can be checked.
      } else if (kind === RESOURCE) {
        validateNestedResource(
          item,
          element.types.find((type) => type.code === code)?.profiles,
          element.path.endsWith('.contained'),
          path,
          run,
        );
        return;
      } else if (!isObject(item)) {
        if (run.issues.full) run.issues.skip('error');
        else
          run.issues.add(
            'error',
            'structure',
            path,
            `${path}: must be a JSON object${code === undefined ? '' : ` (${code})`}`,
          );
        return;
      } else if (kind === CHILDREN) {
        validateObject(item, table, element, path, run, false, link);
      } else if (kind === TYPED && code !== undefined) {
        let type: TypeLink | undefined;
        // An extension no slice names is still checked against its definition, found by its url, when the tables have
        // it.
        const url = code === 'Extension' && typeof item['url'] === 'string' ? item['url'] : undefined;
        const byUrl = url === undefined ? undefined : structures.get(url);
        if (byUrl !== undefined && byUrl.type === 'Extension' && !link.profiled) {
          const key = `\u0000${url}`;
          type = link.typeTables.get(key);
          if (type === undefined) link.typeTables.set(key, (type = typeLink(byUrl, link)));
        } else if (code === link.typeCode) type = link.typeLink;
        else if ((type = link.typeTables.get(code)) !== undefined || link.typeTables.has(code)) {
          // resolved before (undefined: the type is not in the tables)
        } else {
          const found = typeStructure(
            code,
            element.types.find((candidate) => candidate.code === code)?.profiles,
            run,
            path,
          );
          type = found === undefined ? undefined : typeLink(found, link);
          // An unknown type profile is reported where it is met; only resolved types are remembered.
          if (
            !(element.types.find((candidate) => candidate.code === code)?.profiles ?? []).some(
              (profile) => !structures.has(profile) && !structures.has(profile.split('|')[0]!),
            )
          ) {
            link.typeTables.set(code, type);
            if (link.typeCode === undefined) [link.typeCode, link.typeLink] = [code, type];
          }
        }
        if (type === undefined)
          if (run.issues.full) run.issues.skip('information');
          else
            run.issues.add(
              'information',
              'not-supported',
              path,
              `Type ${code} is not in the validator tables: not checked`,
            );
        else {
          validateObject(item, type.table, type.table.elements[0]!, path, run, false, type.link);
          if (run.invariants && type.invariants.length > 0) runInvariantList(type.invariants, item, path, run);
        }
      }
      if (link.fixed !== undefined && !deepEqual(item, link.fixed))
        if (run.issues.full) run.issues.skip('error');
        else run.issues.add('error', 'value', path, `${path}: value must be exactly ${short(link.fixed)}`);
      if (link.pattern !== undefined && !matchesPattern(item, link.pattern))
        if (run.issues.full) run.issues.skip('error');
        else run.issues.add('error', 'value', path, `${path}: value must match the pattern ${short(link.pattern)}`);
      if (code !== undefined && link.requiredCodes !== undefined)
        checkBinding(element, link.requiredCodes, code, item, path, run);
      if (code === 'Reference' && link.targets !== undefined) checkReference(link.targets, item, path, run);
      if (run.invariants && link.invariants.length > 0) runInvariantList(link.invariants, item, path, run);
    } finally {
      run.depth--;
    }
  };

  /**
   * Which slice an item belongs to, by the compiled discriminators; undetermined ones by validating against the slice.
   */
  const matchesSlice = (
    item: unknown,
    code: string | undefined,
    table: StructureTable,
    slice: ElementTable,
    run: Run,
  ): boolean => {
    for (const match of slice.match ?? []) {
      if (match.undetermined === true) continue;
      if (!discriminatorHolds(item, code, match)) return false;
    }
    if ((slice.match ?? []).some((match) => match.undetermined === true)) {
      const trial: Run = { ...run, issues: new IssueList(run.issues.max), invariants: false };
      validateItem(item, code, table, slice, '$', trial);
      return trial.issues.errors === 0;
    }
    return true;
  };

  const discriminatorHolds = (item: unknown, code: string | undefined, match: SliceMatch): boolean => {
    // Most discriminators are a primitive value one step down (`url`, `system`): read it without collecting.
    if (match.type === 'value' && typeof match.value !== 'object' && SIMPLE_PATH.test(match.path)) {
      if (!isObject(item)) return false;
      const direct = item[match.path];
      if (!Array.isArray(direct)) return direct === match.value;
    }
    const values = valuesAt(item, match.path);
    switch (match.type) {
      case 'value':
        return values.some((value) =>
          isObject(match.value) || Array.isArray(match.value)
            ? matchesPattern(value, match.value)
            : deepEqual(value, match.value),
        );
      case 'pattern':
        return values.some((value) => matchesPattern(value, match.value));
      case 'exists':
        return values.length > 0 === match.exists;
      case 'type': {
        const onItem = match.path === '$this' || match.path === '';
        return values.some((value) => {
          const type =
            isObject(value) && typeof value['resourceType'] === 'string'
              ? value['resourceType']
              : onItem
                ? code
                : undefined;
          return type !== undefined && (match.codes ?? []).includes(type);
        });
      }
      case 'profile':
        return values.some(
          (value) =>
            isObject(value) &&
            isObject(value['meta']) &&
            Array.isArray(value['meta']['profile']) &&
            value['meta']['profile'].some((profile) => (match.codes ?? []).includes(profile)),
        );
    }
  };

  /** The slice (index into `sliced.slices`) each item belongs to, -1 for none. */
  const sliceOf = (
    items: unknown[],
    code: string | undefined,
    table: StructureTable,
    sliced: ElementTable,
    run: Run,
  ): number[] =>
    items.map((item) =>
      item === null || item === undefined
        ? -1
        : sliced.slices!.findIndex((index) => matchesSlice(item, code, table, table.elements[index]!, run)),
    );

  const applySlicing = (
    items: unknown[],
    founds: number[],
    code: string | undefined,
    table: StructureTable,
    sliced: ElementTable,
    path: Path,
    run: Run,
  ): void => {
    const slicing = sliced.slicing!;
    const slices = sliced.slices!.map((index) => table.elements[index]!);
    const counts = slices.map(() => 0);
    let lastSlice = -1;
    let unmatchedSeen = false;
    items.forEach((item, position) => {
      if (item === null || item === undefined) return;
      const itemPath = sliced.array ? new PathStep(path, undefined, position) : path;
      const found = founds[position]!;
      if (found === -1) {
        if (slicing.rules === 'closed')
          if (run.issues.full) run.issues.skip('error');
          else
            run.issues.add(
              'error',
              'structure',
              itemPath,
              `${itemPath}: does not match any slice of ${sliced.id} (slicing is closed)`,
            );
        unmatchedSeen = true;
        return;
      }
      if (slicing.rules === 'openAtEnd' && unmatchedSeen)
        if (run.issues.full) run.issues.skip('error');
        else
          run.issues.add(
            'error',
            'structure',
            itemPath,
            `${itemPath}: slice ${slices[found]!.sliceName} after an unsliced item (slicing is openAtEnd)`,
          );
      if (slicing.ordered && found < lastSlice)
        if (run.issues.full) run.issues.skip('error');
        else
          run.issues.add(
            'error',
            'structure',
            itemPath,
            `${itemPath}: slice ${slices[found]!.sliceName} is out of order (slicing is ordered)`,
          );
      lastSlice = Math.max(lastSlice, found);
      counts[found]!++;
      validateItem(item, code, table, slices[found]!, itemPath, run);
    });
    slices.forEach((slice, position) => {
      const count = counts[position]!;
      if (count < slice.min)
        if (run.issues.full) run.issues.skip('error');
        else
          run.issues.add(
            'error',
            'required',
            path,
            `${slice.id}: minimum required = ${slice.min}, but only found ${count}`,
          );
      if (slice.max !== -1 && count > slice.max)
        if (run.issues.full) run.issues.skip('error');
        else
          run.issues.add('error', 'structure', path, `${slice.id}: maximum allowed = ${slice.max}, but found ${count}`);
    });
  };

  /**
   * A resource inside another (contained, Bundle entry, Parameters): its element's profile, else its meta.profile, else
   * its base type.
   */
  /** `contained`: the item is in a `contained` list, so `#id` references resolve in its container, not in itself. */
  const validateNestedResource = (
    item: unknown,
    profiles: readonly string[] | undefined,
    contained: boolean,
    path: Path,
    run: Run,
  ): void => {
    if (!isObject(item) || typeof item['resourceType'] !== 'string') {
      if (run.issues.full) run.issues.skip('error');
      else run.issues.add('error', 'structure', path, `${path}: a resource must be a JSON object with a resourceType`);
      return;
    }
    const scope = run.scope;
    const fullUrls = run.fullUrls;
    run.scope = { container: contained ? scope.container : item, resource: item };
    try {
      const wanted = (profiles ?? []).filter((profile) => structures.get(profile)?.type === item['resourceType']);
      validateResourceAgainst(item, wanted.length > 0 ? wanted : undefined, path, run);
    } finally {
      run.scope = scope;
      run.fullUrls = fullUrls;
    }
  };

  /** Validates a resource against the given profiles, else the ones its meta.profile names, else its base type. */
  const validateResourceAgainst = (
    resource: JsonObject,
    profiles: readonly string[] | undefined,
    path: Path,
    run: Run,
  ): void => {
    const type = resource['resourceType'];
    if (typeof type !== 'string' || !resourceTypes.has(type)) {
      if (run.issues.full) run.issues.skip('error');
      else run.issues.add('error', 'structure', path, `Unknown resourceType ${JSON.stringify(type)}`);
      return;
    }
    if (type === 'Bundle') run.fullUrls = bundleFullUrls(resource, run.fullUrls);
    const declared = profiles ?? metaProfiles(resource);
    const known: StructureTable[] = [];
    for (const profile of declared) {
      const table = structures.get(profile) ?? structures.get(profile.split('|')[0]!);
      if (table === undefined)
        if (run.issues.full) run.issues.skip(run.unknownProfile);
        else
          run.issues.add(
            run.unknownProfile,
            'not-found',
            path,
            `Profile ${profile} is not known to this validator: checked against the base ${type} only`,
          );
      else if (table.type !== type)
        if (run.issues.full) run.issues.skip('error');
        else run.issues.add('error', 'structure', path, `Profile ${profile} is for ${table.type}, not ${type}`);
      else known.push(table);
    }
    if (known.length === 0) {
      const base = structures.get(tables.baseTypes[type] ?? '');
      if (base !== undefined) known.push(base);
    }
    for (const table of known) {
      const root = table.elements[0]!;
      validateObject(resource, table, root, path, run, true);
      runInvariants(table, root, resource, path, run);
    }
  };

  const metaProfiles = (resource: JsonObject): string[] => {
    const meta = resource['meta'];
    return isObject(meta) && Array.isArray(meta['profile'])
      ? meta['profile'].filter((profile): profile is string => typeof profile === 'string')
      : [];
  };

  const bundleFullUrls = (bundle: JsonObject, outer: Map<string, string> | undefined): Map<string, string> => {
    const map = new Map(outer);
    for (const entry of Array.isArray(bundle['entry']) ? bundle['entry'] : []) {
      if (!isObject(entry) || typeof entry['fullUrl'] !== 'string' || !isObject(entry['resource'])) continue;
      const type = entry['resource']['resourceType'];
      if (typeof type === 'string') map.set(entry['fullUrl'], type);
    }
    return map;
  };

  return (resource, options = {}) => {
    const merged = { ...defaults, ...options };
    const max = merged.maxIssues;
    const issues = new IssueList(
      typeof max === 'number' && max >= 1 ? Math.floor(max) : max === undefined ? DEFAULT_MAX_ISSUES : 1,
    );
    try {
      if (!isObject(resource)) {
        issues.add(
          'fatal',
          'structure',
          '$this',
          `A resource must be a JSON object, not ${
            resource === null ? 'null' : Array.isArray(resource) ? 'an array' : typeof resource
          }`,
        );
        return toOutcome(issues);
      }
      const type = typeof resource['resourceType'] === 'string' ? resource['resourceType'] : undefined;
      if (type === undefined || !resourceTypes.has(type)) {
        issues.add(
          'fatal',
          'structure',
          '$this',
          `Unknown or missing resourceType ${JSON.stringify(resource['resourceType'])?.slice(0, 80)}`,
        );
        return toOutcome(issues);
      }
      const run: Run = {
        issues,
        invariants: merged.invariants !== false,
        unknownProfile: merged.unknownProfile === 'error' ? 'error' : 'warning',
        bestPractice: merged.bestPractice !== 'ignore',
        scope: { container: resource, resource },
        fullUrls: undefined,
        depth: 0,
      };
      let profiles: string[] | undefined;
      if (merged.profile !== undefined) {
        if (structures.has(merged.profile)) profiles = [merged.profile];
        else issues.add('error', 'not-found', type, `Profile ${merged.profile} is not known to this validator`);
      }
      validateResourceAgainst(resource, profiles, type, run);
    } catch (error) {
      issues.add(
        'fatal',
        'exception',
        '$this',
        `Validator failure: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    return toOutcome(issues);
  };
}

const short = (value: unknown): string => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 120)}...` : text;
};
