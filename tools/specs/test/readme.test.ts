import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';

const packageDir = join(import.meta.dirname, '..');

test('the README opens with an example that runs against the real workspace', async () => {
  const readme = await readFile(join(packageDir, 'README.md'), 'utf8');
  const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(example?.split('\n').filter((line) => line.trim() !== '').length).toBeLessThanOrEqual(5);
  // The example is plain JavaScript as well as TypeScript, so node runs it as written.
  const script = join(packageDir, `.readme-example-${process.pid}.mjs`);
  await writeFile(script, example!);
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [script], { cwd: packageDir });
    expect(stdout).toMatch(/^hl7\.fhir\.r4\.core#4\.0\.1 (cached|fetched) mirror$/m);
    expect(stdout).toMatch(/^openapi:personal-demographics-service#f57f5839 (cached|fetched) mirror$/m);
  } finally {
    await rm(script, { force: true });
  }
});
