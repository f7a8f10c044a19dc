import { describe, expect, test } from 'vitest';
import { SpecError, findJsonErrorOffset, parseJsonText } from '../src/errors.js';

describe('parseJsonText', () => {
  const cases: Array<[string, { given: string; want: string }]> = [
    ['missing value', { given: '{\n  "a": }', want: 'x.json: malformed JSON at line 2 column 8' }],
    ['trailing comma in array', { given: '[1,\n 2,\n]', want: 'x.json: malformed JSON at line 3 column 1' }],
    ['unterminated string', { given: '{"a": "b', want: 'x.json: malformed JSON at line 1 column 9' }],
    ['bad literal', { given: '{"a": tru}', want: 'x.json: malformed JSON at line 1 column 10' }],
    ['text after the value', { given: '{} {}', want: 'x.json: malformed JSON at line 1 column 4' }],
    ['empty file', { given: '', want: 'x.json: malformed JSON at line 1 column 1' }],
  ];
  test.each(cases)('%s', (_title, { given, want }) => {
    expect(() => parseJsonText(given, { file: 'x.json' })).toThrow(SpecError);
    try {
      parseJsonText(given, { file: 'x.json' });
    } catch (error) {
      expect((error as SpecError).message.startsWith(want)).toBe(true);
      expect((error as SpecError).code).toBe('JSON_MALFORMED');
    }
  });

  test('valid JSON parses, and the offset finder agrees it is whole', () => {
    const text = '{"a": [1, -2.5e3, true, null, "x\\"y"], "b": {}}';
    expect(parseJsonText(text, { file: 'x.json' })).toEqual({ a: [1, -2500, true, null, 'x"y'], b: {} });
    expect(findJsonErrorOffset(text)).toBe(text.length);
  });
});

describe('SpecError', () => {
  test('is one line naming input, file and JSON path, with a stable code', () => {
    const error = new SpecError(
      'REF_UNRESOLVED',
      { input: 'openapi:x#1', file: 'a.yaml', jsonPath: '$.paths./x.$ref' },
      'points\nat nothing',
    );
    expect(error.message).toBe('openapi:x#1: a.yaml: $.paths./x.$ref: points at nothing');
    expect(error).toMatchObject({
      code: 'REF_UNRESOLVED',
      input: 'openapi:x#1',
      file: 'a.yaml',
      jsonPath: '$.paths./x.$ref',
    });
  });
});
