// The API reference of @nhs-fhir/cli builds with TypeDoc's validation on and warnings as errors (typedoc.json):
// an export without a doc comment, or a link to something not documented, fails this test. `npm run docs`
// writes the reference of every package; this runs only the check, for one hand-written package.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';

const packageRoot = join(import.meta.dirname, '..');
// typedoc's exports hide its bin; its package.json names it.
const typedocPackage = createRequire(import.meta.url).resolve('typedoc/package.json');
const typedoc = join(dirname(typedocPackage), 'bin', 'typedoc');

test('every export is documented: TypeDoc with warnings as errors reports nothing', async () => {
  const { stdout, stderr } = await promisify(execFile)(
    process.execPath,
    [typedoc, '--options', 'typedoc.json', '--emit', 'none', '--logLevel', 'Warn'],
    { cwd: packageRoot },
  ).catch((error: { stdout: string; stderr: string }) => {
    throw new Error(`TypeDoc failed on @nhs-fhir/cli:\n${error.stdout}${error.stderr}`);
  });
  expect(`${stdout}${stderr}`).toBe('');
}, 120_000);
