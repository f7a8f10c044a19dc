import {
  type ConstDeclaration,
  type FunctionDeclaration,
  generatedHeader,
  type ImportDeclaration,
  type InterfaceDeclaration,
  printFile,
  type PropertyMember,
  type Statement,
  type TypeAliasDeclaration,
} from '../printer.js';
import { compareNames } from '../../model/build-type-model.js';
import { CodegenError } from '../../fhir/index.js';
import type { ElementModel, ElementType, PackageModel, TypeModel } from '../../model/type-model.js';
import { backboneTypeName, choiceVariantName, guardName, typeFileName } from './names.js';

/** The file that holds `AnyResource`, `ResourceType`, `ResourceTypeMap`, `ResourceOfType` and `isResource`. */
export const RESOURCES_FILE = 'resources.ts';

/**
 * Elements whose `Resource` type becomes the type parameter of their type and every enclosing
 * backbone, so that `Bundle<Patient>` has `entry[].resource: Patient`.
 */
const RESOURCE_SLOTS: ReadonlyMap<string, { parameter: string; constraint: string }> = new Map([
  ['Bundle.entry.resource', { parameter: 'T', constraint: 'AnyResource' }],
]);

/** In `one-of` mode, types whose choice elements allow more combinations than this keep optional variants. */
const MAX_ONE_OF_COMBINATIONS = 64;

/** Types that take a resource-type parameter for their targets. */
const REFERENCE_TYPE = 'Reference';

/**
 * How elements name their typed references: `ReferenceTo['Organization | Practitioner']` is
 * `Reference<'Organization' | 'Practitioner'>`, looked up in one mapped type rather than written
 * with type arguments at each of some 650 elements. With library checks on, TypeScript 5.9 runs a
 * scanner over every type reference with type arguments in a declaration file; past a few dozen,
 * V8 optimises that scanner, which costs a consumer's type-check about as much CPU as checking the
 * whole package (docs/design/references.md).
 */
const REFERENCE_LOOKUP = 'ReferenceTo';
/** The literal reference forms to a resource of type `T` (see `ReferenceString`). */
const REFERENCE_STRING =
  // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source text for a template literal type
  '`${T}/${string}` | `${string}/${T}/${string}` | `${T}?${string}` | `#${string}` | `urn:${string}`';
const REFERENCE_TARGETS = 'ReferenceTargets';

export interface EmitOptions {
  /** Printed in each file's header, e.g. `@nhs-fhir/fhir-codegen`. */
  generator?: string;
  /**
   * How choice elements (`value[x]`) are typed. `optional` (the default): every variant is an
   * optional property of the interface. `one-of`: the type is an intersection with one union per
   * choice element, so that at most one variant can be present (measured slower to check; see
   * docs/design/choice-types.md).
   */
  choices?: 'optional' | 'one-of';
}

/** The declarations of every file of a package, before printing. */
export interface PackageStatements {
  /** The comment line each file starts with. */
  header: string;
  /** File name -> its statements. */
  files: Map<string, Statement[]>;
}

/**
 * Emits one TypeScript file per FHIR type (resources and complex datatypes; backbone elements live
 * in the file of the type that owns them), `resources.ts` and `index.ts`. Returns file name -> text;
 * the same model always gives the same bytes.
 */
export function emitPackage(model: PackageModel, options: EmitOptions = {}): Map<string, string> {
  const { files, header } = buildPackageStatements(model, options);
  return printFiles(files, header);
}

/** The emit stage without the printing: every file's declarations as data. */
export function buildPackageStatements(model: PackageModel, options: EmitOptions = {}): PackageStatements {
  const context = new EmitContext(model, options.generator ?? '@nhs-fhir/fhir-codegen', options.choices ?? 'optional');
  const files = new Map<string, Statement[]>();
  for (const type of [...model.complexTypes, ...model.resources, ...context.abstractBases()])
    files.set(typeFileName(type.name), context.typeFile(type));
  // After every type file: resources.ts declares ReferenceTargets from the target sets those files used.
  files.set(RESOURCES_FILE, context.resourcesFile());
  files.set('index.ts', context.indexFile());
  return { header: context.header, files };
}

