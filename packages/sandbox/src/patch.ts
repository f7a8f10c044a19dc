/** A JSON Patch (RFC 6902) that cannot be applied: the sandbox answers 400. */
export class PatchError extends Error {
  override readonly name = 'PatchError';
}

type Container = Record<string, unknown> | unknown[];

function tokens(pointer: unknown, where: string): string[] {
  if (typeof pointer !== 'string' || (pointer !== '' && !pointer.startsWith('/')))
    throw new PatchError(`${where}: path must be a JSON pointer`);
  if (pointer === '') throw new PatchError(`${where}: cannot replace the whole resource`);
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: unknown, path: string[], where: string): [Container, string] {
  let node: unknown = doc;
  for (const token of path.slice(0, -1)) {
    node = Array.isArray(node) ? node[Number(token)] : (node as Record<string, unknown> | null)?.[token];
    if (typeof node !== 'object' || node === null) throw new PatchError(`${where}: no such path`);
  }
  return [node as Container, path[path.length - 1] as string];
}

function index(array: unknown[], token: string, where: string, forAdd: boolean): number {
  if (forAdd && token === '-') return array.length;
  const i = /^(0|[1-9]\d*)$/.test(token) ? Number(token) : Number.NaN;
  if (!(i >= 0 && i < array.length + (forAdd ? 1 : 0))) throw new PatchError(`${where}: index ${token} out of range`);
  return i;
}

function get(doc: unknown, path: string[], where: string): unknown {
  const [parent, key] = parentOf(doc, path, where);
  const value = Array.isArray(parent) ? parent[index(parent, key, where, false)] : parent[key];
  if (value === undefined) throw new PatchError(`${where}: no such path`);
  return value;
}

function add(doc: unknown, path: string[], value: unknown, where: string): void {
  const [parent, key] = parentOf(doc, path, where);
  if (Array.isArray(parent)) parent.splice(index(parent, key, where, true), 0, value);
  else parent[key] = value;
}

function remove(doc: unknown, path: string[], where: string): unknown {
  const value = get(doc, path, where);
  const [parent, key] = parentOf(doc, path, where);
  if (Array.isArray(parent)) parent.splice(index(parent, key, where, false), 1);
  else delete parent[key];
  return value;
}

/** Applies a JSON Patch to a copy of `doc`: an array of operations, or PDS's `{ patches: [...] }`. */
export function applyJsonPatch(doc: unknown, patch: unknown): unknown {
  const operations = Array.isArray(patch) ? patch : (patch as { patches?: unknown } | null)?.patches;
  if (!Array.isArray(operations) || operations.length === 0)
    throw new PatchError('the body must be a JSON Patch: an array of operations (or { "patches": [...] })');
  const result = structuredClone(doc);
  operations.forEach((operation: unknown, i) => {
    const where = `patch[${i}]`;
    const { op, path, value, from } = (operation ?? {}) as Record<string, unknown>;
    const at = tokens(path, where);
    switch (op) {
      case 'add':
        add(result, at, structuredClone(value), where);
        break;
      case 'remove':
        remove(result, at, where);
        break;
      case 'replace':
        get(result, at, where);
        remove(result, at, where);
        add(result, at, structuredClone(value), where);
        break;
      case 'test':
        if (JSON.stringify(get(result, at, where)) !== JSON.stringify(value))
          throw new PatchError(`${where}: test failed at ${String(path)}`);
        break;
      case 'move':
        add(result, at, remove(result, tokens(from, where), where), where);
        break;
      case 'copy':
        add(result, at, structuredClone(get(result, tokens(from, where), where)), where);
        break;
      default:
        throw new PatchError(`${where}: unknown op ${JSON.stringify(op)}`);
    }
  });
  return result;
}
