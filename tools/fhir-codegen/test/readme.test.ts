import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';

const packageDir = join(import.meta.dirname, '..');

test('the README opens with an example that runs against the real specs', async () => {
  const readme = await readFile(join(packageDir, 'README.md'), 'utf8');
  const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(example?.split('\n').filter((line) => line.trim() !== '').length).toBeLessThanOrEqual(5);
  // The example is plain JavaScript as well as TypeScript, so node runs it as written.
  const script = join(packageDir, `.readme-example-${process.pid}.mjs`);
  await writeFile(script, example!);
  try {
    // Nx sets FORCE_COLOR, which would colour the numbers console.log prints.
    const { FORCE_COLOR: _forced, ...env } = process.env;
    const { stdout } = await promisify(execFile)(process.execPath, [script], {
      cwd: packageDir,
      env: { ...env, NO_COLOR: '1' },
    });
    expect(stdout).toContain('fhir.r4.ukcore.stu3.currentbuild#0.22.0-pre-release 70 83\n');
    expect(stdout).toContain('nhsconnect.stu3.rarecord#0.0.0-develop.4543c05 6 6\n');
  } finally {
    await rm(script, { force: true });
  }
}, 60_000);
