import type { PrimitiveTable } from './tables.js';

/** Checks one primitive JSON value against its type; returns what is wrong, or undefined. */
export type PrimitiveCheck = (value: unknown) => string | undefined;

// Used when a definition gives no regex (STU3 `string`, `markdown`): FHIR forbids empty strings everywhere.
const NON_EMPTY = /\S/;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** FHIR: "strings SHALL NOT exceed 1MB (1024*1024 characters) in size" (base64Binary and xhtml are not strings). */
export const MAX_STRING_LENGTH = 1024 * 1024;

/**
 * The formats the FHIR specification states for each primitive, used when a table gives none (STU3
 * definitions carry no regex for some types; tables compiled before a regex was added). A table's own
 * regex wins: it is the definition the resource is checked against.
 */
const SPEC_FORMATS: Record<string, string> = {
  base64Binary: '(\\s*([0-9a-zA-Z\\+/=]){4}\\s*)+',
  code: '[^\\s]+(\\s[^\\s]+)*',
  date: '-?[0-9]{4}(-(0[1-9]|1[0-2])(-(0[0-9]|[1-2][0-9]|3[0-1]))?)?',
  dateTime:
    '-?[0-9]{4}(-(0[1-9]|1[0-2])(-(0[0-9]|[1-2][0-9]|3[0-1])(T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60' +
    ')(\\.[0-9]+)?(Z|(\\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00)))?)?)?',
  id: '[A-Za-z0-9\\-\\.]{1,64}',
  instant:
    '-?[0-9]{4}-(0[1-9]|1[0-2])-(0[0-9]|[1-2][0-9]|3[0-1])T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]+' +
    ')?(Z|(\\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))',
  oid: 'urn:oid:[0-2](\\.(0|[1-9][0-9]*))+',
  time: '([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]+)?',
  uri: '\\S*',
  url: '\\S*',
  canonical: '\\S*',
  uuid: 'urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}',
};

/** The types whose values carry a calendar date (checked for a real day of the month, leap years included). */
const CALENDAR_TYPES = new Set(['date', 'dateTime', 'instant']);

const isLeapYear = (year: number): boolean => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);

/** The number of `count` decimal digits at `at`, or -1 when one is not a digit. */
function digitsAt(value: string, at: number, count: number): number {
  let number = 0;
  for (let position = at; position < at + count; position++) {
    const digit = value.charCodeAt(position) - 48;
    if (!(digit >= 0 && digit <= 9)) return -1;
    number = number * 10 + digit;
  }
  return number;
}

/**
 * The day of month a date names does not exist (2021-02-29, 2020-04-31, day 00): what is wrong, else undefined.
 * Reads `-?YYYY-MM-DD` at the start by character codes, not with a regex match: it runs on every date, and a match
 * allocates its groups.
 */
function calendarProblem(value: string): string | undefined {
  const at = value.charCodeAt(0) === 45 ? 1 : 0; // a leading '-'
  if (value.length < at + 10 || value.charCodeAt(at + 4) !== 45 || value.charCodeAt(at + 7) !== 45) return undefined;
  const year = digitsAt(value, at, 4);
  const month = digitsAt(value, at + 5, 2);
  const day = digitsAt(value, at + 8, 2);
  if (year < 0 || month < 0 || day < 0) return undefined; // a year or a year and month: nothing more to check
  const days =
    month === 2 ? (isLeapYear(year) ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  if (day >= 1 && day <= days) return undefined;
  const monthText = value.slice(at + 5, at + 7);
  return `'${value.slice(0, at + 10)}' is not a day of the calendar (${year}-${monthText} has ${days} days)`;
}

// String.prototype.isWellFormed is in Node 20 (ES2024); the lib here is ES2023.
const wellFormed: (value: string) => boolean =
  typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === 'function'
    ? (value) => (value as unknown as { isWellFormed(): boolean }).isWellFormed()
    : (value) => !/[\uD800-\uDFFF]/u.test(value);

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

/** A whole format that is one character class repeated 1 to n times: the class, and n. */
const BOUNDED_CLASS = /^(\[(?:[^\]\\]|\\.)*\])\{1,(\d+)\}$/;

