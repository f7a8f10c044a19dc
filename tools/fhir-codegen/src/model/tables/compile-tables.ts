import { CodegenError, isRecord, ValueSetExpander } from '../../fhir/index.js';
import { type PackageGraph, releaseName } from '../../load/package-graph.js';
import type { PackageResource } from '../../load/package-store.js';
import { snapshotBuilder } from '../../snapshot/build-snapshot.js';
import { SnapshotError } from '../../snapshot/snapshot-issue.js';
import { compileStructure, type StructureContext } from './compile-structure.js';
import { sliceMatchers } from './slice-matchers.js';
import type { InvariantTable, PrimitiveTable, StructureTable, ValidationTables } from '@nhs-fhir/validation';

export interface CompileOptions {
  /**
   * The package id holding the base types (default: hl7.fhir.r4.core or hl7.fhir.r3.core, whichever the closure has).
   */
  corePackage?: string;
  /** Which constraint StructureDefinitions of the closure to compile (default: every one outside the core package). */
  include?: (definition: PackageResource) => boolean;
  /**
   * `base`: only the core package's types and the type profiles they name (the tables `@nhs-fhir/r4` and
   * `@nhs-fhir/stu3` ship); `all` (default): those and the constraint StructureDefinitions of the closure.
   */
  scope?: 'all' | 'base';
  /**
   * The base package's tables (`scope: 'base'`, as `@nhs-fhir/r4` or `@nhs-fhir/stu3` ships them): taken as compiled,
   * and the result holds only what this closure adds to them (the layer `mergeTables(parent, layer)` reads).
   */
  parent?: ValidationTables;
}

export interface CompileResult {
  tables: ValidationTables;
  /** Profiles left out, each with the reason (a snapshot that cannot be built). */
  skipped: { url: string; reason: string }[];
}

const CORE_PACKAGES = new Set(['hl7.fhir.r4.core', 'hl7.fhir.r3.core']);
const REGEX_EXTENSIONS = new Set([
  'http://hl7.org/fhir/StructureDefinition/regex',
  'http://hl7.org/fhir/StructureDefinition/structuredefinition-regex',
]);
const JSON_NUMBER_TYPES = new Set(['integer', 'decimal', 'positiveInt', 'unsignedInt', 'integer64']);

// STU3 definitions give no regex for these; the formats are those the STU3 datatypes page states (and R4 writes as
// regexes).
const STU3_FORMATS: Record<string, string> = {
  instant:
    '-?[0-9]{4}-(0[1-9]|1[0-2])-(0[0-9]|[1-2][0-9]|3[0-1])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]' +
    '(\\.[0-9]+)?(Z|(\\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))',
  uri: '\\S*',
};

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The regex a primitive type's definition gives its value (R4 on the type, STU3 on the type too, under another url).
 */
function primitiveOf(code: string, elements: readonly Record<string, unknown>[]): PrimitiveTable {
  const primitive: PrimitiveTable = {
    json: code === 'boolean' ? 'boolean' : JSON_NUMBER_TYPES.has(code) ? 'number' : 'string',
  };
  const value = elements.find((element) => element['path'] === `${code}.value`);
  for (const type of Array.isArray(value?.['type']) ? value['type'].filter(isRecord) : []) {
    for (const extension of Array.isArray(type['extension']) ? type['extension'].filter(isRecord) : []) {
      if (REGEX_EXTENSIONS.has(String(extension['url'])) && typeof extension['valueString'] === 'string')
        primitive.regex = extension['valueString'];
    }
  }
  if (primitive.regex === undefined && STU3_FORMATS[code] !== undefined) primitive.regex = STU3_FORMATS[code];
  return primitive;
}

/**
 * Compiles validator tables for a package: every base type of its FHIR version, the constraint
 * StructureDefinitions of its closure (profiles, extensions, datatype profiles), and the type
 * profiles those name, with the value sets of required bindings expanded offline and the
 * invariants by id. Output is plain JSON in a deterministic order (keys sorted by code point).
 */
