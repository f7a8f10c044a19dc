import { CodegenError } from '../../fhir/index.js';
import type { ProfileElement, ProfileModel, SliceMatchValue } from '../../model/profile-model.js';
import { emitValidationTablesModule } from '../tables/print-tables.js';
import {
  generatedHeader,
  type ImportDeclaration,
  type InterfaceDeclaration,
  printFile,
  type PropertyMember,
  type Statement,
} from '../printer.js';
import { PROFILE_HELPERS_SOURCE, PROFILE_SUPPORT_SOURCE, validateSource } from './runtime-bindings.js';

export interface ProfileEmitOptions {
  /** The base model package the profile types derive from: `@nhs-fhir/r4` or `@nhs-fhir/stu3`. */
  basePackage: string;
  /** The packages (`id#version`) whose profiles this package exports, for the header. */
  sources: string[];
  fhirVersion: string;
  /** Extension definitions the profiles use but other packages define: emitted as supporting types. */
  support?: ProfileModel[];
  /** Profiles left out, each with the reason: printed by the CLI and listed in `skippedProfiles`. */
  skipped?: { url: string; reason: string }[];
  /**
   * Emit `validate` when the validation tables text is given: the package's own layer (validation-tables.ts), over
   * the base package's tables (`<basePackage>/validation-tables`).
   */
  validationTables?: string;
}

/** What a profile contributes to the helpers' registry. */
interface RegistryEntry {
  model: ProfileModel;
  extensions: { name: string; url: string; type: string }[];
  slices: { element: string; name: string; type: string; match: SliceMatchValue[] }[];
}

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
const quote = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
const identifierPart = (text: string): string =>
  text
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== '')
    .map(capitalise)
    .join('');
const propertyKey = (name: string): string => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : quote(name));
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Emits one file per profile (interface, sub-interfaces, url, guard), the helpers and an index. */
export function emitProfiles(models: readonly ProfileModel[], options: ProfileEmitOptions): Map<string, string> {
  return printProfileFiles(buildProfileStatements(models, options));
}

/** The profile files before printing: each file's statements, or its text when it is not built from statements. */
export interface ProfileStatements {
  header: string;
  files: Map<string, readonly Statement[] | string>;
}

/** Prints the files that are statements (after the header); the others are already text. */
export function printProfileFiles({ header, files }: ProfileStatements): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, content] of files)
    out.set(name, typeof content === 'string' ? content : printFile(header, content));
  return out;
}

/** The emit stage of a profile package without the printing. */
export function buildProfileStatements(
  models: readonly ProfileModel[],
  options: ProfileEmitOptions,
): ProfileStatements {
  const header = generatedHeader(options.sources.join(' + '), options.fhirVersion);
  const all = [...models, ...(options.support ?? [])];
  const byUrl = new Map<string, ProfileModel>();
  const names = new Map<string, ProfileModel>();
  for (const model of all) {
    byUrl.set(model.url, model);
    const clash = names.get(model.name);
    if (clash !== undefined && clash.url !== model.url)
      throw new CodegenError(
        'NAME_CLASH',
        { input: model.packageKey, file: model.file },
        `profile type ${model.name} (${model.url}) is also the name of ${clash.url}`,
      );
    names.set(model.name, model);
  }
  const files = new Map<string, readonly Statement[] | string>();
  const registry: RegistryEntry[] = [];
  for (const model of [...all].sort((a, b) => compareText(a.name, b.name))) {
    const emitter = new ProfileFileEmitter(model, options, byUrl);
    files.set(`${model.name}.ts`, emitter.statements());
    if (model.kind === 'resource') registry.push(emitter.registry);
  }
  files.set('profile-support.ts', `${header}\n${PROFILE_SUPPORT_SOURCE}`);
  files.set('registry.ts', emitRegistry(registry, options, new Set(names.keys())));
  files.set('profile-helpers.ts', `${header}\n${PROFILE_HELPERS_SOURCE}`);
  if (options.validationTables !== undefined) {
    const what = `The validator tables of this package's profiles (the base types' are in ${options.basePackage})`;
    files.set('validation-tables.ts', emitValidationTablesModule(header, options.validationTables, what));
    files.set('validate.ts', `${header}\n${validateSource(options.basePackage)}`);
  }
  const skipped = [...(options.skipped ?? [])].sort((a, b) => compareText(a.url, b.url));
  const typeName = (name: string) => ({ name, typeOnly: true });
  files.set('index.ts', [
    ...[...all]
      .sort((a, b) => compareText(a.name, b.name))
      .map((model): Statement => ({ kind: 'export', from: `./${model.name}.js` })),
    {
      kind: 'export',
      names: ['hasProfile', typeName('Item'), typeName('RuntimeProfile'), typeName('SliceMatchValue')],
      from: './profile-support.js',
    },
    { kind: 'export', from: './profile-helpers.js' },
    {
      kind: 'export',
      names: ['profileUrls', 'profileTypeNames', typeName('ProfileRegistry'), typeName('ProfileUrl')],
      from: './registry.js',
    },
    ...(options.validationTables !== undefined
      ? [{ kind: 'export', names: ['validate', typeName('ValidateProfileOptions')], from: './validate.js' } as const]
      : []),
    {
      kind: 'const',
      exported: true,
      docs: 'Profiles of the source packages that have no type here, each with the reason.',
      name: 'skippedProfiles',
      type: 'readonly { url: string; reason: string }[]',
      value: `[${skipped.map((entry) => `\n  { url: ${quote(entry.url)}, reason: ${quote(entry.reason)} },`).join('')}${
        skipped.length > 0 ? '\n' : ''
      }]`,
    },
  ]);
  return { header, files };
}

