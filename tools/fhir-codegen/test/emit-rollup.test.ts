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

describe('rollupDeclarations', () => {
  test.each<[string, { given: Record<string, string>; want: string }]>([
    [
      'files in re-export order, TSDoc kept, imports between them and source maps dropped',
      {
        given: {
          'index.d.ts': "export * from './B.js';\nexport * from './A.js';\n//# sourceMappingURL=index.d.ts.map",
          'A.d.ts':
            "import type { B } from './index.js';\n/** An A */\nexport interface A extends B {\n    a?: string;\n}\n//# sourceMappingURL=A.d.ts.map",
          'B.d.ts':
            "import type { A } from './index.js';\n/** A B */\nexport interface B {\n    other?: A;\n}\n/** True for a B. */\nexport declare function isB(value: unknown): value is B;\n",
        },
        want: `${HEADER}\n/** A B */\nexport interface B {\n    other?: A;\n}\n/** An A */\nexport interface A extends B {\n    a?: string;\n}\n/** True for a B. */\nexport declare function isB(value: unknown): value is B;\n`,
      },
    ],
    [
      'statements grouped by kind, each group in source order: type aliases, interfaces, then values',
      {
        given: {
          'index.d.ts': "export * from './A.js';\nexport * from './B.js';\nexport declare const version = \"1\";",
          'A.d.ts':
            "export declare function isA(value: unknown): value is A;\nexport interface A {\n    b?: BName;\n}\nexport type AName = 'A';",
          'B.d.ts':
            "import type { A } from './A.js';\nexport type BName = 'B';\nexport declare function isB(value: unknown): value is B;\nexport interface B extends A {\n}",
        },
        want: `${HEADER}\nexport type AName = 'A';\nexport type BName = 'B';\nexport interface A {\n    b?: BName;\n}\nexport interface B extends A {\n}\nexport declare function isA(value: unknown): value is A;\nexport declare function isB(value: unknown): value is B;\nexport declare const version = "1";\n`,
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
            "rollup-declarations: index.d.ts: only `export * from './file.js'` can be rolled up, not \"export { A } from './A.js';\"",
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
