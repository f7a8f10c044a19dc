import { isRecord } from '@nhs-fhir/specs';
import type { PackageResource } from '../load/package-store.js';
import type { SnapshotBuilder } from '../snapshot/build-snapshot.js';
import { elementTypes, maxOf, minOf, valueKeys, type ElementDefinition } from '../fhir/element-definition.js';
import type { SpecChange } from './change-model.js';

/** One side of a profile comparison: the profile, its built snapshot, and the builder (to unfold more elements). */
export interface BuiltProfile {
  profile: PackageResource;
  elements: ElementDefinition[];
  builder: SnapshotBuilder;
}

const STRENGTHS = ['example', 'preferred', 'extensible', 'required'];

const idOf = (element: ElementDefinition): string => String(element['id'] ?? element['path']);
const parentId = (id: string): string | undefined => {
  const dot = id.lastIndexOf('.');
  return dot === -1 ? undefined : id.slice(0, dot);
};
const isSlice = (id: string): boolean => /:[^.]*$/.test(id);
const cardinalityText = (min: number | undefined, max: number | undefined): string =>
  `${min ?? '?'}..${max === undefined ? '?' : max === Infinity ? '*' : max}`;
const json = (value: unknown): string => JSON.stringify(value);
const withoutVersion = (canonical: unknown): string | undefined =>
  typeof canonical === 'string' ? canonical.split('|')[0] : undefined;

function bindingOf(element: ElementDefinition): { strength: string; valueSet: string | undefined } | undefined {
  const binding = element['binding'];
  if (!isRecord(binding) || typeof binding['strength'] !== 'string') return undefined;
  // R4 `valueSet`; STU3 `valueSetReference.reference` or `valueSetUri`.
  const stu3 = isRecord(binding['valueSetReference']) ? binding['valueSetReference']['reference'] : undefined;
  return {
    strength: binding['strength'],
    valueSet: withoutVersion(binding['valueSet'] ?? stu3 ?? binding['valueSetUri']),
  };
}

function constraintsOf(element: ElementDefinition): Map<string, { severity: string; expression: string }> {
  const out = new Map<string, { severity: string; expression: string }>();
  for (const constraint of Array.isArray(element['constraint']) ? element['constraint'].filter(isRecord) : []) {
    if (typeof constraint['key'] !== 'string') continue;
    out.set(constraint['key'], {
      severity: String(constraint['severity'] ?? 'error'),
      expression: String(constraint['expression'] ?? constraint['xpath'] ?? ''),
    });
  }
  return out;
}

/** Each snapshot unfolded until every element id of the other side that can be reached by unfolding is present. */
function alignSnapshots(before: BuiltProfile, after: BuiltProfile): [ElementDefinition[], ElementDefinition[]] {
  let left = before.elements;
  let right = after.elements;
  for (let round = 0; round < 8; round++) {
    const leftIds = new Set(left.map(idOf));
    const rightIds = new Set(right.map(idOf));
    const wantedBy = (own: Set<string>, other: Set<string>): Set<string> => {
      const wanted = new Set<string>();
      for (const id of other) {
        if (own.has(id)) continue;
        const parent = parentId(id);
        if (parent !== undefined && own.has(parent)) wanted.add(parent);
      }
      return wanted;
    };
    const leftWanted = wantedBy(leftIds, rightIds);
    const rightWanted = wantedBy(rightIds, leftIds);
    if (leftWanted.size === 0 && rightWanted.size === 0) break;
    const nextLeft =
      leftWanted.size === 0 ? left : before.builder.unfoldElements(before.profile, left, (id) => leftWanted.has(id));
    const nextRight =
      rightWanted.size === 0 ? right : after.builder.unfoldElements(after.profile, right, (id) => rightWanted.has(id));
    if (nextLeft.length === left.length && nextRight.length === right.length) break;
    left = nextLeft;
    right = nextRight;
  }
  return [left, right];
}

/**
 * What changed, for a TypeScript consumer, between two snapshots of one profile. Tightening is
 * breaking (a higher min, a lower max, a type or target profile taken away, a binding made required
 * or its required value set swapped, a fixed or pattern value set, an error invariant added or
 * changed, an element or slice removed, a new required element or slice); loosening and additions
 * of optional things are not.
 */