/** Prints each file's statements after the header, in file-name order. */
export function printFiles(files: ReadonlyMap<string, readonly Statement[]>, header: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of [...files.keys()].sort()) out.set(name, printFile(header, files.get(name)!));
  return out;
}

/** A base interface that an interface extends, and the names of the properties it inherits rather than repeats. */
interface BaseOf {
  name: string;
  inherited: ReadonlySet<string>;
}

class EmitContext {
  readonly header: string;
  private readonly complexTypes: Set<string>;
  private readonly resources: Set<string>;
  /** Types an interface can extend: the complex types (Element, BackboneElement, ...) and the abstract resources. */
  private readonly bases: Map<string, TypeModel>;
  /** Backbone type names already taken, for the clash check. */
  private readonly backboneOwners = new Map<string, string>();
  /** Every set of reference targets an element names (`'Organization | Practitioner'`), for `ReferenceTargets`. */
  readonly referenceTargets = new Set<string>();

  constructor(
    private readonly model: PackageModel,
    generator: string,
    readonly choices: 'optional' | 'one-of',
  ) {
    this.header = generatedHeader(model.packageKey, model.fhirVersion, generator);
    this.complexTypes = new Set(model.complexTypes.map((type) => type.name));
    this.resources = new Set(model.resources.map((type) => type.name));
    this.bases = new Map([...model.complexTypes, ...(model.abstractResources ?? [])].map((type) => [type.name, type]));
  }

  /**
   * The base interface for elements derived from the type `baseName`, when that type is emitted and
   * every one of its elements is among `elements` (as in any snapshot): the elements equal to the
   * base's are inherited; the others are declared again. Undefined when there is nothing to extend.
   */
  baseOf(baseName: string | undefined, elements: readonly ElementModel[]): BaseOf | undefined {
    const base = baseName === undefined ? undefined : this.bases.get(baseName);
    if (base === undefined || base.elements.length === 0) return undefined;
    const inherited = new Set<string>();
    for (const baseElement of base.elements) {
      const element = elements.find((candidate) => candidate.name === baseElement.name);
      if (element === undefined) return undefined;
      if (sameElement(element, baseElement)) inherited.add(element.name);
    }
    return { name: base.name, inherited };
  }

  /** The abstract resources that concrete resources extend, directly or through each other. */
  abstractBases(): TypeModel[] {
    const used = new Set<string>();
    const abstract = new Map((this.model.abstractResources ?? []).map((type) => [type.name, type]));
    for (let pending = [...this.model.resources]; pending.length > 0; ) {
      const type = pending.pop()!;
      const base = this.baseOf(type.base, type.elements);
      const baseType = base === undefined ? undefined : abstract.get(base.name);
      if (baseType === undefined || used.has(baseType.name)) continue;
      used.add(baseType.name);
      pending.push(baseType);
    }
    return [...abstract.values()].filter((type) => used.has(type.name));
  }

  typeFile(type: TypeModel): Statement[] {
    const file = new TypeFile(this, type);
    const statements = file.statements();
    return [...file.imports(), ...statements];
  }

  claimBackboneName(name: string, path: string, file: string): void {
    const owner = this.backboneOwners.get(name);
    if (
      this.complexTypes.has(name) ||
      this.resources.has(name) ||
      this.bases.has(name) ||
      (owner !== undefined && owner !== path)
    ) {
      throw new CodegenError(
        'NAME_CLASH',
        { input: this.model.packageKey, file, element: path },
        `backbone type name ${name} is already taken${owner !== undefined ? ` by ${owner}` : ''}`,
      );
    }
    this.backboneOwners.set(name, path);
  }

  isResource(name: string): boolean {
    return this.resources.has(name);
  }

