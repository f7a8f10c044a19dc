export type JsonObject = Record<string, unknown>;

export const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Structural equality of JSON values (fixed[x]). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a))
    return Array.isArray(b) && a.length === b.length && a.every((item, index) => deepEqual(item, b[index]));
  if (!isObject(a) || !isObject(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => Object.hasOwn(b, key) && deepEqual(a[key], b[key]));
}

/**
 * Whether a value holds everything a pattern[x] says: each pattern property present and matching, each pattern array
 * item matched by some item.
 */
export function matchesPattern(value: unknown, pattern: unknown): boolean {
  if (Array.isArray(pattern))
    return Array.isArray(value) && pattern.every((want) => value.some((item) => matchesPattern(item, want)));
  if (!isObject(pattern)) return value === pattern;
  if (!isObject(value)) return false;
  for (const key of Object.keys(pattern)) if (!matchesPattern(value[key], pattern[key])) return false;
  return true;
}

/** The values a simple discriminator path selects from an item (`coding.system`, `value.ofType(Quantity)`, `$this`). */
export function valuesAt(item: unknown, path: string): unknown[] {
  let current: unknown[] = [item];
  const segments = path.split('.');
  for (let position = 0; position < segments.length; position++) {
    const segment = segments[position]!;
    if (segment === '$this' || segment === '') continue;
    const ofType = /^ofType\(([A-Za-z]+)\)$/.exec(segment);
    if (ofType !== null) continue; // handled with the choice name before it
    const next = segments[position + 1];
    const typed = next === undefined ? null : /^ofType\(([A-Za-z]+)\)$/.exec(next);
    const key =
      typed === null || typed === undefined
        ? segment
        : segment + typed[1]!.charAt(0).toUpperCase() + typed[1]!.slice(1);
    const found: unknown[] = [];
    for (const value of current) {
      if (!isObject(value)) continue;
      const child = value[key];
      if (Array.isArray(child)) {
        for (const entry of child) if (entry !== null && entry !== undefined) found.push(entry);
      } else if (child !== undefined && child !== null) found.push(child);
    }
    current = found;
  }
  return current;
}