function emitRegistry(
  entries: RegistryEntry[],
  options: ProfileEmitOptions,
  fileTypes: ReadonlySet<string>,
): Statement[] {
  const imports = new Map<string, Set<string>>();
  const importType = (name: string, file: string): void => {
    if (!imports.has(file)) imports.set(file, new Set());
    imports.get(file)!.add(name);
  };
  const members: PropertyMember[] = [];
  const runtime: string[] = [];
  for (const entry of entries.sort((a, b) => compareText(a.model.url, b.model.url))) {
    importType(entry.model.name, entry.model.name);
    // a type is either a profile's own (its file) or declared in this profile's file
    const use = (type: string): void => {
      for (const name of type.match(/\b[A-Z][A-Za-z0-9]*\b/g) ?? [])
        importType(name, fileTypes.has(name) ? name : entry.model.name);
    };
    const extensions = entry.extensions.map((extension) => {
      use(extension.type);
      return `${propertyKey(extension.name)}: ${extension.type}`;
    });
    const byElement = new Map<string, string[]>();
    for (const slice of entry.slices) {
      use(slice.type);
      byElement.set(slice.element, [
        ...(byElement.get(slice.element) ?? []),
        `${propertyKey(slice.name)}: ${slice.type}`,
      ]);
    }
    const slices = [...byElement].map(([element, list]) => `${propertyKey(element)}: { ${list.join('; ')} }`);
    members.push({
      name: quote(entry.model.url),
      type: `{ type: ${entry.model.name}; extensions: { ${extensions.join('; ')} }; slices: { ${slices.join('; ')} } }`,
    });
    const runtimeExtensions = entry.extensions
      .map((extension) => `${propertyKey(extension.name)}: ${quote(extension.url)}`)
      .join(', ');
    const runtimeSlices = [...new Set(entry.slices.map((slice) => slice.element))]
      .map(
        (element) =>
          `${propertyKey(element)}: { ${entry.slices
            .filter((slice) => slice.element === element)
            .map((slice) => `${propertyKey(slice.name)}: ${JSON.stringify(slice.match)}`)
            .join(', ')} }`,
      )
      .join(', ');
    runtime.push(
      `  ${quote(entry.model.url)}: { type: ${quote(entry.model.type)}, ` +
        `extensions: { ${runtimeExtensions} }, slices: { ${runtimeSlices} } },`,
    );
  }
  const importStatements = [...imports]
    .sort(([a], [b]) => compareText(a, b))
    .map(
      ([file, list]): ImportDeclaration => ({
        kind: 'import',
        typeOnly: true,
        names: [...list].sort(compareText),
        from: `./${file}.js`,
      }),
    );
  return [
    { kind: 'import', typeOnly: true, names: ['RuntimeProfile'], from: './profile-support.js' },
    ...importStatements,
    {
      kind: 'interface',
      exported: true,
      docs:
        `Each resource profile of ${options.sources.join(' + ')} by url: its type, its extension slices and its ` +
        'typed slices, by name.',
      name: 'ProfileRegistry',
      members,
    },
    { kind: 'type', exported: true, name: 'ProfileUrl', type: 'keyof ProfileRegistry' },
    {
      kind: 'const',
      exported: true,
      docs: 'What the helpers need at run time: extension urls and slice discriminator values, by name.',
      name: 'profileRegistry',
      type: 'Readonly<Record<string, RuntimeProfile>>',
      value: `{\n${runtime.join('\n')}${runtime.length > 0 ? '\n' : ''}}`,
    },
    {
      kind: 'const',
      exported: true,
      docs: 'The type name of each resource profile, by url (what `example` checks and tools look up).',
      name: 'profileTypeNames',
      type: 'Readonly<Record<ProfileUrl, string>>',
      value: `{${entries.map((entry) => `\n  ${quote(entry.model.url)}: ${quote(entry.model.name)},`).join('')}\n}`,
    },
    {
      kind: 'const',
      exported: true,
      docs: 'The url of every resource profile with a type here.',
      name: 'profileUrls',
      type: 'readonly ProfileUrl[]',
      value: `[${entries.map((entry) => quote(entry.model.url)).join(', ')}]`,
    },
  ];
}

