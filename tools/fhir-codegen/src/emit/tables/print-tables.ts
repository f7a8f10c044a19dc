import type { ValidationTables } from '@nhs-fhir/validation';
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
