import type { SandboxParameter } from './model.js';

type Json = unknown;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The simple paths of an expression that apply to `resourceType`: `Flag.subject | Patient.link` -> [['subject']]. */
export function pathsFor(expressions: readonly string[], resourceType: string): string[][] {
  const out: string[][] = [];
  for (const expression of expressions) {
    for (const part of expression.split('|')) {
      const steps = part
        .trim()
        .replace(/^\((.*)\)$/, '$1')
        .split('.');
      const [head, ...rest] = steps;
      if ((head === resourceType || head === 'Resource' || head === 'DomainResource') && rest.length > 0)
        out.push(rest.map((step) => step.replace(/\[x\]$/, '')));
    }
  }
  return out;
}

/** The types an expression list names (`Flag.subject` -> Flag). */
export function typesOf(expressions: readonly string[]): string[] {
  const types = new Set<string>();
  for (const expression of expressions) {
    for (const part of expression.split('|')) {
      const head = part.trim().replace(/^\(/, '').split('.')[0];
      if (head && /^[A-Z][A-Za-z]+$/.test(head) && head !== 'Resource' && head !== 'DomainResource') types.add(head);
    }
  }
  return [...types];
}

/** Every value a path reaches, arrays flattened. */
export function evaluate(resource: Json, path: readonly string[]): Json[] {
  let nodes: Json[] = [resource];
  for (const step of path) {
    const next: Json[] = [];
    for (const node of nodes) {
      if (!isObject(node)) continue;
      const value = node[step];
      if (Array.isArray(value)) next.push(...value);
      else if (value !== undefined && value !== null) next.push(value);
    }
    nodes = next;
  }
  return nodes;
}

/** `system|code`, `|code` (no system) or `code` (any system). */
function parseToken(value: string): { system: string | undefined; code: string } {
  const bar = value.indexOf('|');
  if (bar < 0) return { system: undefined, code: value };
  return { system: value.slice(0, bar), code: value.slice(bar + 1) };
}

function systemCodeMatches(
  wanted: { system: string | undefined; code: string },
  system: unknown,
  code: unknown,
): boolean {
  if (typeof code !== 'string') return false;
  if (wanted.code !== '' && code !== wanted.code) return false;
  if (wanted.system === undefined) return true;
  if (wanted.system === '') return system === undefined || system === '';
  return system === wanted.system;
}

function tokenMatches(node: Json, value: string): boolean {
  const wanted = parseToken(value);
  if (typeof node === 'string') return wanted.code === node && !wanted.system;
  if (typeof node === 'boolean' || typeof node === 'number') return wanted.code === String(node) && !wanted.system;
  if (!isObject(node)) return false;
  // CodeableConcept
  if (Array.isArray(node.coding)) return node.coding.some((coding) => tokenMatches(coding, value));
  // Coding
  if ('code' in node) return systemCodeMatches(wanted, node.system, node.code);
  // Reference: its identifier, or its reference ending in the code
  if ('reference' in node || 'identifier' in node) {
    if (isObject(node.identifier) && tokenMatches(node.identifier, value)) return true;
    return !wanted.system && typeof node.reference === 'string' && endsWithId(node.reference, wanted.code);
  }
  // Identifier, ContactPoint
  if ('value' in node) return systemCodeMatches(wanted, node.system, node.value);
  return false;
}

function endsWithId(reference: string, id: string): boolean {
  return id !== '' && (reference === id || reference.endsWith(`/${id}`));
}

function referenceMatches(node: Json, value: string, byIdentifier: boolean): boolean {
  if (byIdentifier) return isObject(node) && isObject(node.identifier) && tokenMatches(node.identifier, value);
  if (typeof node === 'string') return node === value || endsWithId(node, value);
  if (!isObject(node)) return false;
  if (typeof node.reference === 'string') {
    if (node.reference === value || endsWithId(node.reference, value)) return true;
    // `Patient/9000000009` asked, `https://.../Patient/9000000009` stored (or the other way round)
    if (value.includes('/') && endsWithId(node.reference, value.split('/').pop() ?? '')) {
      const type = value.split('/').slice(-2, -1)[0];
      if (type && node.reference.includes(`${type}/`)) return true;
    }
  }
  return isObject(node.identifier) && node.identifier.value === value;
}

/** Every string inside a value (a HumanName's family and given, an Address's lines and postcode). */
function strings(node: Json, depth = 0): string[] {
  if (typeof node === 'string') return [node];
  if (depth > 3) return [];
  if (Array.isArray(node)) return node.flatMap((item) => strings(item, depth + 1));
  if (isObject(node))
    return Object.entries(node).flatMap(([key, item]) => (key === 'extension' ? [] : strings(item, depth + 1)));
  return [];
}

const fold = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

function stringMatches(node: Json, value: string, exact: boolean): boolean {
  const wanted = fold(value);
  return strings(node).some((text) => (exact ? text === value : fold(text).startsWith(wanted)));
}

/** A date, a date-time or a partial one as the instants it covers: [from, to). */
export function dateRange(text: string): [number, number] | undefined {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(text);
  if (m) {
    const [year, month, day] = [Number(m[1]), m[2] ? Number(m[2]) - 1 : undefined, m[3] ? Number(m[3]) : undefined];
    if (month === undefined) return [Date.UTC(year, 0, 1), Date.UTC(year + 1, 0, 1)];
    if (day === undefined) return [Date.UTC(year, month, 1), Date.UTC(year, month + 1, 1)];
    return [Date.UTC(year, month, day), Date.UTC(year, month, day + 1)];
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text)) return undefined;
  const withZone = /(Z|[+-]\d{2}:\d{2})$/.test(text) ? text : `${text}Z`;
  const at = Date.parse(withZone);
  if (Number.isNaN(at)) return undefined;
  const precision = /T\d{2}:\d{2}$/.test(text.replace(/(Z|[+-]\d{2}:\d{2})$/, '')) ? 60_000 : 1_000;
  return [at, at + precision];
}

