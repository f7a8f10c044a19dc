/**
 * The one printer of emitted TypeScript: declarations as plain data in, source text out. Every emitter (base types,
 * profiles, API clients) builds these and prints them here, so the layout rules live in one place: two-space
 * indentation, single-line JSDoc when the text is one line, a blank line before each declaration, imports and
 * re-exports kept together. Plain string building: no compiler is loaded to print.
 */

/** A type parameter: `T extends ResourceType = ResourceType`. */
export interface TypeParameter {
  name: string;
  constraint?: string;
  default?: string;
}

export interface Parameter {
  name: string;
  type: string;
  optional?: boolean;
  /** The default value's source text: `options: Options = {}`. */
  initializer?: string;
}

/** A property of an interface; `name` is printed as given (quote it when it is not an identifier). */
export interface PropertyMember {
  kind?: 'property';
  name: string;
  type: string;
  optional?: boolean;
  readonly?: boolean;
  docs?: string;
}

export interface MethodMember {
  kind: 'method';
  name: string;
  parameters: Parameter[];
  returnType: string;
  docs?: string;
}

export type Member = PropertyMember | MethodMember;

interface DeclarationBase {
  name: string;
  exported?: boolean;
  /** JSDoc text; paragraphs separated by blank lines. */
  docs?: string;
  /** Comment lines printed before the JSDoc (`// <url> from <package>`), without their final line break. */
  leadingComment?: string;
}

export interface InterfaceDeclaration extends DeclarationBase {
  kind: 'interface';
  typeParameters?: TypeParameter[];
  extends?: string[];
  members: Member[];
  /** `{}` rather than `{` and `}` on two lines when there are no members. */
  compactWhenEmpty?: boolean;
}

export interface TypeAliasDeclaration extends DeclarationBase {
  kind: 'type';
  typeParameters?: TypeParameter[];
  type: string;
}

export interface ConstDeclaration extends DeclarationBase {
  kind: 'const';
  type?: string;
  /** The initializer's source text (may span lines). */
  value: string;
}

export interface FunctionDeclaration extends DeclarationBase {
  kind: 'function';
  typeParameters?: TypeParameter[];
  parameters: Parameter[];
  returnType: string;
  /** The body's lines, without indentation (nested blocks indent their own lines). */
  body: string[];
}

/** A named import; `typeOnly` marks one name (`type Item`) inside a value import; `alias` renames it (`a as b`). */
export interface ImportName {
  name: string;
  typeOnly?: boolean;
  alias?: string;
}

export interface ImportDeclaration {
  kind: 'import';
  /** `import type { ... }`. */
  typeOnly?: boolean;
  names: readonly (string | ImportName)[];
  from: string;
}

/** `export * from '<from>'`, or `export { names } from '<from>'` when names are given. */
export interface ExportDeclaration {
  kind: 'export';
  names?: readonly (string | ImportName)[];
  from: string;
}

export type Statement =
  | InterfaceDeclaration
  | TypeAliasDeclaration
  | ConstDeclaration
  | FunctionDeclaration
  | ImportDeclaration
  | ExportDeclaration;

const INDENT = '  ';

/** The statements as one file's text: `header` (a comment line) first, a line break after the last statement. */
export function printFile(header: string, statements: readonly Statement[]): string {
  return `${header}\n${printStatements(statements)}`;
}

/** Statements separated by blank lines, except consecutive imports and re-exports; ends with a line break. */
export function printStatements(statements: readonly Statement[]): string {
  let out = '';
  let previous: Statement | undefined;
  for (const statement of statements) {
    if (previous !== undefined) out += grouped(previous) && grouped(statement) ? '' : '\n';
    out += printStatement(statement);
    previous = statement;
  }
  return out;
}

const grouped = (statement: Statement): boolean => statement.kind === 'import' || statement.kind === 'export';

