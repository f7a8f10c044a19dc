import type { OperationOutcomeIssue, ValidationTables } from '@nhs-fhir/validation';
import { createValidator } from '@nhs-fhir/validation';
import { locate } from './real-packages.js';

// Mutations of real examples, each with the expression the validator must point at. Where a profile
// puts fixed values, patterns and required slices is found by validating the unmutated example
// against a copy of its tables with a sentinel in place of those values: the sentinel's errors name
// exactly the elements each rule applies to, so no mutation guesses a path.

export type MutationKind =
  | 'required element removed'
  | 'fixed or pattern value changed'
  | 'wrong slice value'
  | 'bad date'
  | 'unknown element';

export interface Mutation {
  kind: MutationKind;
  /** What changed, for the failure message. */
  what: string;
  resource: Record<string, unknown>;
  /** The issue must be at this expression (or, for `within`, at or beneath it). */
  expression: string;
  within?: boolean;
}

const SENTINEL = '__mutation-sentinel__';
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const DATE_KEY = new RegExp(
  '^(date|birthDate|recorded|issued|authoredOn|lastUpdated|timestamp|created|start|end|onsetDateTime|' +
    'effectiveDateTime|occurrenceDateTime|valueDateTime|recordedDate|performedDateTime|whenHandedOver|whenPrepared|' +
    'abatementDateTime|deceasedDateTime)$',
);

