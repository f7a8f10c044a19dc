import { FhirpathInvariants } from './fhirpath-invariants.js';
import { isObject, type JsonObject } from './json-values.js';
import { NATIVE_INVARIANTS, type InvariantScope } from './native-invariants.js';
import { DEFAULT_MAX_ISSUES, IssueList, toOutcome, type OperationOutcome } from './outcome.js';
import { Trail, type PathPoint } from './path.js';
import { primitiveChecks, type PrimitiveCheck } from './primitives.js';
import { checkBinding } from './rules/bindings.js';
import { checkCount, checkRequired, checkSliceCounts, itemsOf, type RequiredChild } from './rules/cardinality.js';
import { checkFixedPattern } from './rules/fixed-pattern.js';
import { checkInvariants, type ElementInvariant } from './rules/invariants.js';
import { checkReference } from './rules/references.js';
import { checkSlicePosition, matchesDiscriminators, type SliceWalk } from './rules/slicing.js';
import {
  checkChoice,
  checkNullItem,
  checkObject,
  checkPrimitive,
  checkPrimitiveExtension,
  checkResourceShape,
  primitiveExtensionItems,
  unknownElement,
} from './rules/types.js';
import type { ElementTable, SliceMatch, StructureTable, ValidationTables } from './tables.js';

/*
 * The walker: it goes through a resource along the tables and applies the rules (src/rules/, one module per kind of
 * check) at each property and item. What it keeps per element (ChildInfo, Linked) is derived once from the tables.
 */

/** Options of one `validate` call; `createValidator(tables, settings)` sets defaults for every call. */
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

/**
 * Validates a resource (any JSON value) against a profile or its base type and reports every issue as an
 * OperationOutcome, empty `issue` when it conforms. Never throws: an internal failure becomes a `fatal` issue of
 * code `exception`.
 */
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
  /** Plain, not repeating and not forbidden (max 0): one value, checked by its format alone in validateObject. */
  plainSingle: boolean;
  /** plainSingle, and neither the `_name` entry nor a choice variant: nothing else to do in the object loop. */
  plainAlone: boolean;
  /** The child's own facts, once first needed (kept here so the walk never looks them up). */
  link: Linked | undefined;
  /**
   * A required child: its bit in the object loop's record of the required children met (`1 << its position` in
   * `Linked.required`); 0 for any other child, and for a required one past the 31st (looked up after the loop).
   */
  requiredBit: number;
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
  /**
   * The structure an object of this child is walked against when that walk is all there is to do (see walkTyped);
   * null when there is more (fixed or pattern value, binding, reference targets, slices, an extension's url), undefined
   * until its first item has been checked in full.
   */
  typed: TypeLink | null | undefined;
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

/**
 * A folded value's type, resolved once per element and type code: its structure, and the root invariants the element
 * did not already run.
 */
interface TypeLink {
  table: StructureTable;
  /** The structure's root element, and its facts. */
  root: ElementTable;
  link: Linked;
  invariants: Linked['invariants'];
}

/** Per-element facts the tables leave implicit, derived once. */
interface Linked {
  /** By JSON property name (`name` and `_name`). */
  children: Map<string, ChildInfo>;
  /** The key last met at each position of an object of this element, and its child (see childAtPosition). */
  keyAt: string[];
  childAt: (ChildInfo | undefined)[];
  /** The key met at each position before the last one, and its child: objects with an optional key alternate. */
  keyBefore: string[];
  childBefore: (ChildInfo | undefined)[];
  /** Children with min >= 1 (a choice once). */
  required: RequiredChild[];
  invariants: ElementInvariant[];
  /** The invariant ids, to skip on a type's root what the element already ran. */
  invariantIds: ReadonlySet<string>;
  /** The structure a folded value of each type code is checked against (its type profile, else the base type). */
  typeTables: Map<string, TypeLink | undefined>;
  /** Extension definitions by url, for extensions no slice names (only on elements with no type profile). */
  extensionTypes: Map<string, TypeLink>;
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
  /** On a sliced element: its slice elements, in order (made once, not per list of items), and their facts. */
  slices: ElementTable[] | undefined;
  sliceLinks: Linked[] | undefined;
  /** On a slice: how its items are recognised, and whether some discriminator needs a trial validation to decide. */
  matches: readonly SliceMatch[];
  undetermined: boolean;
}

