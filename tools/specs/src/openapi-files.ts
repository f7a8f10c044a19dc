import { posix } from 'node:path';
import { parseDocument } from 'yaml';
import { SpecError, parseJsonText } from './errors.js';
import { isRecord, openApiKey, type OpenApiInput } from './manifest.js';

/** Reads one file of an OpenAPI description by its path relative to the input's root folder. */
export type OpenApiFileReader = (relativePath: string, remoteUrl?: string) => Promise<Buffer | undefined>;

/** An OpenAPI description split over files, every `$ref` between them checked. */
export interface OpenApiFileSet {
  input: string;
  root: string;
  /** Relative path -> the file's bytes, exactly as read. */
  bytes: Map<string, Buffer>;
  /** Relative path -> the parsed document. */
  documents: Map<string, unknown>;
  /** Remote `$ref` URL -> the relative path of its pinned copy. */
  remoteRefs: Record<string, string>;
}

interface RefSite {
  file: string;
  jsonPath: string;
  target: string;
  pointer: string;
}

/**
 * Collects every file reachable from the root through `$ref`s, mapping remote URLs to their pinned
 * copies, and checks that each reference lands on something. Fails on the first reference that
 * resolves nowhere, naming the file and the JSON path of the `$ref`.
 */
export async function collectOpenApiFiles(input: OpenApiInput, read: OpenApiFileReader): Promise<OpenApiFileSet> {
  const key = openApiKey(input);
  const set: OpenApiFileSet = {
    input: key,
    root: posix.normalize(input.root),
    bytes: new Map(),
    documents: new Map(),
    remoteRefs: input.remoteRefs ?? {},
  };
  const sites: RefSite[] = [];
  const queue: Array<{ file: string; remoteUrl?: string; from?: RefSite }> = [{ file: posix.normalize(input.root) }];
  // A file fetched from a remote URL resolves its own relative references against that URL.
  const remoteOrigin = new Map<string, string>();
  while (queue.length > 0) {
    const next = queue.shift()!;
    if (set.bytes.has(next.file)) continue;
    const bytes = await read(next.file, next.remoteUrl);
    if (bytes === undefined) {
      const place =
        next.from === undefined
          ? { input: key, file: next.file }
          : { input: key, file: next.from.file, jsonPath: next.from.jsonPath };
      const what =
        next.from === undefined
          ? 'root document not found'
          : `$ref '${next.from.target}' resolves to no file (${next.file})`;
      throw new SpecError(next.from === undefined ? 'INPUT_NOT_FOUND' : 'REF_UNRESOLVED', place, what);
    }
    const document = parseSpecDocument(bytes.toString('utf8'), { input: key, file: next.file });
    set.bytes.set(next.file, bytes);
    if (next.remoteUrl !== undefined) remoteOrigin.set(next.file, next.remoteUrl);
    set.documents.set(next.file, document);
    for (const site of findRefs(document, next.file)) {
      sites.push(site);
      if (site.target === '') continue;
      const mapped = mapRefTarget(input, site, key, remoteOrigin.get(next.file));
      site.target = mapped.file;
      queue.push({
        file: mapped.file,
        ...(mapped.remoteUrl !== undefined ? { remoteUrl: mapped.remoteUrl } : {}),
        from: { ...site, target: mapped.original },
      });
    }
  }
  for (const site of sites) {
    const file = site.target === '' ? site.file : site.target;
    if (resolvePointer(set.documents.get(file), site.pointer) === undefined) {
      throw new SpecError(
        'REF_UNRESOLVED',
        { input: key, file: site.file, jsonPath: site.jsonPath },
        `$ref '${site.target === '' ? '' : file}#${site.pointer}' points at nothing`,
      );
    }
  }
  return set;
}

