// Random and mutated JSON for the fuzz test, from a seeded PRNG so every run feeds the same inputs.

/** mulberry32: small, fast, good enough to vary inputs; deterministic from its seed. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = [
  'resourceType',
  'id',
  'meta',
  'extension',
  'url',
  'value',
  'valueString',
  'coding',
  'system',
  'code',
  'identifier',
  'reference',
  'contained',
  'entry',
  'resource',
  '_birthDate',
  'birthDate',
  'text',
  'div',
  'status',
  'profile',
  'fullUrl',
  '__proto__',
  'constructor',
  '',
];
const STRINGS = [
  '',
  ' ',
  'Patient',
  'Bundle',
  'Flag',
  'Observation',
  '#',
  '#x',
  'urn:uuid:1',
  'Patient/1',
  '2020-13-45',
  '2020-01-01',
  '<div>x</div>',
  '\u0000',
  'é',
  'x'.repeat(2000),
];

export function randomJson(random: () => number, depth = 0): unknown {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const roll = random();
  if (depth > 5 || roll < 0.3) {
    const leaf = random();
    if (leaf < 0.2) return pick(STRINGS);
    if (leaf < 0.35) return pick([0, -0, 1, -1, 1.5, 2147483648, Number.MAX_SAFE_INTEGER, NaN, Infinity, -Infinity]);
    if (leaf < 0.5) return random() < 0.5;
    if (leaf < 0.6) return null;
    if (leaf < 0.65) return undefined;
    return `s${Math.floor(random() * 1000)}`;
  }
  if (roll < 0.55) return Array.from({ length: Math.floor(random() * 4) }, () => randomJson(random, depth + 1));
  const object: Record<string, unknown> = {};
  for (let count = Math.floor(random() * 5); count > 0; count--) object[pick(KEYS)] = randomJson(random, depth + 1);
  if (depth === 0 && random() < 0.7)
    object['resourceType'] = pick(['Patient', 'Bundle', 'Flag', 'Observation', 'Consent', 'Nope', 7]);
  return object;
}

/** A copy of `value` with a few random changes: a node replaced, removed, wrapped in an array or unwrapped. */
export function mutateJson(value: unknown, random: () => number): unknown {
  const copy = JSON.parse(JSON.stringify(value)) as unknown;
  const nodes: { holder: Record<string | number, unknown>; key: string | number }[] = [];
  const collect = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach((item, index) => {
        nodes.push({ holder: node as unknown as Record<number, unknown>, key: index });
        collect(item);
      });
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, item] of Object.entries(node)) {
        nodes.push({ holder: node as Record<string, unknown>, key });
        collect(item);
      }
    }
  };
  collect(copy);
  for (let changes = 1 + Math.floor(random() * 3); changes > 0 && nodes.length > 0; changes--) {
    const { holder, key } = nodes[Math.floor(random() * nodes.length)]!;
    const action = random();
    if (action < 0.35) holder[key] = randomJson(random, 3);
    else if (action < 0.55) delete holder[key];
    else if (action < 0.75) holder[key] = [holder[key]];
    else if (action < 0.9)
      holder[key] = Array.isArray(holder[key]) ? (holder[key] as unknown[])[0] : { value: holder[key] };
    else if (typeof key === 'string') holder[`_${key}`] = randomJson(random, 4);
  }
  return copy;
}