interface Run {
  issues: IssueList;
  invariants: boolean;
  unknownProfile: 'warning' | 'error';
  bestPractice: boolean;
  scope: InvariantScope;
  /** Bundle entry fullUrl to resource type, for `urn:uuid:` references. */
  fullUrls: Map<string, string> | undefined;
  resourceTypes: ReadonlySet<string>;
  depth: number;
}

const MAX_DEPTH = 400;
const NO_PROFILES: readonly string[] = Object.freeze([]);
const MAX_REMEMBERED_KEYS = 64;
const ELE_1 = NATIVE_INVARIANTS.get('hasValue() or (children().count() > id.count())');

/**
 * Makes a validator from compiled tables. The returned function never throws: an internal failure
 * (which would be a bug) becomes a `fatal`/`exception` issue instead.
 *
 * @param tables - compiled by `compileValidationTables` of `@nhs-fhir/fhir-codegen`; a profile package ships its own.
 * @param settings - default options for every call (a call's own options win), and `fhirpathOnly` for tests.
 * @example
 * ```ts
 * const validate = createValidator(tables, { maxIssues: 100 });
 * const outcome = validate({ resourceType: 'Patient', birthDate: '2021-02-29' });
 * const errors = outcome.issue.filter((issue) => issue.severity === 'error');
 * ```
 */