class ProfileFileEmitter {
  private readonly declarations: InterfaceDeclaration[] = [];
  private readonly baseImports = new Set<string>();
  private readonly localImports = new Set<string>();
  private readonly usedNames = new Set<string>();
  readonly registry: RegistryEntry;

  constructor(
    private readonly model: ProfileModel,
    private readonly options: ProfileEmitOptions,
    private readonly byUrl: ReadonlyMap<string, ProfileModel>,
  ) {
    this.registry = { model, extensions: [], slices: [] };
  }

  /** The file's statements: imports, the profile's interface and those it needs, its url and guard. */
  statements(): Statement[] {
    const { model } = this;
    this.baseImports.add(model.type);
    const extra: PropertyMember[] = [];
    const omit: string[] = [];
    const constrainsMeta = model.elements.some((element) => element.name === 'meta' && this.changed(element));
    if (model.kind === 'resource' && !constrainsMeta) {
      omit.push('meta');
      this.localImports.add('Item');
      extra.push({
        docs: 'Metadata: `profile` names this profile (first; more may follow).',
        name: 'meta',
        type: `Omit<Item<${model.type}['meta']>, 'profile'> & { profile: [${quote(model.url)}, ...string[]] }`,
      });
    }
    const root = this.interfaceOf(model.name, model.type, model.elements, omit, extra, model.kind === 'resource');
    root.docs = `${model.short ?? model.sdName}\n\nProfile \`${model.sdName}\` of ${model.type}: ${model.url}`;
    const version = model.version !== undefined ? `|${model.version}` : '';
    root.leadingComment = `// ${model.url}${version} from ${model.packageKey}`;
    const declarations: Statement[] = [root, ...this.declarations];
    declarations.push({
      kind: 'const',
      exported: true,
      docs: `The canonical url of ${model.sdName}.`,
      name: `${model.name}Url`,
      value: quote(model.url),
    });
    if (model.kind === 'resource') {
      this.localImports.add('hasProfile');
      declarations.push({
        kind: 'function',
        exported: true,
        docs:
          `True when \`value\` is a ${model.type} whose \`meta.profile\` names ${model.sdName} ` +
          '(its content is not checked: see `validate`).',
        name: `is${model.name}`,
        parameters: [{ name: 'value', type: 'unknown' }],
        returnType: `value is ${model.name}`,
        body: [`return hasProfile(value, ${quote(model.type)}, ${quote(model.url)});`],
      });
    }
    const imports: ImportDeclaration[] = [
      {
        kind: 'import',
        typeOnly: true,
        names: [...this.baseImports].sort(compareText),
        from: this.options.basePackage,
      },
    ];
    const support = [...this.localImports].filter((name) => name === 'Item' || name === 'hasProfile');
    const typeOnly = support.filter((name) => name === 'Item');
    if (support.includes('hasProfile'))
      imports.push({
        kind: 'import',
        names: ['hasProfile', ...typeOnly.map((name) => ({ name, typeOnly: true }))],
        from: './profile-support.js',
      });
    else if (typeOnly.length > 0)
      imports.push({ kind: 'import', typeOnly: true, names: ['Item'], from: './profile-support.js' });
    for (const name of [...this.localImports]
      .filter((name) => name !== 'Item' && name !== 'hasProfile' && name !== model.name)
      .sort(compareText))
      imports.push({ kind: 'import', typeOnly: true, names: [name], from: `./${name}.js` });
    return [...imports, ...declarations];
  }

