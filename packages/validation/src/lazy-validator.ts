import type { ValidationTables } from './tables.js';
import { createValidator, type Validate, type ValidatorSettings } from './validator.js';

/**
 * The `validate` a generated profile package exports: its tables ship as JSON text, parsed and compiled on the
 * first call, not on import (importing the package for its types costs nothing).
 */
export function lazyValidator(tablesJson: string, settings: ValidatorSettings = {}): Validate {
  let validator: Validate | undefined;
  return (resource, options) => {
    validator ??= createValidator(JSON.parse(tablesJson) as ValidationTables, settings);
    return validator(resource, options);
  };
}
