import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { rollupDeclarations, type RollupErrorCode } from '../src/emit/rollup-declarations.js';

const HEADER = '// rolled up';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rollup-declarations-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

async function rollup(files: Record<string, string>): Promise<string> {
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return rollupDeclarations(join(dir, 'index.d.ts'), HEADER);
}

/** A file's text, one argument per line. */
const lines = (...text: string[]): string => text.join('\n');

describe('rollupDeclarations', () => {
  test.each<[string, { given: Record<string, string>; want: string }]>([
    [
      'files in re-export order, TSDoc kept, imports between them and source maps dropped',
      {
        given: {
          'index.d.ts': "export * from './B.js';\nexport * from './A.js';\n//# sourceMappingURL=index.d.ts.map",
          'A.d.ts': lines(
            "import type { B } from './index.js';",
            '/** An A */',
            'export interface A extends B {',
            '    a?: string;',
            '}',
            '//# sourceMappingURL=A.d.ts.map',
          ),
          'B.d.ts': lines(
            "import type { A } from './index.js';",
            '/** A B */',
            'export interface B {',
            '    other?: A;',
            '}',
            '/** True for a B. */',
            'export declare function isB(value: unknown): value is B;',
            '',
          ),
        },
        want: lines(
          HEADER,
          '/** A B */',
          'export interface B {',
          '    other?: A;',
          '}',
          '/** An A */',
          'export interface A extends B {',
          '    a?: string;',
          '}',
          '/** True for a B. */',
          'export declare function isB(value: unknown): value is B;',
          '',
        ),
      },
    ],
    [
      'statements grouped by kind, each group in source order: type aliases, interfaces, then values',
      {
        given: {
          'index.d.ts': "export * from './A.js';\nexport * from './B.js';\nexport declare const version = \"1\";",
          'A.d.ts': lines(
            'export declare function isA(value: unknown): value is A;',
            'export interface A {',
            '    b?: BName;',
            '}',
            "export type AName = 'A';",
          ),
          'B.d.ts': lines(
            "import type { A } from './A.js';",
            "export type BName = 'B';",
            'export declare function isB(value: unknown): value is B;',
            'export interface B extends A {',
            '}',
          ),
        },
        want: lines(
          HEADER,
          "export type AName = 'A';",
          "export type BName = 'B';",
          'export interface A {',
          '    b?: BName;',
          '}',
          'export interface B extends A {',
          '}',
          'export declare function isA(value: unknown): value is A;',
          'export declare function isB(value: unknown): value is B;',
          'export declare const version = "1";',
          '',
        ),
      },
    ],
    [
      'a file re-exported twice, through nested indexes, appears once',
      {
        given: {
          'index.d.ts': "export * from './generated.js';\nexport * from './A.js';",
          'generated.d.ts': 'export * from \'./A.js\';\nexport declare const version = "1";',
          'A.d.ts': 'export type A = string;\nexport {};',
        },
        want: `${HEADER}\nexport type A = string;\nexport declare const version = "1";\n`,
      },
    ],
  ])('%s', async (_, { given, want }) => {
    expect(await rollup(given)).toBe(want);
  });

  test.each<[string, { given: Record<string, string>; want: { code: RollupErrorCode; message: string } }]>([
    [
      'an import from outside the package',
      {
        given: { 'index.d.ts': "import type { X } from 'other';\nexport type A = X;" },
        want: {
          code: 'ROLLUP_UNSUPPORTED',
          message: 'rollup-declarations: index.d.ts: import from other, outside the package',
        },
      },
    ],
    [
      'a named re-export',
      {
        given: { 'index.d.ts': "export { A } from './A.js';", 'A.d.ts': 'export type A = string;' },
        want: {
          code: 'ROLLUP_UNSUPPORTED',
          message:
            "rollup-declarations: index.d.ts: only `export * from './file.js'` can be rolled up, " +
            'not "export { A } from \'./A.js\';"',
        },
      },
    ],
    [
      'one name declared by two files',
      {
        given: {
          'index.d.ts': "export * from './A.js';\nexport * from './B.js';",
          'A.d.ts': 'export type A = string;',
          'B.d.ts': 'export interface A {}',
        },
        want: { code: 'ROLLUP_NAME_CLASH', message: 'rollup-declarations: B.d.ts: A is also declared in A.d.ts' },
      },
    ],
    [
      'an imported name that no file declares',
      {
        given: {
          'index.d.ts': "export * from './A.js';",
          'A.d.ts': "import type { Missing } from './index.js';\nexport type A = Missing;",
        },
        want: {
          code: 'ROLLUP_UNDECLARED',
          message: 'rollup-declarations: A.d.ts: imports Missing, which no file of the package declares',
        },
      },
    ],
  ])('fails on %s', async (_, { given, want }) => {
    await expect(rollup(given)).rejects.toMatchObject(want);
  });
});