  /** An interface derived from `owner` (a base type expression) with the changed elements overridden. */
  private interfaceOf(
    name: string,
    owner: string,
    elements: readonly ProfileElement[],
    omit: string[],
    extra: PropertyMember[],
    resourceRoot = false,
  ): InterfaceDeclaration {
    const properties: PropertyMember[] = [...extra];
    const declaration = (base: string | undefined): InterfaceDeclaration => ({
      kind: 'interface',
      exported: true,
      name,
      extends: base === undefined ? [] : [base],
      members: properties,
      compactWhenEmpty: true,
    });
    for (const element of elements) {
      const override = this.propertyOverride(element, owner, name);
      if (override === undefined) continue;
      omit.push(...override.omit);
      properties.push(...override.properties);
    }
    const keys = [...new Set(omit)];
    let base = keys.length === 0 ? owner : `Omit<${owner}, ${keys.map(quote).join(' | ')}>`;
    // a narrowed choice omits dozens of variants (Extension.value[x]): picking the few kept elements says the same,
    // shorter
    const kept = elements.filter((element) => !keys.includes(element.name) && !element.choice);
    if (
      !resourceRoot &&
      keys.length > 20 &&
      elements.length > 0 &&
      kept.length + keys.length > elements.length &&
      !elements.some(
        (element) => element.choice && !keys.includes(`${element.name}${capitalise(element.types[0]?.code ?? '')}`),
      )
    ) {
      // ids of elements and Extension.url are XML attributes: no `_` sibling
      const picked = kept.flatMap((element) =>
        element.primitive && element.name !== 'url' && element.name !== 'id'
          ? [element.name, `_${element.name}`]
          : [element.name],
      );
      if (picked.length === 0) return declaration(undefined);
      base = `Pick<${owner}, ${picked.map(quote).join(' | ')}>`;
    }
    return declaration(base);
  }

  /** Does the profile say anything about this element that its base type does not? */
  changed(element: ProfileElement): boolean {
    if (element.max === 0 && element.baseMax !== 0) return true;
    if (element.min > 0 && element.baseMin === 0) return true;
    if (element.max === 1 && element.baseMax !== 1) return true;
    if (
      element.fixed !== undefined ||
      (element.pattern !== undefined && ![undefined, '{}'].includes(literalOf(element.pattern, true)))
    )
      return true;
    if (element.binding?.codes !== undefined) return true;
    if ((element.choice || element.renamedChoice !== undefined) && element.types.length < element.baseTypes.length)
      return true;
    if (this.narrowedTargets(element) !== undefined) return true;
    if (element.slices !== undefined && element.slices.length > 0 && !element.choice) return true;
    // a primitive's children describe its `_name` element (ids and extensions): not typed here
    return !element.primitive && (element.children ?? []).some((child) => this.changed(child));
  }

  private narrowedTargets(element: ProfileElement): string[] | undefined {
    if (element.types.length !== 1 || element.types[0]!.code !== 'Reference') return undefined;
    const targets = element.types[0]!.targets;
    if (targets === undefined || targets.length === 0) return undefined;
    if (
      element.baseTargets !== undefined &&
      element.baseTargets.length > 0 &&
      (element.baseTargets.length <= targets.length ||
        !targets.every((target) => element.baseTargets!.includes(target)))
    )
      return undefined;
    return targets;
  }

