/** Where in the input a model or emit failure sits: the package, the file, the element path. */
export interface CodegenPlace {
  input?: string;
  file?: string;
  element?: string;
}

export type CodegenErrorCode =
  | 'SNAPSHOT_MISSING'
  | 'ELEMENT_INVALID'
  | 'TYPE_UNKNOWN'
  | 'REF_UNRESOLVED'
  | 'NAME_CLASH'
  | 'NO_TYPES'
  /** Base validator tables that cannot be read, or are for another FHIR release. */
  | 'BASE_TABLES_INVALID';

/**
 * One line that names the input, the file and the element, e.g. `hl7.fhir.r4.core#4.0.1:
 * package/StructureDefinition-Patient.json: element Patient.name: ...`.
 */
export class CodegenError extends Error {
  override readonly name = 'CodegenError';
  readonly code: CodegenErrorCode;
  readonly place: CodegenPlace;

  constructor(code: CodegenErrorCode, place: CodegenPlace, detail: string) {
    const where = [
      place.input,
      place.file,
      place.element === undefined ? undefined : `element ${place.element}`,
    ].filter((part) => part !== undefined && part !== '');
    super(`${where.join(': ')}${where.length > 0 ? ': ' : ''}${detail}`.replace(/\s*\n\s*/g, ' '));
    this.code = code;
    this.place = place;
  }
}