function nodeRange(node: Json): [number, number] | undefined {
  if (typeof node === 'string') return dateRange(node);
  if (!isObject(node)) return undefined;
  // Period
  const start = typeof node.start === 'string' ? dateRange(node.start) : undefined;
  const end = typeof node.end === 'string' ? dateRange(node.end) : undefined;
  if (!start && !end) return undefined;
  return [start?.[0] ?? Number.NEGATIVE_INFINITY, end?.[1] ?? Number.POSITIVE_INFINITY];
}

const DATE_PREFIX = /^(eq|ne|gt|lt|ge|le)(?=\d)/;

/** Whether a date search value is well formed: an optional prefix and a (partial) date or date-time. */
export function isDateValue(value: string): boolean {
  return dateRange(value.replace(DATE_PREFIX, '')) !== undefined;
}

function dateMatches(node: Json, value: string): boolean {
  const prefix = DATE_PREFIX.exec(value)?.[1] ?? 'eq';
  const wanted = dateRange(value.replace(DATE_PREFIX, ''));
  const have = nodeRange(node);
  if (!wanted || !have) return false;
  const within = have[0] >= wanted[0] && have[1] <= wanted[1];
  switch (prefix) {
    case 'ne':
      return !within;
    case 'gt':
      return have[1] > wanted[1];
    case 'lt':
      return have[0] < wanted[0];
    case 'ge':
      return within || have[1] > wanted[1];
    case 'le':
      return within || have[0] < wanted[0];
    default:
      return within;
  }
}

/** The modifier of a query name: `subject:identifier` -> `identifier`. */
export function modifierOf(queryName: string): string | undefined {
  const colon = queryName.indexOf(':');
  return colon < 0 ? undefined : queryName.slice(colon + 1);
}

/**
 * Whether `resource` matches one value of a search parameter (a comma in the value means "any of").
 * `queryName` is the name as called, with its modifier.
 */
export function matches(resource: Json, param: SandboxParameter, queryName: string, value: string): boolean {
  const search = param.search;
  if (!search) return true;
  const resourceType = isObject(resource) ? String(resource.resourceType) : '';
  const paths = pathsFor(search.expressions, resourceType);
  if (paths.length === 0) return false;
  const nodes = paths.flatMap((path) => evaluate(resource, path));
  const modifier = modifierOf(queryName) ?? modifierOf(param.name);
  const alternatives = value.split(',');
  const type = search.type.toLowerCase();
  return alternatives.some((alternative) =>
    nodes.some((node) => {
      switch (type) {
        case 'token':
          return tokenMatches(node, alternative);
        case 'reference':
          return referenceMatches(node, alternative, modifier === 'identifier');
        case 'string':
          return stringMatches(node, alternative, modifier === 'exact');
        case 'date':
          return dateMatches(node, alternative);
        default:
          return strings(node).includes(alternative) || (typeof node !== 'object' && String(node) === alternative);
      }
    }),
  );
}