  private propertyOverride(
    element: ProfileElement,
    owner: string,
    parentName: string,
  ): { omit: string[]; properties: PropertyMember[] } | undefined {
    if (!this.changed(element)) return undefined;
    const docs = docOf(element);
    if (element.choice) {
      const variants = (codes: readonly string[]): string[] =>
        codes.map((code) => `${element.name}${capitalise(code)}`);
      const allowed = element.types.map((type) => type.code);
      const omit = variants(element.baseTypes).flatMap((variant) => [variant, `_${variant}`]);
      if (element.max === 0) return { omit, properties: [] };
      const properties = allowed.flatMap((code) => {
        const variant = `${element.name}${capitalise(code)}`;
        const required = element.min > 0 && allowed.length === 1 ? '' : '?';
        const variantBase = `NonNullable<${owner}[${quote(variant)}]>`;
        const type =
          allowed.length === 1
            ? this.plainItemType(element, variantBase, `${parentName}${identifierPart(variant)}`)
            : variantBase;
        const members: PropertyMember[] = [{ docs, name: variant, optional: required === '?', type }];
        if (/^[a-z]/.test(code))
          members.push({ name: `_${variant}`, optional: true, type: `${owner}[${quote(`_${variant}`)}]` });
        return members;
      });
      return { omit, properties };
    }
    const key = propertyKey(element.name);
    // ids of elements (not of resources) and Extension.url are XML attributes: no `_` sibling
    const attribute =
      (element.name === 'id' && !(parentName === this.model.name && this.model.kind === 'resource')) ||
      (element.name === 'url' && element.id.endsWith('Extension.url'));
    const underscore = element.primitive && !attribute ? [`_${element.name}`] : [];
    if (element.max === 0)
      return {
        omit: [element.name, ...underscore],
        properties: [
          { docs, name: key, optional: true, type: 'never' },
          ...underscore.map((name) => ({ name, optional: true, type: 'never' })),
        ],
      };
    this.localImports.add('Item');
    const itemBase = `Item<${owner}[${quote(element.name)}]>`;
    const item = this.itemType(element, itemBase, `${parentName}${identifierPart(element.name)}`);
    const repeating = element.baseMax === '*' || (typeof element.baseMax === 'number' && element.baseMax > 1);
    const required = element.min > 0;
    let type: string;
    if (!repeating) type = item;
    else if (element.max === 1) type = required ? `[${item}]` : `[] | [${item}]`;
    else type = `${wrap(item)}[]`;
    // an STU3 choice renamed to one variant: the other variants are gone
    const otherVariants =
      element.renamedChoice === undefined
        ? []
        : element.baseTypes
            .map((code) => `${element.renamedChoice}${capitalise(code)}`)
            .filter((variant) => variant !== element.name)
            .flatMap((variant) => [variant, `_${variant}`]);
    return { omit: [element.name, ...otherVariants], properties: [{ docs, name: key, optional: !required, type }] };
  }

  /** The type of one item of an element: sliced, restructured, fixed, bound, or as in the base. */
  private itemType(element: ProfileElement, itemBase: string, typeName: string): string {
    if (element.slices !== undefined && element.slices.length > 0) {
      const members: string[] = [];
      for (const slice of element.slices) {
        const sliceType = this.sliceType(
          element,
          slice.name,
          slice.element,
          slice.extensionUrl,
          itemBase,
          `${typeName}${identifierPart(slice.name)}`,
        );
        members.push(sliceType);
        const topLevel = typeName === `${this.model.name}${identifierPart(element.name)}`;
        if (topLevel && this.model.kind === 'resource') {
          if (
            slice.extensionUrl !== undefined &&
            !sliceType.includes('<') &&
            (element.name === 'extension' || element.name === 'modifierExtension')
          )
            this.registry.extensions.push({ name: slice.name, url: slice.extensionUrl, type: sliceType });
          else if (
            slice.match !== undefined &&
            !sliceType.includes('<') &&
            element.name !== 'extension' &&
            element.name !== 'modifierExtension'
          )
            this.registry.slices.push({ element: element.name, name: slice.name, type: sliceType, match: slice.match });
        }
      }
      const entry = this.plainItemType(element, itemBase, typeName);
      const open = element.slicing?.rules !== 'closed';
      return [...new Set(open ? [...members, entry] : members)].join(' | ');
    }
    return this.plainItemType(element, itemBase, typeName);
  }

  private sliceType(
    sliced: ProfileElement,
    sliceName: string,
    slice: ProfileElement,
    extensionUrl: string | undefined,
    itemBase: string,
    typeName: string,
  ): string {
    const profile = slice.types.length === 1 ? slice.types[0]!.profiles?.[0] : undefined;
    const known = profile === undefined ? undefined : this.byUrl.get(profile);
    if (sliced.baseTypes.includes('Resource')) {
      // a resource slot (`contained`): the slice is the resource profile when it has a type here
      if (known === undefined || known.kind !== 'resource') return itemBase;
      this.localImports.add(known.name);
      return known.name;
    }
    if (
      known !== undefined &&
      known.kind !== 'resource' &&
      (slice.children === undefined || slice.children.length === 0)
    ) {
      this.localImports.add(known.name);
      return known.name;
    }
    const name = this.uniqueName(typeName);
    const omit: string[] = [];
    const extra: PropertyMember[] = [];
    if (extensionUrl !== undefined && !(slice.children ?? []).some((child) => child.name === 'url')) {
      omit.push('url');
      extra.push({ name: 'url', type: quote(extensionUrl) });
    }
    const short = slice.short !== undefined ? `: ${oneLine(slice.short)}` : '';
    const docs = `Slice \`${sliceName}\` of ${sliced.id}${short}`;
    const fixed = slice.fixed ?? (slice.pattern !== undefined ? slice.pattern : undefined);
    const literal = fixed === undefined ? undefined : literalOf(fixed, slice.fixed === undefined);
    if (slice.primitive) return literal ?? itemBase;
    this.declarations.push({ ...this.interfaceOf(name, itemBase, slice.children ?? [], omit, extra), docs });
    return literal !== undefined && literal !== '{}' ? `(${name} & ${literal})` : name;
  }