  isComplexType(name: string): boolean {
    return this.complexTypes.has(name);
  }

  resourcesFile(): Statement[] {
    const names = this.model.resources.map((type) => type.name);
    const imports: ImportDeclaration[] = importTypes(
      this.referenceTargets.size === 0 ? names : [...names, REFERENCE_TYPE],
    );
    const anyResource: TypeAliasDeclaration = {
      kind: 'type',
      exported: true,
      name: 'AnyResource',
      docs:
        `Any of the ${names.length} resources of FHIR ${this.model.fhirVersion}; ` +
        '`switch (resource.resourceType)` narrows it.',
      type: unionText(names),
    };
    const resourceType: TypeAliasDeclaration = {
      kind: 'type',
      exported: true,
      name: 'ResourceType',
      docs: 'The name of a resource type, as its `resourceType` holds it.',
      type: unionText(names.map(quote)),
    };
    const resourceTypeMap: InterfaceDeclaration = {
      kind: 'interface',
      exported: true,
      name: 'ResourceTypeMap',
      docs: 'Each resource type name with its interface: `ResourceOfType` looks the name up here.',
      members: names.map((name) => ({ name, type: name })),
    };
    // an indexed access, not Extract<AnyResource, { resourceType: T }>: nothing is distributed over the whole union
    const resourceOfType: TypeAliasDeclaration = {
      kind: 'type',
      exported: true,
      name: 'ResourceOfType',
      docs: "The resource interface of a resource type name: `ResourceOfType<'Patient'>` is `Patient`.",
      typeParameters: [{ name: 'T', constraint: 'ResourceType' }],
      type: 'ResourceTypeMap[T]',
    };
    const list: ConstDeclaration = {
      kind: 'const',
      exported: true,
      docs: 'Every resource type name, in code-point order.',
      name: 'resourceTypes',
      type: 'readonly ResourceType[]',
      value: `[${names.map(quote).join(', ')}]`,
    };
    const set: ConstDeclaration = {
      kind: 'const',
      name: 'resourceTypeSet',
      type: 'ReadonlySet<string>',
      value: 'new Set(resourceTypes)',
    };
    const isResourceType: FunctionDeclaration = {
      kind: 'function',
      exported: true,
      name: 'isResourceType',
      docs: `True when \`value\` names a resource type of FHIR ${this.model.fhirVersion}.`,
      parameters: [{ name: 'value', type: 'unknown' }],
      returnType: 'value is ResourceType',
      body: ["return typeof value === 'string' && resourceTypeSet.has(value);"],
    };
    const isResource: FunctionDeclaration = {
      kind: 'function',
      exported: true,
      name: 'isResource',
      docs:
        'True when `value` is an object whose `resourceType` names a resource type of ' +
        `FHIR ${this.model.fhirVersion}. Checks only \`resourceType\`, not the content.`,
      parameters: [{ name: 'value', type: 'unknown' }],
      returnType: 'value is AnyResource',
      body: [
        "return typeof value === 'object' && value !== null && " +
          'isResourceType((value as { resourceType?: unknown }).resourceType);',
      ],
    };
    return [
      ...imports,
      anyResource,
      resourceType,
      resourceTypeMap,
      resourceOfType,
      ...this.referenceLookup(),
      list,
      set,
      isResourceType,
      isResource,
    ];
  }

