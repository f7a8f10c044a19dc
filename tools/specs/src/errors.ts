/**
 * Every failure of the spec pipeline is a SpecError: one line that names the input, the file and,
 * where it applies, the JSON path, so a reader can go straight to the place.
 */
export type SpecErrorCode =
  | 'MANIFEST_INVALID'
  | 'INPUT_NOT_FOUND'
  | 'DEPENDENCY_MISSING'
  | 'HASH_MISMATCH'
  | 'NOT_PINNED'
  | 'JSON_MALFORMED'
  | 'YAML_MALFORMED'
  | 'RESOURCE_TYPE_MISSING'
  | 'REF_UNRESOLVED'
  | 'FETCH_FAILED'
  | 'FHIR_VERSION_MISMATCH';

export interface SpecErrorPlace {
  /** The input as the manifest names it, e.g. `uk.nhsengland.r4#0.0.1` or `openapi:personal-demographics-service`. */
  input?: string;
  /** The file, relative to the input's root where possible. */
  file?: string;
  /** A JSON path inside the file, e.g. `$.paths./Patient.get.responses.200`. */
  jsonPath?: string;
}

export class SpecError extends Error {
  override readonly name = 'SpecError';
  readonly code: SpecErrorCode;
  readonly input: string | undefined;
  readonly file: string | undefined;
  readonly jsonPath: string | undefined;

  constructor(code: SpecErrorCode, place: SpecErrorPlace, detail: string) {
    super(formatSpecMessage(place, detail));
    this.code = code;
    this.input = place.input;
    this.file = place.file;
    this.jsonPath = place.jsonPath;
  }
}

function formatSpecMessage(place: SpecErrorPlace, detail: string): string {
  const where = [place.input, place.file, place.jsonPath].filter((part) => part !== undefined && part !== '');
  return `${where.join(': ')}${where.length > 0 ? ': ' : ''}${detail}`.replace(/\s*\n\s*/g, ' ');
}

/** Parses JSON text, turning a syntax error into a SpecError with line and column. */
export function parseJsonText(text: string, place: SpecErrorPlace): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message);
    let at = '';
    if (position?.[1] !== undefined) {
      const offset = Number(position[1]);
      const before = text.slice(0, offset);
      const line = before.split('\n').length;
      const column = offset - before.lastIndexOf('\n');
      at = ` at line ${line} column ${column}`;
    }
    const reason = message.replace(/ in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)$/, '');
    throw new SpecError('JSON_MALFORMED', place, `malformed JSON${at}: ${reason}`);
  }
}
