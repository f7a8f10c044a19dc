import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { createValidator } from '../src/index.js';
import { fixtureTables } from './fixture-tables.js';

// The README's example, run as written (its import replaced by the module under test, its tables by the hand-written
// ones).
test('the README example prints what its comment says', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(code).toBeDefined();
  const body = code!.replace(/^import .*\n/m, '');
  const printed: unknown[] = [];
  new Function('createValidator', 'tables', 'console', body)(createValidator, fixtureTables, {
    log: (value: unknown) => printed.push(value),
  });
  const expected = /\/\/ (\[.*\])\s*$/m.exec(code!)?.[1];
  expect(printed).toEqual([JSON.parse(expected!.replace(/'/g, '"'))]);
});
