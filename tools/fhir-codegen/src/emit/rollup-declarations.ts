import { readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { ts } from 'ts-morph';

export type RollupErrorCode = 'ROLLUP_UNSUPPORTED' | 'ROLLUP_NAME_CLASH' | 'ROLLUP_UNDECLARED';

/** A declaration file the rollup cannot take as it is; the message names the file. */
export class RollupError extends Error {
  override readonly name = 'RollupError';

  constructor(
    readonly code: RollupErrorCode,
    file: string,
    detail: string,
  ) {
    super(`rollup-declarations: ${file}: ${detail}`);
  }
}

/**
 * One declaration file made of a package's own declaration files, so a consumer's compiler reads,
 * resolves and checks one file instead of one per FHIR type (measured in docs/design/declarations.md).
 *
 * Starting at `entry` (a `.d.ts` that tsc emitted), follows `export * from './x.js'` depth first in
 * source order and keeps every other statement as tsc printed it, TSDoc included. Imports between the
 * package's own files are dropped: in one file every name they bring in is already declared.
 *
 * Statements are grouped by kind, each group in that source order: type aliases, then interfaces,
 * then everything else (the `is<Type>` guards and constants). Order does not change what a
 * declaration file means; grouped, a consumer's check of the R4 package with library checks on took
 * 1.6% fewer instructions than with each guard beside its interface, and 2.3% more with the guards
 * first (docs/design/declarations.md).
 * Anything the rollup could change the meaning of is an error naming the file: an import from
 * outside the package, a named re-export, a name declared twice, an imported name never declared.
 */
export async function rollupDeclarations(entry: string, header: string): Promise<string> {
  const aliases: string[] = [];
  const interfaces: string[] = [];
  const values: string[] = [];
  const declared = new Map<string, string>();
  const imported: { name: string; file: string }[] = [];
  const visited = new Set<string>();
  const root = dirname(entry);

  const visit = async (file: string): Promise<void> => {
    if (visited.has(file)) return;
    visited.add(file);
    const shown = relative(root, file);
    const source = ts.createSourceFile(file, await readFile(file, 'utf8'), ts.ScriptTarget.Latest, true);
    for (const statement of source.statements) {
      if (ts.isImportDeclaration(statement)) {
        const specifier = moduleSpecifier(statement, shown);
        const bindings = statement.importClause?.namedBindings;
        if (statement.importClause?.name !== undefined || bindings === undefined || !ts.isNamedImports(bindings)) {
          throw new RollupError(
            'ROLLUP_UNSUPPORTED',
            shown,
            `only named imports can be rolled up, not "${statement.getText()}"`,
          );
        }
        if (!isRelative(specifier))
          throw new RollupError('ROLLUP_UNSUPPORTED', shown, `import from ${specifier}, outside the package`);
        for (const element of bindings.elements) {
          if (element.propertyName !== undefined)
            throw new RollupError('ROLLUP_UNSUPPORTED', shown, `renamed import ${element.getText()}`);
          imported.push({ name: element.name.text, file: shown });
        }
        continue;
      }
      if (ts.isExportDeclaration(statement)) {
        if (
          statement.moduleSpecifier === undefined &&
          statement.exportClause !== undefined &&
          ts.isNamedExports(statement.exportClause) &&
          statement.exportClause.elements.length === 0
        )
          continue;
        const specifier = moduleSpecifier(statement, shown);
        if (statement.exportClause !== undefined || !isRelative(specifier)) {
          throw new RollupError(
            'ROLLUP_UNSUPPORTED',
            shown,
            `only \`export * from './file.js'\` can be rolled up, not "${statement.getText()}"`,
          );
        }
        await visit(join(dirname(file), specifier.replace(/\.js$/, '.d.ts')));
        continue;
      }
      // Overloads of one function, in one file, are one declaration.
      for (const name of declaredNames(statement)) {
        const earlier = declared.get(name);
        if (earlier !== undefined && !(earlier === shown && ts.isFunctionDeclaration(statement)))
          throw new RollupError('ROLLUP_NAME_CLASH', shown, `${name} is also declared in ${earlier}`);
        declared.set(name, shown);
      }
      const group = ts.isTypeAliasDeclaration(statement)
        ? aliases
        : ts.isInterfaceDeclaration(statement)
          ? interfaces
          : values;
      group.push(statement.getFullText(source).replace(/^\s*\n/, ''));
    }
  };

  await visit(entry);
  for (const { name, file } of imported) {
    if (!declared.has(name))
      throw new RollupError('ROLLUP_UNDECLARED', file, `imports ${name}, which no file of the package declares`);
  }
  return `${header}\n${[...aliases, ...interfaces, ...values].join('\n')}\n`;
}

function isRelative(specifier: string): boolean {
  return specifier.startsWith('./') || specifier.startsWith('../');
}

function moduleSpecifier(statement: ts.ImportDeclaration | ts.ExportDeclaration, shown: string): string {
  const specifier = statement.moduleSpecifier;
  if (specifier === undefined || !ts.isStringLiteral(specifier))
    throw new RollupError('ROLLUP_UNSUPPORTED', shown, `unexpected "${statement.getText()}"`);
  return specifier.text;
}

/** The top-level names a statement declares. */
function declaredNames(statement: ts.Statement): string[] {
  if (ts.isVariableStatement(statement))
    return statement.declarationList.declarations.flatMap((declaration) =>
      ts.isIdentifier(declaration.name) ? [declaration.name.text] : [],
    );
  if (
    ts.isInterfaceDeclaration(statement) ||
    ts.isTypeAliasDeclaration(statement) ||
    ts.isFunctionDeclaration(statement) ||
    ts.isClassDeclaration(statement) ||
    ts.isEnumDeclaration(statement)
  ) {
    return statement.name === undefined ? [] : [statement.name.text];
  }
  return [];
}
