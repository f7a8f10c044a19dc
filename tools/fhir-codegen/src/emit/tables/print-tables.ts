import type { ValidationTables } from '@nhs-fhir/validation';
import { CodegenError, isRecord } from '../../fhir/index.js';
import { printFile } from '../printer.js';

/** The tables as canonical JSON text: the same lock gives the same bytes. */
export const printValidationTables = (tables: ValidationTables): string => `${JSON.stringify(tables)}\n`;

/**
 * `validation-tables.ts`: the tables as JSON text in one exported string (parsed on the first `validate`, not on
 * import). `what` says which tables these are, for the doc comment. Typed `string`, so the declaration file does not
 * repeat the text as a literal type.
 */
export const emitValidationTablesModule = (header: string, tablesText: string, what: string): string =>
  printFile(header, [
    {
      kind: 'const',
      exported: true,
      docs: `${what}, as JSON text: parsed on the first \`validate\`, not on import.`,
      name: 'validationTablesJson',
      type: 'string',
      value: JSON.stringify(tablesText.trimEnd()),
    },
  ]);

const TABLES_LINE = 'export const validationTablesJson: string = ';

/**
 * The tables a `validation-tables.ts` of `emitValidationTablesModule` holds (a base package's, read by the profile
 * packages layered on it). `file` names the module in errors: one that is not such a module, or whose JSON is not
 * tables, is a `BASE_TABLES_INVALID` error.
 */
export function readValidationTablesModule(source: string, file: string): ValidationTables {
  const fail = (detail: string): never => {
    throw new CodegenError('BASE_TABLES_INVALID', { file }, `${detail}; regenerate it with \`npm run generate\``);
  };
  const line = source.split('\n').find((candidate) => candidate.startsWith(TABLES_LINE));
  if (line === undefined || !line.endsWith(';')) return fail(`no \`${TABLES_LINE.trimEnd()} "..."\` line`);
  let tables: unknown;
  try {
    tables = JSON.parse(JSON.parse(line.slice(TABLES_LINE.length, -1)) as string);
  } catch (error) {
    return fail(`the tables are not JSON text (${error instanceof Error ? error.message : String(error)})`);
  }
  const parts = ['structures', 'baseTypes', 'primitives', 'valueSets', 'invariants'] as const;
  if (!isRecord(tables) || (tables['fhirVersion'] !== 'R4' && tables['fhirVersion'] !== 'STU3'))
    return fail('the tables name no fhirVersion (R4 or STU3)');
  const missing = parts.filter((part) => !isRecord(tables[part]));
  if (missing.length > 0) return fail(`the tables have no ${missing.join(', ')}`);
  return tables as unknown as ValidationTables;
}