/** Every leaf string of a value changed; applied to the value at a fixed or pattern element. */
function spoil(value: unknown, shape: unknown = value): unknown {
  if (typeof value === 'string') return `${value}-changed`;
  if (typeof value === 'number') return value + 1;
  if (typeof value === 'boolean') return !value;
  if (Array.isArray(value)) return value.map((item) => spoil(item, Array.isArray(shape) ? shape[0] : shape));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    const keys = typeof shape === 'object' && shape !== null ? Object.keys(shape) : Object.keys(out);
    for (const key of keys) if (key in out) out[key] = spoil(out[key], (shape as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/**
 * Changes the first value equal to `value` at a discriminator path (`url`, `coding.code`) of an item; false when there
 * is none.
 */
function spoilAt(node: unknown, steps: string[], value: unknown): boolean {
  if (Array.isArray(node)) return node.some((item) => spoilAt(item, steps, value));
  if (typeof node !== 'object' || node === null) return false;
  const holder = node as Record<string, unknown>;
  const [step, ...rest] = steps;
  if (step === undefined) return false;
  if (rest.length === 0) {
    if (holder[step] !== value) return false;
    holder[step] = `${String(value)}-wrong`;
    return true;
  }
  return spoilAt(holder[step], rest, value);
}

/**
 * The element ids slices are recognised by (their discriminator targets): changing those changes the slice, not a
 * value.
 */
function discriminatorTargets(tables: ValidationTables): Set<string> {
  const targets = new Set<string>(['Extension.url']);
  for (const table of Object.values(tables.structures)) {
    for (const element of table.elements) {
      for (const match of element.match ?? [])
        targets.add(match.path === '$this' ? element.id : `${element.id}.${match.path}`);
    }
  }
  return targets;
}

/** Tables with sentinels: fixed and pattern values outside discriminators, and the values of required slices. */
function sentinelTables(tables: ValidationTables): ValidationTables {
  const copy = clone(tables);
  const targets = discriminatorTargets(tables);
  for (const table of Object.values(copy.structures)) {
    for (const element of table.elements) {
      if (element.fixed !== undefined && !targets.has(element.id)) element.fixed = SENTINEL;
      if (element.pattern !== undefined && !targets.has(element.id)) element.pattern = SENTINEL;
      if (
        element.min > 0 &&
        element.match !== undefined &&
        element.match.every(
          (match) => (match.type === 'value' || match.type === 'pattern') && typeof match.value === 'string',
        )
      ) {
        for (const match of element.match) match.value = SENTINEL;
      }
    }
  }
  return copy;
}

function datePaths(value: unknown, path: string, found: string[]): void {
  if (Array.isArray(value))
    value.forEach((item, index) => {
      datePaths(item, `${path}[${index}]`, found);
    });
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (key.startsWith('_') || key === 'div') continue;
      if (typeof item === 'string' && DATE_KEY.test(key) && /^\d{4}-\d{2}-\d{2}/.test(item))
        found.push(`${path}.${key}`);
      else datePaths(item, `${path}.${key}`, found);
    }
  }
}

/** The mutations of one example that validates clean against `tables`. */
export function mutationsOf(
  example: Record<string, unknown>,
  tables: ValidationTables,
  sentinelValidate: (resource: unknown) => OperationOutcomeIssue[],
): Mutation[] {
  const type = String(example['resourceType']);
  const mutations: Mutation[] = [];

  mutations.push({
    kind: 'unknown element',
    what: 'added fooBar',
    resource: { ...clone(example), fooBar: 'x' },
    expression: `${type}.fooBar`,
  });

  const dates: string[] = [];
  datePaths(example, type, dates);
  for (const expression of dates.slice(0, 2)) {
    const resource = clone(example);
    const place = locate(resource, expression)!;
    place.holder[place.step] = '2021-13-45';
    mutations.push({ kind: 'bad date', what: `${expression} = 2021-13-45`, resource, expression });
  }

  const profile = Array.isArray((example['meta'] as Record<string, unknown> | undefined)?.['profile'])
    ? String(((example['meta'] as Record<string, unknown>)['profile'] as unknown[])[0])
    : undefined;
  const table = tables.structures[profile ?? ''] ?? tables.structures[tables.baseTypes[type] ?? ''];
  const root = table?.elements[0];
  for (const [name, index] of Object.entries(root?.children ?? {})) {
    const child = table!.elements[index]!;
    if (child.min < 1 || example[name] === undefined) continue;
    const resource = clone(example);
    delete resource[name];
    const stem =
      child.variants === undefined ? name : child.path.slice(child.path.lastIndexOf('.') + 1).replace('[x]', '');
    mutations.push({
      kind: 'required element removed',
      what: `removed ${name}`,
      resource,
      expression: `${type}.${stem}`,
    });
  }

  const seen = new Set<string>();
  for (const issue of sentinelValidate(example)) {
    const expression = issue.expression[0];
    if (!issue.diagnostics.includes(SENTINEL) && !/: minimum required = \d+, but only found 0$/.test(issue.diagnostics))
      continue;
    if (seen.has(expression)) continue;
    seen.add(expression);
    if (issue.diagnostics.includes(SENTINEL)) {
      const resource = clone(example);
      const place = locate(resource, expression);
      if (place === undefined) continue;
      place.holder[place.step] = spoil(place.holder[place.step]);
      mutations.push({
        kind: 'fixed or pattern value changed',
        what: `${expression} spoilt`,
        resource,
        expression,
        within: true,
      });
    } else {
      // A required slice: spoil the discriminator value of the item that matched it.
      const sliceId = issue.diagnostics.slice(0, issue.diagnostics.indexOf(': '));
      const slice = Object.values(tables.structures)
        .flatMap((candidate) => candidate.elements)
        .find((element) => element.id === sliceId && element.match !== undefined);
      const resource = clone(example);
      const place = locate(resource, expression);
      const items = place === undefined ? undefined : place.holder[place.step];
      if (slice === undefined || !Array.isArray(items)) continue;
      const match = slice.match![0]!;
      if (!items.some((item) => spoilAt(item, match.path.split('.'), match.value))) continue;
      mutations.push({
        kind: 'wrong slice value',
        what: `${sliceId}: ${match.path} no longer ${String(match.value)}`,
        resource,
        expression,
        within: true,
      });
    }
  }
  return mutations;
}

export function sentinelValidator(tables: ValidationTables): (resource: unknown) => OperationOutcomeIssue[] {
  const validate = createValidator(sentinelTables(tables), { invariants: false });
  return (resource) => validate(resource).issue;
}

/** Whether an issue points at the mutated element. */
export const pointsAt = (issue: OperationOutcomeIssue, mutation: Mutation): boolean => {
  const expression = issue.expression[0];
  if (expression === mutation.expression) return true;
  return (
    mutation.within === true &&
    (expression.startsWith(`${mutation.expression}.`) || expression.startsWith(`${mutation.expression}[`))
  );
};