  /**
   * `ReferenceTargets` (each target set an element names) and `ReferenceTo`, the `Reference<...>` of each; nothing when
   * no element names targets.
   */
  private referenceLookup(): Statement[] {
    if (this.referenceTargets.size === 0) return [];
    const keys = [...this.referenceTargets].sort(compareNames);
    const targets: InterfaceDeclaration = {
      kind: 'interface',
      exported: true,
      name: REFERENCE_TARGETS,
      docs: 'Each set of reference targets that an element of this package names, as one key.',
      members: keys.map((key) => ({ name: quote(key), type: unionText(key.split(' | ').map(quote)) })),
    };
    const lookup: TypeAliasDeclaration = {
      kind: 'type',
      exported: true,
      name: REFERENCE_LOOKUP,
      docs:
        `The reference to each set of targets: \`${REFERENCE_LOOKUP}['Organization | Practitioner']\` is ` +
        "`Reference<'Organization' | 'Practitioner'>`.",
      // `infer T extends ResourceType` rather than `Reference<ReferenceTargets[K]>`: the latter makes the checker prove
      // the generic `ReferenceTargets[K]` meets Reference's constraint, which it does by relating it to each of the 146
      // members of `ResourceType` in turn, rebuilding the union of every target set each time (about 2.5% of the bench
      // consumer's check).
      type:
        `{ [K in keyof ${REFERENCE_TARGETS}]: ${REFERENCE_TARGETS}[K] extends infer T extends ResourceType ` +
        `? ${REFERENCE_TYPE}<T> : never }`,
    };
    return [targets, lookup];
  }

  indexFile(): Statement[] {
    const modules = [...this.model.complexTypes, ...this.model.resources, ...this.abstractBases()]
      .map((type) => type.name)
      .sort(compareNames);
    return [
      ...modules.map((name) => ({ kind: 'export' as const, from: `./${name}.js` })),
      { kind: 'export', from: './resources.js' },
      {
        kind: 'const',
        exported: true,
        docs: 'The FHIR version these types were generated from.',
        name: 'fhirVersion',
        value: quote(this.model.fhirVersion),
      },
    ];
  }
}

/** The statements of one type's file; collects the names it must import. */
class TypeFile {
  private readonly imported = new Set<string>();
  private readonly backbones: Statement[] = [];
  /** Choice variant properties (and their `_` extensions), by the path of their choice element. */
  private readonly choiceOf = new WeakMap<PropertyMember, string>();
  /** Paths of this type whose interfaces take the resource type parameter. */
  private readonly genericPaths = new Map<string, { parameter: string; constraint: string }>();

  constructor(
    private readonly context: EmitContext,
    private readonly type: TypeModel,
  ) {
    for (const [slot, parameter] of RESOURCE_SLOTS) {
      if (!slot.startsWith(`${type.name}.`)) continue;
      const parts = slot.split('.');
      for (let length = 1; length < parts.length; length++)
        this.genericPaths.set(parts.slice(0, length).join('.'), parameter);
    }
  }

  statements(): Statement[] {
    const type = this.type;
    const concreteResource = type.kind === 'resource' && !type.abstract;
    const base = this.context.baseOf(type.base, type.elements);
    const properties: PropertyMember[] = [];
    if (concreteResource)
      properties.push({
        name: 'resourceType',
        type: quote(type.name),
        docs: `The type of this resource: always \`${type.name}\`.`,
      });
    properties.push(...this.properties(type.elements, base?.inherited));
    const main: InterfaceDeclaration = {
      kind: 'interface',
      exported: true,
      name: type.name,
      // The StructureDefinition in the doc comment, where editors and the API reference show it.
      docs: docsOf(
        type.short,
        `StructureDefinition: ${type.url}${type.version !== undefined ? `|${type.version}` : ''} (${type.packageKey})`,
      ),
      typeParameters: this.typeParameters(type.name),
      extends: base === undefined ? [] : [this.use(base.name)],
      members: properties,
    };
    if (type.name === REFERENCE_TYPE) this.makeReferenceGeneric(main);
    const statements: Statement[] = [...this.declare(main), ...this.backbones];
    if (concreteResource) {
      statements.push({
        kind: 'function',
        exported: true,
        name: guardName(type.name),
        docs:
          `True when \`value\` is an object with \`resourceType\` \`${type.name}\`. ` +
          'Checks only `resourceType`, not the content.',
        parameters: [{ name: 'value', type: 'unknown' }],
        returnType: `value is ${type.name}`,
        body: [
          "return typeof value === 'object' && value !== null && " +
            `(value as { resourceType?: unknown }).resourceType === ${quote(type.name)};`,
        ],
      });
    }
    return statements;
  }

