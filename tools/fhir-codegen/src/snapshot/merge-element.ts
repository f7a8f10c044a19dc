import { isRecord, cloneJson, type ElementDefinition } from '../fhir/index.js';

/** Keys a differential never carries into the snapshot as-is: position is the tree's job. */
const POSITION_KEYS = new Set(['id', 'path']);
/**
 * Lists that accumulate down the profile chain (profiling rules: constraints, mappings and conditions are added, never
 * lost).
 */
const UNION_KEYS = new Set(['condition', 'alias', 'code', 'mapping']);

const constraintKey = (constraint: unknown): string | undefined =>
  isRecord(constraint) && typeof constraint['key'] === 'string' ? constraint['key'] : undefined;

/** Base constraints kept; a differential constraint with a new key is added, one with an existing key replaces it. */
export function mergeConstraints(base: unknown, diff: unknown): unknown[] {
  const out = Array.isArray(base) ? base.map(cloneJson) : [];
  for (const constraint of Array.isArray(diff) ? diff : []) {
    const key = constraintKey(constraint);
    const at = key === undefined ? -1 : out.findIndex((existing) => constraintKey(existing) === key);
    if (at === -1) out.push(cloneJson(constraint));
    else out[at] = cloneJson(constraint);
  }
  return out;
}

/**
 * A binding with a value set replaces the base binding; one without (a new description or strength only) updates it.
 */
export function mergeBinding(base: unknown, diff: unknown): unknown {
  if (!isRecord(diff)) return cloneJson(base);
  const hasValueSet = 'valueSet' in diff || 'valueSetReference' in diff || 'valueSetUri' in diff;
  if (hasValueSet || !isRecord(base)) return cloneJson(diff);
  return { ...cloneJson(base), ...cloneJson(diff) };
}

const unionList = (base: unknown, diff: unknown): unknown[] => {
  const out = Array.isArray(base) ? base.map(cloneJson) : [];
  const seen = new Set(out.map((item) => JSON.stringify(item)));
  for (const item of Array.isArray(diff) ? diff : []) {
    const text = JSON.stringify(item);
    if (seen.has(text)) continue;
    seen.add(text);
    out.push(cloneJson(item));
  }
  return out;
};

/** Removes other fixed[x]/pattern[x] keys when a differential sets one (a value has one type). */
const dropOtherValues = (target: ElementDefinition, key: string): void => {
  const prefix = key.startsWith('fixed') ? 'fixed' : 'pattern';
  for (const existing of Object.keys(target))
    if (existing !== key && existing.startsWith(prefix) && /^[A-Z]/.test(existing.slice(prefix.length)))
      delete target[existing];
};

/**
 * Applies one differential element to the element it constrains (profiling rules, "differential"):
 * what the differential states replaces the base, except that constraints, conditions, mappings and
 * aliases accumulate, bindings update, and slicing updates field by field.
 */
export function mergeElement(base: ElementDefinition, diff: ElementDefinition): ElementDefinition {
  const out: ElementDefinition = { ...base };
  for (const [key, value] of Object.entries(diff)) {
    if (POSITION_KEYS.has(key)) continue;
    if (key === 'constraint') out[key] = mergeConstraints(base[key], value);
    else if (key === 'binding') out[key] = mergeBinding(base[key], value);
    else if (key === 'slicing')
      out[key] =
        isRecord(base[key]) && isRecord(value) ? { ...cloneJson(base[key]), ...cloneJson(value) } : cloneJson(value);
    else if (UNION_KEYS.has(key)) out[key] = unionList(base[key], value);
    else {
      if (/^(fixed|pattern)[A-Z]/.test(key)) dropOtherValues(out, key);
      out[key] = cloneJson(value);
    }
  }
  return out;
}
