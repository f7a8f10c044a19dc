import { isObject, type JsonObject } from '../json-values.js';
import type { IssueList } from '../outcome.js';
import type { Path } from '../path.js';
import type { PrimitiveCheck } from '../primitives.js';
import type { ElementTable } from '../tables.js';

/** Types: known properties, primitives (JSON type and format), objects where a complex type is, choice types. */

const TEMPORAL = new Set(['date', 'dateTime', 'instant', 'time']);

/** A property the element has no child for. */
export function unknownElement(key: string, element: ElementTable, path: Path, issues: IssueList): void {
  if (issues.keeps('error'))
    issues.add('error', 'structure', `${path}.${key}`, `Unknown element '${key}' in ${element.path}`);
}

/**
 * A primitive value against its type's check (JSON type and format); a type without a check takes any value but an
 * object. A bad date or time is a `value` issue, any other a `structure` one.
 */
export function checkPrimitive(
  code: string,
  check: PrimitiveCheck | undefined,
  item: unknown,
  path: Path,
  issues: IssueList,
): void {
  const problem =
    check === undefined ? (typeof item === 'object' ? `must be a primitive (${code})` : undefined) : check(item);
  if (problem !== undefined) {
    if (issues.keeps('error'))
      issues.add('error', TEMPORAL.has(code) ? 'value' : 'structure', path, `${path}: ${problem}`);
  }
}

/** Whether the item is a JSON object, as a complex type or backbone element must be; an error if not. */
export function checkObject(
  item: unknown,
  code: string | undefined,
  path: Path,
  issues: IssueList,
): item is JsonObject {
  if (isObject(item)) return true;
  if (issues.keeps('error'))
    issues.add('error', 'structure', path, `${path}: must be a JSON object${code === undefined ? '' : ` (${code})`}`);
  return false;
}

/**
 * One variant of a choice element met in an object: an error when another variant of it was met before. `choices`
 * holds the choices met so far as element index and key pairs (most objects have none or one: a flat array, not a
 * Map per object); returns it, with this one added when it is the first.
 */
export function checkChoice(
  choices: (number | string)[] | undefined,
  index: number,
  key: string,
  element: ElementTable,
  path: Path,
  issues: IssueList,
): (number | string)[] {
  const at = choices === undefined ? -1 : choices.indexOf(index);
  if (at === -1) {
    // A literal for the first: `[]` then push would make room for 17 entries in every object with a choice.
    if (choices === undefined) return [index, key];
    choices.push(index, key);
    return choices;
  }
  const other = choices![at + 1];
  if (issues.keeps('error'))
    issues.add(
      'error',
      'structure',
      `${path}.${key}`,
      `Only one of ${other} and ${key} may be present (choice ${element.path})`,
    );
  return choices!;
}

/**
 * The items of a `_name` property (a primitive's id and extensions): only beside a primitive, an array of objects
 * (null for none) where the element repeats, one object where it does not. Returns the items to walk as `Element`.
 */
export function primitiveExtensionItems(
  value: unknown,
  primitive: boolean,
  element: ElementTable,
  path: Path,
  issues: IssueList,
): unknown[] {
  if (!primitive) {
    if (issues.keeps('error'))
      issues.add('error', 'structure', path, `${path}: '_' properties are only allowed beside primitive elements`);
    return [];
  }
  const items = element.array ? (Array.isArray(value) ? value : undefined) : Array.isArray(value) ? undefined : [value];
  if (items === undefined) {
    if (issues.keeps('error'))
      issues.add('error', 'structure', path, `${path}: must be ${element.array ? 'an array' : 'a single object'}`);
    return [];
  }
  return items;
}

/** An item of a `_name` property: an object with id and extension. */
export function checkPrimitiveExtension(item: unknown, path: Path, issues: IssueList): item is JsonObject {
  if (isObject(item)) return true;
  if (issues.keeps('error')) issues.add('error', 'structure', path, `${path}: must be an object with id and extension`);
  return false;
}

/**
 * A null (or a hole) item: only a placeholder in a primitive array whose `_` array has an entry at its position,
 * holding that item's extensions.
 */
export function checkNullItem(primitiveArray: boolean, extension: unknown, path: Path, issues: IssueList): void {
  if (!(primitiveArray && extension !== undefined && extension !== null)) {
    if (issues.keeps('error'))
      issues.add('error', 'structure', path, `${path}: null is only allowed where the '_' array has an entry`);
  }
}

/** A resource where one is expected (contained, Bundle.entry.resource): an object with a resourceType. */
export function checkResourceShape(item: unknown, path: Path, issues: IssueList): item is JsonObject {
  if (isObject(item) && typeof item['resourceType'] === 'string') return true;
  if (issues.keeps('error'))
    issues.add('error', 'structure', path, `${path}: a resource must be a JSON object with a resourceType`);
  return false;
}