export function createValidator(tables: ValidationTables, settings: ValidatorSettings = {}): Validate {
  const { fhirpathOnly = false, ...defaults } = settings;
  const hasDefaults = Object.keys(defaults).length > 0;
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
  // Trails not in use, kept for the next walk: a walk's path steps are then made once, not per call.
  const spareTrails: Trail[] = [];

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
    const requiredBits = new Map<number, number>();
    const children = new Map<string, ChildInfo>();
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
      if (!seen.has(index)) {
        seen.add(index);
        if (child.min > 0) {
          const choice = child.variants !== undefined;
          requiredBits.set(index, required.length < 31 ? 1 << required.length : 0);
          required.push({
            index,
            element: child,
            keys: choice ? Object.keys(child.variants!).map((variant) => `_${variant}`) : [name, `_${name}`],
            choice,
          });
        }
      }
      const requiredBit = requiredBits.get(index) ?? 0;
      const plain = check !== undefined && isPlain(child);
      const plainSingle = plain && !child.array && child.max !== 0;
      const choice = child.variants !== undefined;
      // Both entries from one literal, so every ChildInfo has the same shape; the fields the object loop reads on
      // every property come first, to share the object's first cache line.
      const childInfo = (underscore: boolean): ChildInfo => ({
        requiredBit,
        plainAlone: plainSingle && !underscore && !choice,
        check,
        underscore,
        choice,
        plainSingle,
        code,
        index,
        element: child,
        link: undefined,
        kind: -1,
        plain,
        array: child.array,
        min: child.min,
        max: child.max,
        sliced: child.slices !== undefined && child.slicing !== undefined,
        shallowable:
          childrenOf(table, child) === undefined && child.types.every((type) => (type.profiles?.length ?? 0) === 0),
        typed: undefined,
      });
      children.set(name, childInfo(false));
      childCount++;
      // `_name` is looked up directly too, so the walk never slices the key.
      children.set(`_${name}`, childInfo(true));
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
      keyAt: [],
      childAt: [],
      keyBefore: [],
      childBefore: [],
      required,
      invariants,
      invariantIds: new Set(element.invariants ?? []),
      typeTables: new Map(),
      extensionTypes: new Map(),
      hasChildren: childCount > 0 || childrenOf(table, element) !== undefined,
      requiredCodes: binding === undefined ? undefined : (valueSets.get(binding) ?? null),
      targets: targets === undefined || targets.includes('Resource') ? undefined : targets,
      kinds: new Map(),
      fixed: element.fixed,
      pattern: element.pattern,
      profiled: element.types.some((type) => (type.profiles?.length ?? 0) > 0),
      typeCode: undefined,
      typeLink: undefined,
      slices: element.slices?.map((index) => table.elements[index]!),
      sliceLinks: undefined,
      matches: element.match ?? [],
      undetermined: (element.match ?? []).some((match) => match.undetermined === true),
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
    const root = table.elements[0]!;
    const link = linkOf(table, root);
    return { table, root, link, invariants: link.invariants.filter(({ id }) => !element.invariantIds.has(id)) };
  };

  /** The structure a folded element's value is checked against: its type profile when known, else the base type. */
  const typeStructure = (
    code: string,
    profiles: readonly string[] | undefined,
    run: Run,
    path: PathPoint,
  ): StructureTable | undefined => {
    for (const profile of profiles ?? []) {
      const found = structures.get(profile) ?? structures.get(profile.split('|')[0]!);
      if (found !== undefined) return found;
      if (run.issues.keeps('information'))
        run.issues.add(
          'information',
          'not-found',
          path,
          `Profile ${profile} is not in the validator tables: checked against ${code} only`,
        );
    }
    return structures.get(tables.baseTypes[code] ?? '');
  };

  const runInvariants = (list: readonly ElementInvariant[], node: unknown, path: PathPoint, run: Run): void => {
    if (run.invariants && list.length > 0) checkInvariants(list, node, path, run, fhirpath);
  };

  /** Validates the properties of a JSON object against an element's children. */
  const validateObject = (
    object: JsonObject,
    table: StructureTable,
    element: ElementTable,
    path: PathPoint,
    run: Run,
    isResource: boolean,
    link = linkOf(table, element),
  ): void => {
    const { keyAt, childAt } = link;
    let choices: (number | string)[] | undefined;
    // The required children met with a value, one bit each: checkRequired looks up only those not met here (most
    // objects have every required child; a lookup of a key per required child, which misses on `_name`, cost more).
    let met = 0;
    let position = -1;
    for (const key in object) {
      position++;
      if (isResource && key === 'resourceType') continue;
      const value = object[key];
      const info = keyAt[position] === key ? childAt[position] : childAtPosition(link, position, key);
      if (info === undefined) {
        unknownElement(key, element, path, run.issues);
        continue;
      }
      if (info.requiredBit !== 0 && value !== undefined) met |= info.requiredBit;
      // Most properties are one plain primitive: checked here, without a call, and its path built only if it is wrong.
      if (info.plainAlone && typeof value !== 'object' && value !== undefined) {
        if (info.check!(value) !== undefined) checkPrimitive(info.code!, info.check, value, path.step(key), run.issues);
        continue;
      }
      if (info.underscore) {
        validatePrimitiveExtension(value, info.code, info.element, path.step(key), run);
        continue;
      }
      if (info.choice) choices = checkChoice(choices, info.index, key, info.element, path, run.issues);
      // A plain primitive choice variant, once its choice is noted.
      if (info.plainSingle && typeof value !== 'object' && value !== undefined) {
        if (info.check!(value) !== undefined) checkPrimitive(info.code!, info.check, value, path.step(key), run.issues);
        continue;
      }
      validateProperty(value, info, table, path, key, object, run);
    }
    if (link.required.length > 0) checkRequired(object, link.required, choices, met, path, run.issues);
  };

  /**
   * The child a key names, remembered at the key's position in the object: objects of one element mostly list their
   * keys in one order, so the next object's key at that position is the same string, compared by identity. That
   * touches two small arrays instead of hashing the key into the children Map, the walk's hottest line before. Here,
   * past a miss on the last key met at the position: the key met there before it (objects with an optional key
   * alternate between two orders, as Identifier with and without `use`), else the Map.
   */
  const childAtPosition = (link: Linked, position: number, key: string): ChildInfo | undefined => {
    const { keyAt, childAt, keyBefore, childBefore } = link;
    if (position < MAX_REMEMBERED_KEYS && keyBefore[position] === key) {
      const info = childBefore[position];
      keyBefore[position] = keyAt[position]!;
      childBefore[position] = childAt[position];
      keyAt[position] = key;
      childAt[position] = info;
      return info;
    }
    const info = link.children.get(key);
    // Only the first positions: an object with a million keys must not leave a million-entry array behind.
    if (position < MAX_REMEMBERED_KEYS) {
      if (position < keyAt.length) {
        keyBefore[position] = keyAt[position]!;
        childBefore[position] = childAt[position];
      }
      link.keyAt[position] = key;
      link.childAt[position] = info;
    }
    return info;
  };

  const validatePrimitiveExtension = (
    value: unknown,
    code: string | undefined,
    child: ElementTable,
    path: PathPoint,
    run: Run,
  ): void => {
    const primitive = code !== undefined && primitives.has(code);
    const items = primitiveExtensionItems(value, primitive, child, path, run.issues);
    for (let position = 0; position < items.length; position++) {
      const item = items[position];
      if (item === null && child.array) continue;
      const itemPath = child.array ? path.step(position) : path;
      if (checkPrimitiveExtension(item, itemPath, run.issues) && elementStructure !== undefined) {
        const root = elementStructure.elements[0]!;
        const link = linkOf(elementStructure, root);
        validateObject(item, elementStructure, root, itemPath, run, false, link);
        runInvariants(link.invariants, item, itemPath, run);
      }
    }
  };

  /** One property: its array-ness, cardinality, each item, then slicing. */
  const validateProperty = (
    value: unknown,
    info: ChildInfo,
    table: StructureTable,
    path: PathPoint,
    key: string,
    object: JsonObject,
    run: Run,
  ): void => {
    const { element: child, code } = info;
    // The common case first: one plain primitive where one is expected; its path is built only if it is wrong.
    if (info.plainSingle && value !== null && value !== undefined && !Array.isArray(value)) {
      if (info.check!(value) !== undefined) checkPrimitive(code!, info.check, value, `${path}.${key}`, run.issues);
      return;
    }
    const propertyPath = path.step(key);
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
        const typed = info.typed;
        if (typed != null && isObject(value) && run.depth <= MAX_DEPTH) {
          walkTyped(value, typed, info.link!, propertyPath, run);
          return;
        }
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
        if (typed === undefined) info.typed = typedOf(info, link);
      }
      return;
    }
    // A non-empty array where the element repeats is the common case: taken as it is, its count checked against the
    // child's own copies of min and max (the table element's fields are read only to report).
    const items =
      info.array && Array.isArray(value) && value.length > 0 ? value : itemsOf(value, child, propertyPath, run.issues);
    if (items === undefined) return;
    const count = items.length;
    if ((info.max !== -1 && count > info.max) || (count < info.min && count > 0))
      checkCount(count, child, propertyPath, run.issues);
    // Most values are primitives with nothing but a format to check: no path string is built unless one is wrong.
    const check = info.check;
    if (check !== undefined && info.plain) {
      let missing = false;
      for (let position = 0; position < items.length; position++) {
        const item = items[position];
        if (item === null || item === undefined) missing = true;
        else if (check(item) !== undefined) {
          const itemPath = info.array ? propertyPath.step(position) : propertyPath;
          checkPrimitive(code!, check, item, itemPath, run.issues);
        }
      }
      if (!missing) return;
    }
    // Sliced items are matched first: an item in a slice is walked once, against the slice, when the entry adds no
    // structure of its own.
    const founds = info.sliced ? sliceOf(items, code, table, (info.link ??= linkOf(table, child)), run) : undefined;
    const shallow = founds !== undefined && info.shallowable ? founds : undefined;
    let extensionItems: unknown[] | undefined;
    for (let position = 0; position < items.length; position++) {
      const item = items[position];
      const itemPath = info.array ? propertyPath.step(position) : propertyPath;
      if (item === null || item === undefined) {
        if (extensionItems === undefined) {
          const extensions = object[`_${key}`];
          extensionItems = Array.isArray(extensions) ? extensions : [];
        }
        checkNullItem(child.array && info.check !== undefined, extensionItems[position], itemPath, run.issues);
        continue;
      }
      if (check === undefined || !info.plain) {
        const typed = info.typed;
        if (typed != null && isObject(item) && run.depth <= MAX_DEPTH) {
          walkTyped(item, typed, info.link!, itemPath, run);
          continue;
        }
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
        if (typed === undefined) info.typed = typedOf(info, link);
      }
    }
    if (founds !== undefined) applySlicing(items, founds, code, table, child, info.link!, propertyPath, run);
  };

  /**
   * An object of a complex type where the element adds nothing to check but its invariants: validateItem's walk for
   * it, without deciding again, item after item, that there is nothing else to do.
   */
  const walkTyped = (item: JsonObject, type: TypeLink, link: Linked, path: PathPoint, run: Run): void => {
    run.depth++;
    try {
      validateObject(item, type.table, type.root, path, run, false, type.link);
      if (run.invariants) {
        runInvariants(type.invariants, item, path, run);
        runInvariants(link.invariants, item, path, run);
      }
    } finally {
      run.depth--;
    }
  };

  /** A child's `typed` (see ChildInfo), decided once its kind and type are known. */
  const typedOf = (info: ChildInfo, link: Linked): TypeLink | null => {
    const code = info.code;
    if (
      info.kind !== TYPED ||
      code === undefined ||
      code === 'Extension' ||
      info.sliced ||
      link.fixed !== undefined ||
      link.pattern !== undefined ||
      link.requiredCodes !== undefined ||
      (code === 'Reference' && link.targets !== undefined)
    )
      return null;
    // Only a type resolved and remembered (an unknown type profile is reported each time it is met).
    return link.typeTables.get(code) ?? null;
  };

  /** How validateItem checks an item of an element with a given type code, decided once per element and code. */
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

  /** The structure (and the root invariants to run) a value of a complex type is checked against. */
  const typeOf = (
    item: JsonObject,
    code: string,
    element: ElementTable,
    link: Linked,
    path: PathPoint,
    run: Run,
  ): TypeLink | undefined => {
    let type: TypeLink | undefined;
    // An extension no slice names is still checked against its definition, found by its url, when the tables have it
    // (only those are remembered: a url the tables lack is looked up again, so nothing grows with the input).
    const url = code === 'Extension' && !link.profiled ? item['url'] : undefined;
    if (typeof url === 'string') {
      type = link.extensionTypes.get(url);
      if (type !== undefined) return type;
      const byUrl = structures.get(url);
      if (byUrl !== undefined && byUrl.type === 'Extension') {
        link.extensionTypes.set(url, (type = typeLink(byUrl, link)));
        return type;
      }
    }
    if (code === link.typeCode) return link.typeLink;
    if ((type = link.typeTables.get(code)) !== undefined || link.typeTables.has(code)) return type;
    return resolveType(code, element, link, path, run);
  };

  /** typeOf's first meeting with a type code on an element (kept apart: its closures cost nothing on the hits). */
  const resolveType = (
    code: string,
    element: ElementTable,
    link: Linked,
    path: PathPoint,
    run: Run,
  ): TypeLink | undefined => {
    const profiles = profilesOf(element, code);
    const found = typeStructure(code, profiles, run, path);
    const type = found === undefined ? undefined : typeLink(found, link);
    // An unknown type profile is reported where it is met; only resolved types are remembered.
    if (!(profiles ?? []).some((profile) => !structures.has(profile) && !structures.has(profile.split('|')[0]!))) {
      link.typeTables.set(code, type);
      if (link.typeCode === undefined) [link.typeCode, link.typeLink] = [code, type];
    }
    return type;
  };

  /**
   * One value of an element: its type, fixed/pattern, binding, reference target and invariants. `shallow`: the item
   * is checked in full against the slice it matched; here only what the element itself says.
   */
  const validateItem = (
    item: unknown,
    code: string | undefined,
    table: StructureTable,
    element: ElementTable,
    path: PathPoint,
    run: Run,
    shallow = false,
    link = linkOf(table, element),
    kind = kindOf(element, link, code),
  ): void => {
    if (run.depth > MAX_DEPTH) {
      if (run.issues.keeps('error'))
        run.issues.add('error', 'structure', path, `${path}: nested deeper than ${MAX_DEPTH} levels`);
      return;
    }
    run.depth++;
    try {
      if (kind === PRIMITIVE) checkPrimitive(code!, primitives.get(code!), item, path, run.issues);
      else if (shallow) {
        if (kind === RESOURCE) return;
        checkObject(item, code, path, run.issues);
      } else if (kind === SHAPE) {
        // Several types without a choice name: only the JSON shape can be checked.
      } else if (kind === RESOURCE) {
        const profiles = profilesOf(element, code);
        validateNestedResource(item, profiles, element.path.endsWith('.contained'), path, run);
        return;
      } else if (!checkObject(item, code, path, run.issues)) return;
      else if (kind === CHILDREN) validateObject(item, table, element, path, run, false, link);
      else if (kind === TYPED && code !== undefined) {
        const type = typeOf(item, code, element, link, path, run);
        if (type === undefined) {
          if (run.issues.keeps('information'))
            run.issues.add(
              'information',
              'not-supported',
              path,
              `Type ${code} is not in the validator tables: not checked`,
            );
        } else {
          validateObject(item, type.table, type.root, path, run, false, type.link);
          runInvariants(type.invariants, item, path, run);
        }
      }
      if (link.fixed !== undefined || link.pattern !== undefined)
        checkFixedPattern(item, link.fixed, link.pattern, path, run.issues);
      if (code !== undefined && link.requiredCodes !== undefined)
        checkBinding(element.binding!.valueSet, link.requiredCodes, code, item, path, run.issues);
      if (code === 'Reference' && link.targets !== undefined) checkReference(link.targets, item, path, run, run.issues);
      runInvariants(link.invariants, item, path, run);
    } finally {
      run.depth--;
    }
  };

  /**
   * Whether an item is in a slice: its compiled discriminators, and for an undetermined one, validating the item
   * against the slice (without invariants) with no errors.
   */
  const matchesSlice = (
    item: unknown,
    code: string | undefined,
    table: StructureTable,
    slice: ElementTable,
    link: Linked,
    run: Run,
  ): boolean => {
    if (!matchesDiscriminators(item, code, link.matches)) return false;
    if (link.undetermined) {
      const trial: Run = { ...run, issues: new IssueList(run.issues.max), invariants: false };
      // A trial inside a trial (a slice's own slicing) takes another trail; one that throws is not given back.
      const trail = spareTrails.pop() ?? new Trail();
      validateItem(item, code, table, slice, trail.start('$'), trial, false, link);
      spareTrails.push(trail);
      return trial.issues.errors === 0;
    }
    return true;
  };

  /** The slice (index into `sliced.slices`) each item belongs to, -1 for none. */
  const sliceOf = (
    items: unknown[],
    code: string | undefined,
    table: StructureTable,
    sliced: Linked,
    run: Run,
  ): number[] => {
    const slices = sliced.slices!;
    const links = sliceLinksOf(table, sliced);
    const founds: number[] = new Array(items.length).fill(-1);
    for (let position = 0; position < items.length; position++) {
      const item = items[position];
      if (item === null || item === undefined) continue;
      for (let slice = 0; slice < slices.length; slice++)
        if (matchesSlice(item, code, table, slices[slice]!, links[slice]!, run)) {
          founds[position] = slice;
          break;
        }
    }
    return founds;
  };

  /** Each matched item against its slice, in order, then each slice's count. */
  const applySlicing = (
    items: unknown[],
    founds: number[],
    code: string | undefined,
    table: StructureTable,
    sliced: ElementTable,
    link: Linked,
    path: PathPoint,
    run: Run,
  ): void => {
    const slices = link.slices!;
    const links = sliceLinksOf(table, link);
    const counts: number[] = new Array(slices.length).fill(0);
    const walk: SliceWalk = { lastSlice: -1, unmatchedSeen: false };
    for (let position = 0; position < items.length; position++) {
      const item = items[position];
      if (item === null || item === undefined) continue;
      const itemPath = sliced.array ? path.step(position) : path;
      const found = founds[position]!;
      checkSlicePosition(walk, found, sliced, slices, itemPath, run.issues);
      if (found === -1) continue;
      counts[found]!++;
      validateItem(item, code, table, slices[found]!, itemPath, run, false, links[found]!);
    }
    checkSliceCounts(slices, counts, path, run.issues);
  };

  /** The facts of a sliced element's slices, found once. */
  const sliceLinksOf = (table: StructureTable, sliced: Linked): Linked[] =>
    (sliced.sliceLinks ??= sliced.slices!.map((slice) => linkOf(table, slice)));

  /**
   * A resource inside another (contained, Bundle entry, Parameters): its element's profile, else its meta.profile,
   * else its base type. `contained`: the item is in a `contained` list, so `#id` references resolve in its container,
   * not in itself.
   */
  const validateNestedResource = (
    item: unknown,
    profiles: readonly string[] | undefined,
    contained: boolean,
    path: PathPoint,
    run: Run,
  ): void => {
    if (!checkResourceShape(item, path, run.issues)) return;
    const scope = run.scope;
    const fullUrls = run.fullUrls;
    run.scope = { container: contained ? scope.container : item, resource: item };
    try {
      const wanted: string[] = [];
      for (const profile of profiles ?? [])
        if (structures.get(profile)?.type === item['resourceType']) wanted.push(profile);
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
    path: PathPoint,
    run: Run,
  ): void => {
    const type = resource['resourceType'];
    if (typeof type !== 'string' || !resourceTypes.has(type)) {
      if (run.issues.keeps('error'))
        run.issues.add('error', 'structure', path, `Unknown resourceType ${JSON.stringify(type)}`);
      return;
    }
    if (type === 'Bundle') run.fullUrls = bundleFullUrls(resource, run.fullUrls);
    const declared = profiles ?? metaProfiles(resource);
    // Every declared profile is resolved (and reported) before any is walked. The first known one is kept aside:
    // a list is made only for a second (most resources declare one profile, many none).
    let first: StructureTable | undefined;
    let more: StructureTable[] | undefined;
    // Indexed loops here, not for-of: the iterator was allocated on every resource.
    for (let position = 0; position < declared.length; position++) {
      const profile = declared[position]!;
      const table = structures.get(profile) ?? structures.get(profile.split('|')[0]!);
      if (table === undefined) {
        if (run.issues.keeps(run.unknownProfile))
          run.issues.add(
            run.unknownProfile,
            'not-found',
            path,
            `Profile ${profile} is not known to this validator: checked against the base ${type} only`,
          );
      } else if (table.type !== type) {
        if (run.issues.keeps('error'))
          run.issues.add('error', 'structure', path, `Profile ${profile} is for ${table.type}, not ${type}`);
      } else if (first === undefined) first = table;
      else (more ??= []).push(table);
    }
    first ??= structures.get(tables.baseTypes[type] ?? '');
    if (first !== undefined) validateRoot(resource, first, path, run);
    if (more !== undefined)
      for (let position = 0; position < more.length; position++) validateRoot(resource, more[position]!, path, run);
  };

  /** A resource against one structure: its properties, then the root's invariants. */
  const validateRoot = (resource: JsonObject, table: StructureTable, path: PathPoint, run: Run): void => {
    const root = table.elements[0]!;
    const link = linkOf(table, root);
    validateObject(resource, table, root, path, run, true, link);
    runInvariants(link.invariants, resource, path, run);
  };

  /** The profiles a resource's meta names (its own list, not a copy, when every entry is a string: most are). */
  const metaProfiles = (resource: JsonObject): readonly string[] => {
    const meta = resource['meta'];
    const profiles: unknown = isObject(meta) ? meta['profile'] : undefined;
    if (!Array.isArray(profiles)) return NO_PROFILES;
    for (let position = 0; position < profiles.length; position++)
      if (typeof profiles[position] !== 'string')
        return profiles.filter((profile): profile is string => typeof profile === 'string');
    return profiles as string[];
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
    const merged = hasDefaults ? { ...defaults, ...options } : options;
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
        resourceTypes,
        depth: 0,
      };
      let profiles: string[] | undefined;
      if (merged.profile !== undefined) {
        if (structures.has(merged.profile)) profiles = [merged.profile];
        else issues.add('error', 'not-found', type, `Profile ${merged.profile} is not known to this validator`);
      }
      const trail = spareTrails.pop() ?? new Trail();
      validateResourceAgainst(resource, profiles, trail.start(type), run);
      spareTrails.push(trail);
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

/**
 * The type profiles an element names for a type code. A loop, not `find` with a closure: a closure over a parameter
 * makes its function allocate a context on every call, taken or not.
 */
function profilesOf(element: ElementTable, code: string | undefined): readonly string[] | undefined {
  for (const type of element.types) if (type.code === code) return type.profiles;
  return undefined;
}