  private plainItemType(element: ProfileElement, itemBase: string, typeName: string): string {
    if (
      !element.primitive &&
      !element.baseTypes.includes('Resource') &&
      element.children?.some((child) => this.changed(child))
    ) {
      const name = this.uniqueName(typeName);
      this.declarations.push({
        ...this.interfaceOf(name, itemBase, element.children, [], []),
        docs: `${element.id}${element.short !== undefined ? `: ${oneLine(element.short)}` : ''}`,
      });
      return name;
    }
    const value = element.fixed ?? element.pattern;
    if (value !== undefined) {
      const literal = literalOf(value, element.fixed === undefined);
      if (literal !== undefined && literal !== '{}') return element.primitive ? literal : `${itemBase} & ${literal}`;
    }
    const codes = element.binding?.codes;
    if (codes !== undefined && codes.length > 0) {
      const union = codes.map(quote).join(' | ');
      return element.binding?.strength === 'required' ? union : `${union} | (string & {})`;
    }
    const targets = this.narrowedTargets(element);
    if (targets !== undefined) {
      this.baseImports.add('Reference');
      return `Reference<${targets.map(quote).join(' | ')}>`;
    }
    return itemBase;
  }

  private uniqueName(name: string): string {
    let candidate = name;
    for (let n = 2; this.usedNames.has(candidate) || candidate === this.model.name; n++) candidate = `${name}${n}`;
    this.usedNames.add(candidate);
    return candidate;
  }
}

/** Parenthesises a union or intersection before `[]`; `|` and `&` inside type arguments or literals do not count. */
function wrap(type: string): string {
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < type.length; i++) {
    const char = type[i]!;
    if (char === '\\') i++;
    else if (char === "'") quoted = !quoted;
    else if (quoted) continue;
    else if (char === '<' || char === '(' || char === '{' || char === '[') depth++;
    else if (char === '>' || char === ')' || char === '}' || char === ']') depth--;
    else if ((char === '|' || char === '&') && depth === 0) return `(${type})`;
  }
  return type;
}
const oneLine = (text: string): string => text.replace(/\s+/g, ' ').replace(/\*\//g, '*\\/').trim();

/** An element's JSDoc: its short description and what the profile says of it, one paragraph each. */
function docOf(element: ProfileElement): string {
  const lines: string[] = [];
  if (element.short !== undefined) lines.push(oneLine(element.short));
  const facts: string[] = [`${element.min}..${element.max}`];
  if (element.binding?.valueSet !== undefined && element.binding.codes !== undefined)
    facts.push(`binding ${element.binding.strength} to ${element.binding.valueSet}`);
  if (element.fixed !== undefined) facts.push('fixed value');
  if (element.pattern !== undefined) facts.push('pattern value');
  if (element.slices !== undefined && element.slices.length > 0)
    facts.push(`slices ${element.slices.map((slice) => slice.name).join(', ')}`);
  lines.push(`Profile: ${facts.join('; ')}`);
  return lines.join('\n\n');
}

/**
 * A literal type for a fixed or pattern value: strings, numbers and booleans exactly; objects by
 * their keys. A pattern's arrays mean "contains", which a type cannot say, so they are left out.
 */
export function literalOf(value: unknown, pattern: boolean): string | undefined {
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    if (pattern) return undefined;
    const items = value.map((item) => literalOf(item, false));
    return items.every((item) => item !== undefined) ? `[${items.join(', ')}]` : undefined;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .map(([key, item]) => [key, literalOf(item, pattern)] as const)
      .filter((entry): entry is readonly [string, string] => entry[1] !== undefined);
    return entries.length === 0
      ? '{}'
      : `{ ${entries.map(([key, item]) => `${propertyKey(key)}: ${item}`).join('; ')} }`;
  }
  return undefined;
}
