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
  | 'INDEX_MISMATCH'
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
    const offset = findJsonErrorOffset(text);
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    const reason = message.replace(/ in JSON at position \d+.*$/, '').replace(/, "[\s\S]*" is not valid JSON$/, '');
    throw new SpecError('JSON_MALFORMED', place, `malformed JSON at line ${line} column ${column}: ${reason}`);
  }
}

/**
 * The offset of the first syntax error in `text` (Node 20's JSON.parse does not always say where).
 * Runs only after JSON.parse has failed, so it favours brevity over speed.
 */
export function findJsonErrorOffset(text: string): number {
  let at = 0;
  const fail = (): never => {
    throw at;
  };
  const space = (): void => {
    while (at < text.length && ' \t\n\r'.includes(text[at]!)) at++;
  };
  const literal = (word: string): void => {
    for (const char of word) {
      if (text[at++] !== char) {
        at--;
        fail();
      }
    }
  };
  const string = (): void => {
    at++;
    while (text[at] !== '"') {
      if (at >= text.length || text.charCodeAt(at) < 0x20) fail();
      at += text[at] === '\\' ? 2 : 1;
    }
    at++;
  };
  const number = (): void => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(at));
    if (match === null) fail();
    at += match![0].length;
  };
  const value = (): void => {
    space();
    const char = text[at];
    if (char === '{') {
      at++;
      space();
      if (text[at] === '}') return void at++;
      for (;;) {
        space();
        if (text[at] !== '"') fail();
        string();
        space();
        if (text[at] !== ':') fail();
        at++;
        value();
        space();
        if (text[at] === ',') at++;
        else if (text[at] === '}') return void at++;
        else fail();
      }
    } else if (char === '[') {
      at++;
      space();
      if (text[at] === ']') return void at++;
      for (;;) {
        value();
        space();
        if (text[at] === ',') at++;
        else if (text[at] === ']') return void at++;
        else fail();
      }
    } else if (char === '"') string();
    else if (char === 't') literal('true');
    else if (char === 'f') literal('false');
    else if (char === 'n') literal('null');
    else number();
  };
  try {
    value();
    space();
    return Math.min(at, text.length);
  } catch (offset) {
    return typeof offset === 'number' ? Math.min(offset, text.length) : 0;
  }
}
