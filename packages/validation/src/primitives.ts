import type { PrimitiveTable } from './tables.js';

/** Checks one primitive JSON value against its type; returns what is wrong, or undefined. */
export type PrimitiveCheck = (value: unknown) => string | undefined;

// Used when a definition gives no regex (STU3 `string`, `markdown`): FHIR forbids empty strings everywhere.
const NON_EMPTY = /\S/;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

function numberCheck(code: string): PrimitiveCheck {
  if (code === 'decimal')
    return (value) =>
      typeof value === 'number' && Number.isFinite(value) ? undefined : `must be a JSON number (${code})`;
  const min = code === 'positiveInt' ? 1 : code === 'unsignedInt' ? 0 : INT32_MIN;
  return (value) => {
    if (typeof value !== 'number' || !Number.isInteger(value)) return `must be a JSON integer (${code})`;
    return value < min || value > INT32_MAX ? `${value} is out of range for ${code}` : undefined;
  };
}

/** Compiles the check of each primitive type once: the JSON type, then the regex of its definition, anchored. */
export function primitiveChecks(primitives: Record<string, PrimitiveTable>): Map<string, PrimitiveCheck> {
  const checks = new Map<string, PrimitiveCheck>();
  for (const [code, primitive] of Object.entries(primitives)) {
    if (primitive.json === 'boolean')
      checks.set(code, (value) => (typeof value === 'boolean' ? undefined : 'must be a JSON boolean'));
    else if (primitive.json === 'number') checks.set(code, numberCheck(code));
    else if (code === 'xhtml')
      checks.set(code, (value) =>
        typeof value === 'string' && /^\s*<div[\s>]/.test(value)
          ? undefined
          : 'must be an XHTML <div> as a JSON string',
      );
    else {
      let regex: RegExp | undefined;
      try {
        regex = primitive.regex === undefined ? undefined : new RegExp(`^(?:${primitive.regex})$`);
      } catch {
        regex = undefined; // a regex JavaScript cannot read is left to the non-empty check
      }
      checks.set(code, (value) => {
        if (typeof value !== 'string') return `must be a JSON string (${code})`;
        // Most strings start with a visible ASCII character, which already proves they are not blank.
        const first = value.charCodeAt(0);
        if (!(first > 32 && first < 127) && !NON_EMPTY.test(value)) return 'must not be empty';
        return regex === undefined || regex.test(value)
          ? undefined
          : `'${value.length > 80 ? `${value.slice(0, 80)}...` : value}' is not a valid ${code}`;
      });
    }
  }
  return checks;
}