  imports(): ImportDeclaration[] {
    this.imported.delete(this.type.name);
    return importTypes([...this.imported]);
  }

  private typeParameters(path: string): InterfaceDeclaration['typeParameters'] {
    const generic = this.genericPaths.get(path);
    if (generic === undefined) return [];
    this.imported.add(generic.constraint);
    return [{ name: generic.parameter, constraint: generic.constraint, default: generic.constraint }];
  }

  /**
   * `Reference<T>`: the `reference` string and (R4) `type` carry the target resource type. The
   * `reference` forms are written out rather than as `ReferenceString<T>`, which is exported for
   * users: through the alias, a consumer's check of the R4 package with library checks on took 1.4%
   * more instructions (docs/design/references.md).
   */
  private makeReferenceGeneric(main: InterfaceDeclaration): void {
    this.imported.add('ResourceType');
    main.typeParameters = [{ name: 'T', constraint: 'ResourceType', default: 'ResourceType' }];
    for (const property of main.members as PropertyMember[]) {
      if (property.name === 'reference') property.type = REFERENCE_STRING;
      if (property.name === 'type') property.type = 'T';
    }
    this.backbones.unshift({
      kind: 'type',
      exported: true,
      name: 'ReferenceString',
      docs:
        'A literal reference to a resource of type `T`: relative (`Patient/1`), absolute ' +
        '(`https://example.org/fhir/Patient/1`), conditional (`Patient?identifier=...`), contained (`#p1`) ' +
        'or a URN (`urn:uuid:...`).',
      typeParameters: [{ name: 'T', constraint: 'ResourceType', default: 'ResourceType' }],
      type: REFERENCE_STRING,
    } satisfies TypeAliasDeclaration);
  }

  /**
   * The interface as is, or in `one-of` mode when it has choice elements: an interface of the other
   * fields (`<Name>Fields`) and `type <Name> = <Name>Fields & (one variant | another) & ...`.
   */
  private declare(declaration: InterfaceDeclaration): Statement[] {
    const properties = declaration.members as PropertyMember[];
    const groups = new Map<string, PropertyMember[]>();
    for (const property of properties) {
      const path = this.choiceOf.get(property);
      if (path !== undefined) groups.set(path, [...(groups.get(path) ?? []), property]);
    }
    if (this.context.choices === 'optional' || groups.size === 0) return [declaration];
    // TypeScript multiplies the unions out: ElementDefinition's five 50-way choices cannot be represented
    const combinations = [...groups.values()].reduce(
      (product, variants) => product * variants.filter((variant) => !variant.name.startsWith('_')).length,
      1,
    );
    if (combinations > MAX_ONE_OF_COMBINATIONS) return [declaration];
    const fieldsName = `${declaration.name}Fields`;
    this.context.claimBackboneName(fieldsName, `${declaration.name} (fields)`, this.type.file);
    const parameters = declaration.typeParameters ?? [];
    const parameterList = parameters.length > 0 ? `<${parameters.map((parameter) => parameter.name).join(', ')}>` : '';
    const members = [...groups.values()].map((variants) => {
      const names = variants.map((variant) => variant.name);
      const options = variants
        .filter((variant) => !variant.name.startsWith('_'))
        .map((variant) => {
          const own = new Set([variant.name, `_${variant.name}`]);
          const fields = variants.map((other) =>
            own.has(other.name) ? `${other.name}?: ${String(other.type)}` : `${other.name}?: never`,
          );
          return `{ ${fields.join('; ')} }`;
        });
      return names.length > 0 ? `(${options.join(' | ')})` : 'unknown';
    });
    const fields: InterfaceDeclaration = {
      ...declaration,
      name: fieldsName,
      leadingComment: undefined,
      docs: `The fields of \`${declaration.name}\` other than its choice elements.`,
      members: properties.filter((property) => !this.choiceOf.has(property)),
    };
    const alias: TypeAliasDeclaration = {
      kind: 'type',
      exported: true,
      name: declaration.name,
      leadingComment: declaration.leadingComment,
      docs: declaration.docs,
      typeParameters: parameters,
      type: [`${fieldsName}${parameterList}`, ...members].join(' & '),
    };
    return [alias, fields];
  }