/**
 * The same pattern with its groups made non-capturing: only whether a value matches is asked, and irregexp spends
 * time recording captures (the dateTime format, nine groups, tests in about 60% of the time without). A pattern that
 * refers back to a group keeps its groups.
 */
export function withoutCaptures(source: string): string {
  if (/\\[1-9]|\\k</.test(source)) return source;
  let out = '';
  let inClass = false;
  for (let at = 0; at < source.length; at++) {
    const char = source[at]!;
    if (char === '\\') {
      out += source.slice(at, at + 2);
      at++;
    } else if (inClass) {
      out += char;
      if (char === ']') inClass = false;
    } else if (char === '[') {
      out += char;
      inClass = true;
    } else out += char === '(' && source[at + 1] !== '?' ? '(?:' : char;
  }
  return out;
}

const quoted = (value: string): string => `'${value.length > 80 ? `${value.slice(0, 80)}...` : value}'`;

/**
 * Compiles the check of each primitive type once: the JSON type, the length limit and well-formed
 * Unicode of strings, the regex of its definition (else of the specification), anchored, and for
 * dates a day that exists.
 */
export function primitiveChecks(primitives: Record<string, PrimitiveTable>): Map<string, PrimitiveCheck> {
  const checks = new Map<string, PrimitiveCheck>();
  for (const [code, primitive] of Object.entries(primitives)) {
    if (primitive.json === 'boolean')
      checks.set(code, (value) => (typeof value === 'boolean' ? undefined : 'must be a JSON boolean'));
    else if (primitive.json === 'number') checks.set(code, numberCheck(code));
    else if (code === 'xhtml')
      checks.set(code, (value) =>
        typeof value === 'string' && /^\s*<div[\s>]/.test(value)
          ? wellFormed(value)
            ? undefined
            : 'must be valid Unicode (it holds a lone surrogate)'
          : 'must be an XHTML <div> as a JSON string',
      );
    else {
      let regex: RegExp | undefined;
      let maxLength = Number.POSITIVE_INFINITY;
      const source = primitive.regex ?? SPEC_FORMATS[code];
      const bounded = source === undefined ? null : BOUNDED_CLASS.exec(source);
      try {
        // (`{1,0}` is no regex at all: it is left to the constructor to refuse.)
        if (bounded !== null && Number(bounded[2]) >= 1) {
          // `[...]{1,64}` (the id format) as `[...]+` and a length check: irregexp runs the counted repeat about twice
          // as slowly, and it is met on every id.
          regex = new RegExp(`^${bounded[1]}+$`);
          maxLength = Number(bounded[2]);
        } else regex = source === undefined ? undefined : new RegExp(`^(?:${withoutCaptures(source)})$`);
      } catch {
        regex = undefined; // a regex JavaScript cannot read is left to the non-empty check
      }
      const limited = code !== 'base64Binary';
      const calendar = CALENDAR_TYPES.has(code);
      checks.set(code, (value) => {
        if (typeof value !== 'string') return `must be a JSON string (${code})`;
        // Before any regex: a hostile 50-million-character value is refused by its length alone.
        if (limited && value.length > MAX_STRING_LENGTH)
          return `is ${value.length} characters long: FHIR limits strings to 1 MB (${MAX_STRING_LENGTH} characters)`;
        // Most strings start with a visible ASCII character, which already proves they are not blank.
        const first = value.charCodeAt(0);
        if (!(first > 32 && first < 127) && !NON_EMPTY.test(value)) return 'must not be empty';
        if (!wellFormed(value)) return `must be valid Unicode: ${code} holds a lone surrogate`;
        if (regex !== undefined && !(value.length <= maxLength && regex.test(value)))
          return `${quoted(value)} is not a valid ${code}`;
        return calendar ? calendarProblem(value) : undefined;
      });
    }
  }
  return checks;
}
