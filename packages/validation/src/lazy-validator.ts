import { mergeTables } from './merge-tables.js';
import type { ValidationTables } from './tables.js';
import { createValidator, type Validate, type ValidatorSettings } from './validator.js';

/**
 * The `validate` a generated profile package exports: its tables ship as JSON text (the base package's layer, then
 * the package's own), parsed, combined and compiled on the first call, not on import (importing the package for its
 * types costs nothing).
 */
export function lazyValidator(tablesJson: string | readonly string[], settings: ValidatorSettings = {}): Validate {
  let validator: Validate | undefined;
  return (resource, options) => {
    validator ??= createValidator(
      mergeTables((typeof tablesJson === 'string' ? [tablesJson] : tablesJson).map(parseTables)),
      settings,
    );
    return validator(resource, options);
  };
}

const parseTables = (text: string): ValidationTables => JSON.parse(text) as ValidationTables;
