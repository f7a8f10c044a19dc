/**
 * PDS's JSON Patch, with its rules built in [PDS-PATCH]: the body is `{ "patches": [...] }`, not a
 * bare RFC 6902 array; a list item is added at index `-` and without an `id`; removing an item is
 * preceded immediately by a `test` of its `id` (its `url` for an extension, else the whole item);
 * removals run from the highest index down, after every `replace` (which uses the indexes as read)
 * and before every addition (which appends).
 */

/** What PDS's description allows as a patch value: a string, an integer or an object. */
export type PatchValue = string | number | Record<string, unknown>;

/** One operation of a PDS patch (RFC 6902 `add`, `replace`, `remove` or `test`), at a JSON pointer `path`. */
export type PatchOperation =
  | { op: 'add'; path: string; value: PatchValue }
  | { op: 'replace'; path: string; value: PatchValue }
  | { op: 'remove'; path: string }
  | { op: 'test'; path: string; value: PatchValue };

/** The body `updatePatientPartial` sends. */
export interface PdsPatchBody {
  patches: PatchOperation[];
}

/** Thrown by PatientPatchBuilder (before anything is sent) for a change PDS would refuse or a malformed path. */
export class PdsPatchError extends Error {
  constructor(
    /** The JSON pointer of the change at fault. */
    readonly path: string,
    message: string,
  ) {
    super(`PDS patch ${path}: ${message}`);
    this.name = 'PdsPatchError';
  }
}

interface Removal {
  list: string;
  index: number;
  item: PatchValue;
}

/**
 * Builds a PDS patch in the order PDS needs:
 * `patientPatch().replace('/gender', 'female').remove('/name', 1, patient.name[1]).append('/telecom', phone).build()`.
 */
export class PatientPatchBuilder {
  readonly #replacements: PatchOperation[] = [];
  readonly #removals: Removal[] = [];
  readonly #additions: PatchOperation[] = [];

  /** Sets a value that is there already (`/gender`, `/name/0/family`). */
  replace(path: string, value: PatchValue): this {
    checkPointer(path);
    this.#replacements.push({ op: 'replace', path, value });
    return this;
  }

  /** Sets a field that is not there yet (`/birthDate`); to add a list item use `append`. */
  add(path: string, value: PatchValue): this {
    checkPointer(path);
    if (/\/(\d+|-)$/.test(path)) throw new PdsPatchError(path, 'add a list item with append(listPath, item)');
    this.#additions.push({ op: 'add', path, value });
    return this;
  }

  /** Adds an item at the end of a list (`/name`): sent as `add` at `/name/-`, and refused if it has an `id`. */
  append(listPath: string, item: Record<string, unknown>): this {
    checkPointer(listPath);
    if ('id' in item) {
      throw new PdsPatchError(listPath, 'a new item must not carry an id (PDS assigns it)');
    }
    this.#additions.push({ op: 'add', path: `${listPath}/-`, value: item });
    return this;
  }

  /** Removes the item at `index` of a list, as read: `item` is what is there now, for the `test` before it. */
  remove(listPath: string, index: number, item: PatchValue): this {
    checkPointer(listPath);
    if (!Number.isInteger(index) || index < 0) throw new PdsPatchError(listPath, `index ${index} is not a list index`);
    if (item === undefined) throw new PdsPatchError(listPath, 'give the item being removed, for its test');
    if (this.#removals.some((removal) => removal.list === listPath && removal.index === index)) {
      throw new PdsPatchError(`${listPath}/${index}`, 'removed twice');
    }
    this.#removals.push({ list: listPath, index, item });
    return this;
  }

  /**
   * The body for `updatePatientPartial`, its operations in the order PDS needs: every `replace`, then each removal
   * (its `test`, then the `remove`) from the highest index down, then every addition.
   */
  build(): PdsPatchBody {
    const removals = [...this.#removals]
      .sort((a, b) => (a.list === b.list ? b.index - a.index : a.list.localeCompare(b.list)))
      .flatMap(({ list, index, item }) => [
        testOf(`${list}/${index}`, item),
        { op: 'remove' as const, path: `${list}/${index}` },
      ]);
    return { patches: [...this.#replacements, ...removals, ...this.#additions] };
  }
}

/**
 * Starts a PDS patch. Each builder method checks its path and throws PdsPatchError for a change PDS would refuse.
 *
 * @example
 * ```ts
 * const patient = await pds.getPatient({ id: '9000000009' });
 * const body = patientPatch().replace('/gender', 'female').remove('/name', 1, patient.name![1]).build();
 * await pds.updatePatientPartial({ id: patient.id!, body }); // If-Match: the ETag of the last read
 * ```
 */
export function patientPatch(): PatientPatchBuilder {
  return new PatientPatchBuilder();
}

/** The `test` that must come right before removing `item` at `path`: its id, else its url, else the whole item. */
function testOf(path: string, item: PatchValue): PatchOperation {
  if (typeof item === 'object' && item !== null) {
    const { id, url } = item as { id?: unknown; url?: unknown };
    if (typeof id === 'string') return { op: 'test', path: `${path}/id`, value: id };
    if (typeof url === 'string') return { op: 'test', path: `${path}/url`, value: url };
  }
  return { op: 'test', path, value: item };
}

function checkPointer(path: string): void {
  if (!/^(\/[^/]+)+$/.test(path))
    throw new PdsPatchError(path, 'expected a JSON pointer such as /name or /name/0/given');
}