export function printStatement(statement: Statement): string {
  switch (statement.kind) {
    case 'import':
      return `import ${statement.typeOnly ? 'type ' : ''}{ ${namesText(statement.names)} } from '${statement.from}';\n`;
    case 'export':
      return statement.names === undefined
        ? `export * from '${statement.from}';\n`
        : `export { ${namesText(statement.names)} } from '${statement.from}';\n`;
    case 'interface':
      return `${preamble(statement)}${printInterface(statement)}`;
    case 'type':
      return (
        `${preamble(statement)}${exported(statement)}type ${statement.name}` +
        `${typeParametersText(statement.typeParameters)} = ${statement.type};\n`
      );
    case 'const':
      return (
        `${preamble(statement)}${exported(statement)}const ${statement.name}` +
        `${statement.type === undefined ? '' : `: ${statement.type}`} = ${statement.value};\n`
      );
    case 'function': {
      const body = statement.body.map((line) => (line === '' ? '\n' : `${INDENT}${line}\n`)).join('');
      return (
        `${preamble(statement)}${exported(statement)}function ${statement.name}` +
        `${typeParametersText(statement.typeParameters)}(${parametersText(statement.parameters)}): ` +
        `${statement.returnType} {\n${body}}\n`
      );
    }
  }
}

function printInterface(declaration: InterfaceDeclaration): string {
  const heritage = declaration.extends !== undefined && declaration.extends.length > 0;
  const head =
    `${exported(declaration)}interface ${declaration.name}${typeParametersText(declaration.typeParameters)}` +
    `${heritage ? ` extends ${declaration.extends!.join(', ')}` : ''} {`;
  if (declaration.members.length === 0) return declaration.compactWhenEmpty ? `${head}}\n` : `${head}\n}\n`;
  let out = `${head}\n`;
  for (const member of declaration.members) out += printMember(member);
  return `${out}}\n`;
}

/** The first line of every generated file: what generated it, from which package, and how to regenerate it. */
export function generatedHeader(source: string, fhirVersion: string, generator = '@nhs-fhir/fhir-codegen'): string {
  return `// Generated by ${generator} from ${source} (FHIR ${fhirVersion}). Do not edit: run \`npm run generate\`.`;
}

/** One member of an interface, with its JSDoc, indented one level. */
export function printMember(member: Member): string {
  const docs = member.docs === undefined ? '' : jsDoc(member.docs, INDENT);
  if (member.kind === 'method')
    return `${docs}${INDENT}${member.name}(${parametersText(member.parameters)}): ${member.returnType};\n`;
  const readonly = member.readonly ? 'readonly ' : '';
  return `${docs}${INDENT}${readonly}${member.name}${member.optional ? '?' : ''}: ${member.type};\n`;
}

/**
 * A JSDoc comment: `/** text *\/` when the text is one line, else one ` * ` line per line (` *` for an empty one).
 * Ends with a line break.
 */
export function jsDoc(text: string, indent = ''): string {
  if (!text.includes('\n')) return `${indent}/** ${text} */\n`;
  const lines = text.split('\n').map((line) => (line === '' ? `${indent} *\n` : `${indent} * ${line}\n`));
  return `${indent}/**\n${lines.join('')}${indent} */\n`;
}

function preamble(declaration: DeclarationBase): string {
  const comment = declaration.leadingComment === undefined ? '' : `${declaration.leadingComment}\n`;
  return `${comment}${declaration.docs === undefined ? '' : jsDoc(declaration.docs)}`;
}

const exported = (declaration: DeclarationBase): string => (declaration.exported ? 'export ' : '');

function namesText(names: readonly (string | ImportName)[]): string {
  return names
    .map((name) =>
      typeof name === 'string'
        ? name
        : `${name.typeOnly ? 'type ' : ''}${name.name}${name.alias === undefined ? '' : ` as ${name.alias}`}`,
    )
    .join(', ');
}

function typeParametersText(parameters: readonly TypeParameter[] | undefined): string {
  if (parameters === undefined || parameters.length === 0) return '';
  const list = parameters.map(
    (parameter) =>
      `${parameter.name}${parameter.constraint === undefined ? '' : ` extends ${parameter.constraint}`}` +
      `${parameter.default === undefined ? '' : ` = ${parameter.default}`}`,
  );
  return `<${list.join(', ')}>`;
}

const parametersText = (parameters: readonly Parameter[]): string =>
  parameters
    .map(
      (parameter) =>
        `${parameter.name}${parameter.optional ? '?' : ''}: ${parameter.type}` +
        `${parameter.initializer === undefined ? '' : ` = ${parameter.initializer}`}`,
    )
    .join(', ');
