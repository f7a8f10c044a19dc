import { isRecord } from './json.js';

export { cloneJson } from './json.js';

/** An ElementDefinition as plain JSON, R4 or STU3; the builder reads and writes only the keys it knows. */
export type ElementDefinition = Record<string, unknown>;

/** One entry of `ElementDefinition.type`: R4 has `profile`/`targetProfile` arrays, STU3 single strings. */
export interface ElementType {
  code: string;
  profiles: string[];
  targetProfiles: string[];
}

const strings = (value: unknown): string[] =>
  typeof value === 'string'
    ? [value]
    : Array.isArray(value)
      ? value.filter((item): item is string => typeof item === 'string')
      : [];

/** The element's types, normalised across R4 and STU3. */
export function elementTypes(element: ElementDefinition): ElementType[] {
  const types = element['type'];
  if (!Array.isArray(types)) return [];
  return types.filter(isRecord).map((type) => ({
    code: typeof type['code'] === 'string' ? type['code'] : '',
    profiles: strings(type['profile']),
    targetProfiles: strings(type['targetProfile']),
  }));
}

/** `max` as a number (`*` is Infinity); undefined when absent or malformed. */
export function maxOf(element: ElementDefinition): number | undefined {
  const max = element['max'];
  if (max === '*') return Infinity;
  if (typeof max === 'string' && /^\d+$/.test(max)) return Number(max);
  return undefined;
}

export const minOf = (element: ElementDefinition): number | undefined =>
  typeof element['min'] === 'number' ? element['min'] : undefined;

/** The keys of fixed[x] and pattern[x] values present on an element. */
export const valueKeys = (element: ElementDefinition, prefix: 'fixed' | 'pattern'): string[] =>
  Object.keys(element).filter(
    (key) =>
      key.startsWith(prefix) && key.length > prefix.length && key[prefix.length]! >= 'A' && key[prefix.length]! <= 'Z',
  );

/** A choice element's name (`value[x]`) matched by a renamed one (`valueQuantity`): the type suffix, else undefined. */
export function choiceSuffix(choiceName: string, name: string): string | undefined {
  if (!choiceName.endsWith('[x]')) return undefined;
  const stem = choiceName.slice(0, -3);
  if (!name.startsWith(stem) || name.length === stem.length) return undefined;
  const suffix = name.slice(stem.length);
  return suffix[0]! >= 'A' && suffix[0]! <= 'Z' ? suffix : undefined;
}

/**
 * Whether a type code is the one a renamed choice names (`Quantity`, `String` for `string`, `DateTime` for `dateTime`).
 */
export const typeMatchesSuffix = (code: string, suffix: string): boolean =>
  code.length > 0 && code[0]!.toUpperCase() + code.slice(1) === suffix;