  /** The properties of `elements`, without those `inherited` from the base interface. */
  private properties(elements: ElementModel[], inherited: ReadonlySet<string> = new Set()): PropertyMember[] {
    const properties: PropertyMember[] = [];
    for (const element of elements) {
      if (inherited.has(element.name)) continue;
      const array = element.max === '*' || element.max > 1;
      if (element.choice) {
        for (const type of element.types) {
          const name = choiceVariantName(element, type);
          const variant: PropertyMember = {
            name,
            optional: true,
            type: this.typeText(element, type),
            docs: docsOf(element.short, bindingDoc(element, type)),
          };
          properties.push(variant);
          this.choiceOf.set(variant, element.path);
          if (type.kind === 'primitive' && element.primitiveExtension) {
            const extension = this.primitiveExtension(name, false);
            properties.push(extension);
            this.choiceOf.set(extension, element.path);
          }
        }
        continue;
      }
      const single =
        element.contentReference !== undefined
          ? this.backboneReference(element.contentReference, element.path)
          : this.typeText(element, element.types[0]!);
      properties.push({
        name: element.name,
        optional: element.min === 0,
        type: array ? arrayOf(single) : single,
        docs: docsOf(element.short, element.types[0] !== undefined ? bindingDoc(element, element.types[0]) : undefined),
      });
      if (element.primitiveExtension) properties.push(this.primitiveExtension(element.name, array));
    }
    return properties;
  }

  private primitiveExtension(name: string, array: boolean): PropertyMember {
    this.imported.add('Element');
    return {
      name: `_${name}`,
      optional: true,
      type: array ? '(Element | null)[]' : 'Element',
      docs: `Extensions and id of \`${name}\`.`,
    };
  }

  private typeText(element: ElementModel, type: ElementType): string {
    switch (type.kind) {
      case 'primitive': {
        const codes =
          type.code === 'code' && element.binding?.strength === 'required' ? element.binding.codes : undefined;
        return codes !== undefined ? unionText(codes.map(quote)) : (type.json ?? 'string');
      }
      case 'backbone':
        return this.backbone(element);
      case 'resource': {
        const slot = RESOURCE_SLOTS.get(element.path);
        if (slot !== undefined) return slot.parameter;
        if (this.context.isResource(type.code)) return this.use(type.code);
        return this.use('AnyResource');
      }
      case 'complex': {
        if (!this.context.isComplexType(type.code)) {
          throw new CodegenError(
            'TYPE_UNKNOWN',
            { input: this.type.packageKey, file: this.type.file, element: element.path },
            `type ${type.code} is not a datatype of ${this.type.packageKey}`,
          );
        }
        if (type.code === REFERENCE_TYPE && type.targets !== undefined && type.targets.length > 0) {
          for (const target of type.targets) {
            if (!this.context.isResource(target)) {
              throw new CodegenError(
                'REF_UNRESOLVED',
                { input: this.type.packageKey, file: this.type.file, element: element.path },
                `reference target ${target} is not a resource of ${this.type.packageKey}`,
              );
            }
          }
          const key = [...type.targets].sort().join(' | ');
          this.context.referenceTargets.add(key);
          return `${this.use(REFERENCE_LOOKUP)}[${quote(key)}]`;
        }
        return this.use(type.code);
      }
    }
  }