export function compileValidationTables(graph: PackageGraph, options: CompileOptions = {}): CompileResult {
  const { index, closure } = graph;
  const builder = snapshotBuilder(index);
  const expander = new ValueSetExpander(index);
  const fhirVersion = releaseName(graph.root.fhirVersion);
  const core = closure.find((pkg) =>
    options.corePackage === undefined ? CORE_PACKAGES.has(pkg.id) : pkg.id === options.corePackage,
  );
  const { parent } = options;
  if (parent !== undefined && parent.fhirVersion !== fhirVersion)
    throw new CodegenError(
      'BASE_TABLES_INVALID',
      { input: graph.root.key },
      `the base tables are for ${parent.fhirVersion}, but ${graph.root.key} is FHIR ${graph.root.fhirVersion}`,
    );
  // A parent's entries are known from the start: never compiled again, and left out of the result.
  const structures = new Map<string, StructureTable>(Object.entries(parent?.structures ?? {}));
  const baseTypes: Record<string, string> = { ...parent?.baseTypes };
  const primitives: Record<string, PrimitiveTable> = { ...parent?.primitives };
  const valueSets = new Map<string, string[] | null>(Object.entries(parent?.valueSets ?? {}));
  const invariants = new Map<string, InvariantTable>(Object.entries(parent?.invariants ?? {}));
  const skipped: CompileResult['skipped'] = [];

  const context: StructureContext = {
    targetType(canonical) {
      const found = index.resolve(canonical);
      return found?.resourceType === 'StructureDefinition' && typeof found.json['type'] === 'string'
        ? found.json['type']
        : undefined;
    },
    invariant(invariant) {
      for (let n = 1; ; n++) {
        const id = n === 1 ? invariant.key : `${invariant.key}@${n}`;
        const known = invariants.get(id);
        if (known === undefined) {
          invariants.set(id, invariant);
          return id;
        }
        if (
          known.expression === invariant.expression &&
          known.severity === invariant.severity &&
          known.bestPractice === invariant.bestPractice
        )
          return id;
      }
    },
    valueSet(canonical) {
      if (!valueSets.has(canonical)) valueSets.set(canonical, expander.expand(canonical) ?? null);
    },
  };

  const pending: PackageResource[] = [];
  const compile = (definition: PackageResource): void => {
    const url = definition.url;
    if (url === undefined || structures.has(url)) return;
    try {
      const snapshot = builder.build(definition);
      const table = compileStructure(definition.json, snapshot, context);
      structures.set(url, table);
      if (table.kind === 'primitive-type' && definition.json['derivation'] !== 'constraint')
        primitives[table.type] = primitiveOf(table.type, snapshot.elements);
      for (const element of table.elements)
        for (const type of element.types)
          for (const profile of type.profiles ?? []) pending.push(...profileResource(profile));
    } catch (error) {
      if (!(error instanceof SnapshotError)) throw error;
      skipped.push({ url, reason: error.message });
    }
  };
  const profileResource = (canonical: string): PackageResource[] => {
    const found = index.resolve(canonical);
    return found?.resourceType === 'StructureDefinition' && found.url !== undefined && !structures.has(found.url)
      ? [found]
      : [];
  };

  for (const resource of parent === undefined ? (core?.resources ?? []) : []) {
    // kind and derivation come from the package index: only the base definitions are parsed
    if (
      resource.resourceType !== 'StructureDefinition' ||
      resource.derivation === 'constraint' ||
      resource.kind === 'logical'
    )
      continue;
    const json = resource.json;
    if (typeof json['type'] !== 'string' || resource.url === undefined) continue;
    compile(resource);
    baseTypes[json['type']] = resource.url;
  }
  const include =
    options.include ??
    ((definition: PackageResource) => definition.derivation === 'constraint' && definition.kind !== 'logical');
  for (const pkg of options.scope === 'base' ? [] : closure) {
    if (pkg === core) continue;
    for (const resource of pkg.resources)
      if (resource.resourceType === 'StructureDefinition' && include(resource)) compile(resource);
  }
  while (pending.length > 0) compile(pending.pop()!);

  const own = <T>(entries: Iterable<[string, T]>, inherited: Record<string, T> | undefined): [string, T][] =>
    [...entries].filter(([key]) => inherited === undefined || !Object.hasOwn(inherited, key));
  const ownStructures = own(structures, parent?.structures);
  for (const [, table] of ownStructures) sliceMatchers(table, structures, baseTypes);

  const sorted = <T>(entries: [string, T][]): Record<string, T> =>
    Object.fromEntries(entries.sort(([a], [b]) => compareText(a, b)));
  return {
    tables: {
      fhirVersion,
      structures: sorted(ownStructures),
      baseTypes: sorted(own(Object.entries(baseTypes), parent?.baseTypes)),
      primitives: sorted(own(Object.entries(primitives), parent?.primitives)),
      valueSets: sorted(own(valueSets, parent?.valueSets)),
      invariants: sorted(own(invariants, parent?.invariants)),
    },
    skipped: skipped.sort((a, b) => compareText(a.url, b.url)),
  };
}