export function compareProfiles(before: BuiltProfile, after: BuiltProfile): SpecChange[] {
  const subject = after.profile.url ?? after.profile.file;
  const [left, right] = alignSnapshots(before, after);
  const oldById = new Map(left.map((element) => [idOf(element), element]));
  const newById = new Map(right.map((element) => [idOf(element), element]));
  const changes: SpecChange[] = [];
  const push = (element: string, change: Omit<SpecChange, 'subject' | 'element'>) =>
    changes.push({ subject, element, ...change });

  const reported = new Set<string>();
  const underReported = (id: string): boolean => {
    for (let parent = parentId(id); parent !== undefined; parent = parentId(parent))
      if (reported.has(parent)) return true;
    // A slice's children (`a:s.b`) sit under the slice id `a:s`.
    return [...reported].some((top) => id.startsWith(`${top}.`));
  };
  for (const [id, element] of oldById) {
    if (newById.has(id) || underReported(id)) continue;
    reported.add(id);
    push(id, {
      kind: isSlice(id) ? 'slice-removed' : 'element-removed',
      breaking: true,
      before: cardinalityText(minOf(element), maxOf(element)),
      detail: `${isSlice(id) ? 'slice' : 'element'} removed`,
    });
  }
  for (const [id, element] of newById) {
    if (oldById.has(id) || underReported(id)) continue;
    reported.add(id);
    const min = minOf(element) ?? 0;
    push(id, {
      kind: isSlice(id) ? 'slice-added' : 'element-added',
      breaking: min > 0,
      after: cardinalityText(minOf(element), maxOf(element)),
      detail:
        `${min > 0 ? 'required' : 'optional'} ${isSlice(id) ? 'slice' : 'element'} added ` +
        `(${cardinalityText(minOf(element), maxOf(element))})`,
    });
  }

  for (const [id, next] of newById) {
    const old = oldById.get(id);
    if (old === undefined) continue;
    // cardinality
    const [oldMin, oldMax, newMin, newMax] = [minOf(old), maxOf(old), minOf(next), maxOf(next)];
    if (oldMin !== newMin || oldMax !== newMax) {
      const before = cardinalityText(oldMin, oldMax);
      const after = cardinalityText(newMin, newMax);
      const tighter = (newMin ?? 0) > (oldMin ?? 0) || (newMax ?? Infinity) < (oldMax ?? Infinity);
      const detail =
        newMax === 0 && oldMax !== 0
          ? `${before} -> ${after} (now prohibited)`
          : (newMin ?? 0) > 0 && (oldMin ?? 0) === 0
            ? `${before} -> ${after} (now required)`
            : `${before} -> ${after}`;
      push(id, { kind: 'cardinality', breaking: tighter, before, after, detail });
    }
    // types and their profiles
    const oldTypes = elementTypes(old);
    const newTypes = elementTypes(next);
    const oldCodes = oldTypes.map((type) => type.code);
    const newCodes = newTypes.map((type) => type.code);
    const removed = oldCodes.filter((code) => !newCodes.includes(code));
    const added = newCodes.filter((code) => !oldCodes.includes(code));
    if (removed.length > 0 || added.length > 0) {
      push(id, {
        kind: 'types',
        breaking: removed.length > 0,
        before: oldCodes.join(' | '),
        after: newCodes.join(' | '),
        detail: [
          removed.length > 0 ? `types removed: ${removed.join(', ')}` : '',
          added.length > 0 ? `types added: ${added.join(', ')}` : '',
        ]
          .filter(Boolean)
          .join('; '),
      });
    }
    for (const newType of newTypes) {
      const oldType = oldTypes.find((type) => type.code === newType.code);
      if (oldType === undefined) continue;
      for (const field of ['targetProfiles', 'profiles'] as const) {
        const was = oldType[field].map((url) => withoutVersion(url)!);
        const now = newType[field].map((url) => withoutVersion(url)!);
        const gone = was.filter((url) => !now.includes(url));
        const come = now.filter((url) => !was.includes(url));
        if (gone.length === 0 && come.length === 0) continue;
        // No profiles means any; listing some where there were none narrows.
        const narrowed = gone.length > 0 || (was.length === 0 && now.length > 0);
        const label = field === 'targetProfiles' ? 'target profiles' : 'type profiles';
        push(id, {
          kind: 'target-profiles',
          breaking: narrowed,
          before: was.join(', ') || '(any)',
          after: now.join(', ') || '(any)',
          detail: `${newType.code} ${label}: ${was.join(', ') || '(any)'} -> ${now.join(', ') || '(any)'}`,
        });
      }
    }
    // binding
    const oldBinding = bindingOf(old);
    const newBinding = bindingOf(next);
    if (oldBinding?.strength !== newBinding?.strength || oldBinding?.valueSet !== newBinding?.valueSet) {
      const text = (binding: typeof oldBinding) =>
        binding === undefined ? '(none)' : `${binding.strength} ${binding.valueSet ?? '(no value set)'}`;
      const oldRank = oldBinding === undefined ? -1 : STRENGTHS.indexOf(oldBinding.strength);
      const newRank = newBinding === undefined ? -1 : STRENGTHS.indexOf(newBinding.strength);
      const breaking =
        newBinding?.strength === 'required' &&
        (newRank > oldRank || oldBinding?.valueSet !== newBinding.valueSet || oldBinding === undefined);
      push(id, {
        kind: 'binding',
        breaking,
        before: text(oldBinding),
        after: text(newBinding),
        detail: `${text(oldBinding)} -> ${text(newBinding)}`,
      });
    }
    // fixed and pattern values
    for (const prefix of ['fixed', 'pattern'] as const) {
      const was = Object.fromEntries(valueKeys(old, prefix).map((key) => [key, old[key]]));
      const now = Object.fromEntries(valueKeys(next, prefix).map((key) => [key, next[key]]));
      if (json(was) === json(now)) continue;
      const nowEmpty = Object.keys(now).length === 0;
      const show = (values: Record<string, unknown>) =>
        Object.keys(values).length === 0
          ? '(none)'
          : Object.entries(values)
              .map(([key, value]) => `${key}=${json(value)}`)
              .join(' ');
      push(id, {
        kind: prefix,
        breaking: !nowEmpty,
        before: show(was),
        after: show(now),
        detail: `${show(was)} -> ${show(now)}`,
      });
    }
    // must-support
    if ((old['mustSupport'] === true) !== (next['mustSupport'] === true)) {
      const now = next['mustSupport'] === true;
      push(id, {
        kind: 'must-support',
        breaking: false,
        before: String(!now),
        after: String(now),
        detail: now ? 'now must-support' : 'no longer must-support',
      });
    }
    // invariants
    const oldConstraints = constraintsOf(old);
    const newConstraints = constraintsOf(next);
    for (const key of oldConstraints.keys()) {
      if (!newConstraints.has(key))
        push(id, { kind: 'invariant-removed', breaking: false, before: key, detail: `invariant ${key} removed` });
    }
    for (const [key, constraint] of newConstraints) {
      const was = oldConstraints.get(key);
      if (was === undefined)
        push(id, {
          kind: 'invariant-added',
          breaking: constraint.severity === 'error',
          after: key,
          detail: `invariant ${key} (${constraint.severity}) added: ${constraint.expression}`,
        });
      else if (was.expression !== constraint.expression || was.severity !== constraint.severity)
        push(id, {
          kind: 'invariant-changed',
          breaking: constraint.severity === 'error',
          before: `${was.severity}: ${was.expression}`,
          after: `${constraint.severity}: ${constraint.expression}`,
          detail:
            `invariant ${key}: ${was.severity} ${was.expression} -> ` +
            `${constraint.severity} ${constraint.expression}`,
        });
    }
  }
  const order = new Map(right.map((element, index) => [idOf(element), index]));
  const oldOrder = new Map(left.map((element, index) => [idOf(element), index]));
  const rank = (change: SpecChange) => order.get(change.element ?? '') ?? oldOrder.get(change.element ?? '') ?? 0;
  return changes.sort((a, b) => rank(a) - rank(b));
}
