import { posix } from 'node:path';
import { isRecord, type OpenApiFileSet, resolvePointer, SpecError } from '@nhs-fhir/specs';

/** Keys under which a value is a JSON Schema. */
const SCHEMA_KEYS = new Set(['schema', 'items', 'not', 'additionalProperties']);
const SCHEMA_LIST_KEYS = new Set(['allOf', 'oneOf', 'anyOf']);
/** Keys whose value is literal data, where a `$ref` is inlined as data. */
const LITERAL_KEYS = new Set(['example', 'examples', 'value', 'default', 'enum']);

type Context = 'document' | 'schema' | 'literal';

/**
 * Turns a description split over files (with remote `$ref`s mapped to their pinned copies) into one
 * self-contained document, as `redocly bundle` does: a schema that lives in another file is moved to
 * `components.schemas` under its file's name and referred to there (so recursive schemas stay
 * finite); every other reference (path items, operations, parameters, examples) is inlined. Tools
 * that cannot read split or remote files (openapi-typescript's input, Prism) read the result.
 */
export function bundleOpenApi(set: OpenApiFileSet): Record<string, unknown> {
  const root = set.documents.get(set.root);
  if (!isRecord(root)) {
    throw new SpecError('JSON_MALFORMED', { input: set.input, file: set.root }, 'the root is not an object');
  }
  const hoisted = new Map<string, string>();
  const schemas: Record<string, unknown> = {};
  const rootSchemas =
    isRecord(root['components']) && isRecord(root['components']['schemas']) ? root['components']['schemas'] : {};
  const taken = new Set(Object.keys(rootSchemas));

  const nameFor = (file: string, pointer: string): string => {
    const base = posix.basename(file).replace(/\.(ya?ml|json)$/, '');
    const tail = pointer.split('/').filter(Boolean).pop();
    const raw =
      tail && tail !== 'schema' ? (pointer.includes('/components/schemas/') ? tail : `${base}_${tail}`) : base;
    const clean = raw.replace(/[^A-Za-z0-9_]/g, '_') || 'Schema';
    let name = clean;
    for (let n = 2; taken.has(name); n++) name = `${clean}${n}`;
    taken.add(name);
    return name;
  };

  const target = (ref: string, file: string): { file: string; pointer: string } => {
    const hash = ref.indexOf('#');
    const location = hash === -1 ? ref : ref.slice(0, hash);
    const pointer = hash === -1 ? '' : ref.slice(hash + 1);
    if (location === '') return { file, pointer };
    if (/^https?:\/\//.test(location)) {
      const pinned = set.remoteRefs[location];
      if (pinned === undefined) {
        throw new SpecError(
          'REF_UNRESOLVED',
          { input: set.input, file },
          `remote $ref '${location}' has no pinned copy`,
        );
      }
      return { file: posix.normalize(pinned), pointer };
    }
    return { file: posix.normalize(posix.join(posix.dirname(file), decodeURI(location))), pointer };
  };

  const resolve = (at: { file: string; pointer: string }, from: string): unknown => {
    const node = resolvePointer(set.documents.get(at.file), at.pointer);
    if (node === undefined) {
      throw new SpecError(
        'REF_UNRESOLVED',
        { input: set.input, file: from },
        `$ref ${at.file}#${at.pointer} points at nothing`,
      );
    }
    return node;
  };

  const walk = (node: unknown, file: string, context: Context, depth: number): unknown => {
    if (depth > 200) throw new SpecError('REF_UNRESOLVED', { input: set.input, file }, 'references nest too deeply');
    if (Array.isArray(node)) return node.map((item) => walk(item, file, context, depth + 1));
    if (!isRecord(node)) return node;
    const ref = node['$ref'];
    if (typeof ref === 'string') {
      const at = target(ref, file);
      if (context === 'schema') {
        if (at.file === set.root && at.pointer.startsWith('/components/schemas/')) return { $ref: `#${at.pointer}` };
        const key = `${at.file}#${at.pointer}`;
        let name = hoisted.get(key);
        if (name === undefined) {
          name = nameFor(at.file, at.pointer);
          hoisted.set(key, name);
          schemas[name] = walk(resolve(at, file), at.file, 'schema', depth + 1);
        }
        return { $ref: `#/components/schemas/${name}` };
      }
      return walk(resolve(at, file), at.file, context, depth + 1);
    }
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      let inner: Context = context;
      if (context !== 'literal') {
        if (LITERAL_KEYS.has(key) && (context === 'schema' || key !== 'value')) inner = 'literal';
        else if (
          SCHEMA_KEYS.has(key) ||
          (context === 'schema' && (key === 'properties' || SCHEMA_LIST_KEYS.has(key)))
        ) {
          inner = 'schema';
        }
      }
      // `properties` maps names to schemas, and `components.schemas` names to schemas.
      out[key] =
        context === 'schema' && key === 'properties' && isRecord(value)
          ? Object.fromEntries(
              Object.entries(value).map(([name, schema]) => [name, walk(schema, file, 'schema', depth + 1)]),
            )
          : walk(value, file, inner, depth + 1);
    }
    return out;
  };

  const { components, ...rest } = root;
  const bundled = walk(rest, set.root, 'document', 0) as Record<string, unknown>;
  const otherComponents = isRecord(components) ? { ...components } : {};
  delete otherComponents['schemas'];
  const walkedComponents = walk(otherComponents, set.root, 'document', 0) as Record<string, unknown>;
  const walkedRootSchemas = Object.fromEntries(
    Object.entries(rootSchemas).map(([name, schema]) => [name, walk(schema, set.root, 'schema', 0)]),
  );
  return { ...bundled, components: { ...walkedComponents, schemas: { ...walkedRootSchemas, ...schemas } } };
}