function mapRefTarget(
  input: OpenApiInput,
  site: RefSite,
  key: string,
  parentUrl: string | undefined,
): { file: string; original: string; remoteUrl?: string } {
  const original = site.target;
  if (/^https?:\/\//.test(original)) {
    const pinned = input.remoteRefs?.[original];
    if (pinned === undefined) {
      throw new SpecError(
        'REF_UNRESOLVED',
        { input: key, file: site.file, jsonPath: site.jsonPath },
        `remote $ref '${original}' has no pinned copy (add it to remoteRefs in specs.json)`,
      );
    }
    return { file: posix.normalize(pinned), original, remoteUrl: original };
  }
  const file = posix.normalize(posix.join(posix.dirname(site.file), decodeURI(original)));
  if (file.startsWith('../')) {
    throw new SpecError(
      'REF_UNRESOLVED',
      { input: key, file: site.file, jsonPath: site.jsonPath },
      `$ref '${original}' leaves the description's folder`,
    );
  }
  return parentUrl === undefined
    ? { file, original }
    : { file, original, remoteUrl: new URL(original, parentUrl).href };
}

/** Parses a YAML or JSON document, with the line and column of a syntax error. */
export function parseSpecDocument(text: string, place: { input: string; file: string }): unknown {
  if (place.file.endsWith('.json')) return parseJsonText(text, place);
  const document = parseDocument(text, { uniqueKeys: false });
  const [error] = document.errors;
  if (error !== undefined) {
    const at = error.linePos?.[0] ? ` at line ${error.linePos[0].line} column ${error.linePos[0].col}` : '';
    throw new SpecError('YAML_MALFORMED', place, `malformed YAML${at}: ${error.message.split('\n')[0]}`);
  }
  return document.toJS();
}

function findRefs(node: unknown, file: string, jsonPath = '$', found: RefSite[] = []): RefSite[] {
  if (Array.isArray(node)) {
    node.forEach((item, index) => {
      findRefs(item, file, `${jsonPath}[${index}]`, found);
    });
  } else if (isRecord(node)) {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') {
        const hash = value.indexOf('#');
        found.push({
          file,
          jsonPath: `${jsonPath}.$ref`,
          target: hash === -1 ? value : value.slice(0, hash),
          pointer: hash === -1 ? '' : value.slice(hash + 1),
        });
      } else {
        findRefs(value, file, `${jsonPath}.${key}`, found);
      }
    }
  }
  return found;
}

/** Resolves a JSON pointer (`/components/schemas/Patient`) inside a document; '' is the whole document. */
export function resolvePointer(document: unknown, pointer: string): unknown {
  if (pointer === '' || pointer === '/') return document;
  let node = document;
  for (const raw of pointer.replace(/^\//, '').split('/')) {
    const token = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) node = node[Number(token)];
    else if (isRecord(node)) node = node[token];
    else return undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

/** Follows `$ref`s from `node` (found in `file`) until it reaches a value that is not a reference. */
export function dereference(set: OpenApiFileSet, node: unknown, file: string): { node: unknown; file: string } {
  let current = node;
  let currentFile = file;
  for (let hops = 0; isRecord(current) && typeof current['$ref'] === 'string'; hops++) {
    if (hops > 64) throw new SpecError('REF_UNRESOLVED', { input: set.input, file: currentFile }, 'a $ref chain loops');
    const ref = current['$ref'];
    const hash = ref.indexOf('#');
    const target = hash === -1 ? ref : ref.slice(0, hash);
    const pointer = hash === -1 ? '' : ref.slice(hash + 1);
    if (target !== '') {
      currentFile = /^https?:\/\//.test(target)
        ? posix.normalize(set.remoteRefs[target] ?? target)
        : posix.normalize(posix.join(posix.dirname(currentFile), decodeURI(target)));
    }
    current = resolvePointer(set.documents.get(currentFile), pointer);
  }
  return { node: current, file: currentFile };
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

export interface OpenApiOperation {
  method: string;
  path: string;
  operationId: string | undefined;
}

/** Lists the operations of a collected description (path items may live in other files). */
export function listOperations(set: OpenApiFileSet): OpenApiOperation[] {
  const root = set.documents.get(set.root);
  const paths = isRecord(root) && isRecord(root['paths']) ? root['paths'] : {};
  const operations: OpenApiOperation[] = [];
  for (const [path, item] of Object.entries(paths)) {
    const { node, file } = dereference(set, item, set.root);
    if (!isRecord(node)) continue;
    for (const method of HTTP_METHODS) {
      const operation = dereference(set, node[method], file).node;
      if (!isRecord(operation)) continue;
      operations.push({
        method: method.toUpperCase(),
        path,
        operationId: typeof operation['operationId'] === 'string' ? operation['operationId'] : undefined,
      });
    }
  }
  return operations;
}