  /** Declares the interface of a backbone element (once) and returns how to refer to it. */
  private backbone(element: ElementModel): string {
    const name = backboneTypeName(element.path);
    this.context.claimBackboneName(name, element.path, this.type.file);
    // keep the parent before the backbones nested in it
    const position = this.backbones.length;
    const children = element.children ?? [];
    const base = this.context.baseOf(element.types[0]?.code, children);
    const properties = this.properties(children, base?.inherited);
    this.backbones.splice(
      position,
      0,
      ...this.declare({
        kind: 'interface',
        exported: true,
        name,
        docs: docsOf(element.short),
        typeParameters: this.typeParameters(element.path),
        extends: base === undefined ? [] : [this.use(base.name)],
        members: properties,
      }),
    );
    return this.backboneReference(element.path, element.path);
  }

  private backboneReference(path: string, from: string): string {
    if (!path.startsWith(`${this.type.name}.`)) {
      throw new CodegenError(
        'REF_UNRESOLVED',
        { input: this.type.packageKey, file: this.type.file, element: from },
        `content reference ${path} is outside ${this.type.name}`,
      );
    }
    const generic = this.genericPaths.get(path);
    return `${backboneTypeName(path)}${generic !== undefined ? `<${generic.parameter}>` : ''}`;
  }

  private use(name: string): string {
    this.imported.add(name);
    return name;
  }
}

/** Two elements with the same content, wherever they are (paths ignored). */
function sameElement(a: ElementModel, b: ElementModel): boolean {
  return contentKey(a) === contentKey(b);
}

/** Each element's stableJson, once: base elements are compared with every type and backbone that extends them. */
const contentKeys = new WeakMap<ElementModel, string>();

function contentKey(element: ElementModel): string {
  let key = contentKeys.get(element);
  if (key === undefined) {
    key = stableJson(element);
    contentKeys.set(element, key);
  }
  return key;
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (key, item: unknown) => {
    if (key === 'path') return undefined;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
    return Object.fromEntries(Object.entries(item).sort(([x], [y]) => compareNames(x, y)));
  });
}

/**
 * One type-only import of every name a file uses, from the package's index: a consumer's type-check
 * then resolves one module specifier per file instead of one per name (about 1,600 in R4), which
 * measurably shortens it. The cycle through the index is harmless: the imports are erased.
 */
function importTypes(names: readonly string[]): ImportDeclaration[] {
  if (names.length === 0) return [];
  return [
    {
      kind: 'import',
      typeOnly: true,
      names: [...names].sort(compareNames),
      from: './index.js',
    },
  ];
}

const quote = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

const unionText = (members: string[]): string => (members.length === 0 ? 'never' : members.join(' | '));

/** `T[]`, with parentheses when `T` is a union at its top level. */
function arrayOf(type: string): string {
  let depth = 0;
  for (let i = 0; i < type.length; i++) {
    const char = type[i];
    if (char === "'") {
      // skip a quoted literal: codes such as '<=' are not brackets
      for (i++; i < type.length && type[i] !== "'"; i++) if (type[i] === '\\') i++;
    } else if (char === '<' || char === '(') depth++;
    else if (char === '>' || char === ')') depth--;
    else if (char === '|' && depth === 0) return `(${type})[]`;
  }
  return `${type}[]`;
}

/** TSDoc text: one line per paragraph, no comment terminators; undefined when there is none. */
function docsOf(...lines: (string | undefined)[]): string | undefined {
  const text = lines
    .filter((line): line is string => line !== undefined && line.trim() !== '')
    .map((line) => line.replace(/\s+/g, ' ').trim().replace(/\*\//g, '*\\/'))
    .join('\n\n');
  return text === '' ? undefined : text;
}

function bindingDoc(element: ElementModel, type: ElementType): string | undefined {
  const binding = element.binding;
  if (binding === undefined || binding.valueSet === undefined) return undefined;
  if (
    type.code !== 'code' &&
    type.code !== 'Coding' &&
    type.code !== 'CodeableConcept' &&
    type.code !== 'string' &&
    type.code !== 'uri' &&
    type.code !== 'Quantity'
  )
    return undefined;
  return `Binding: ${binding.strength} to ${binding.valueSet}`;
}
