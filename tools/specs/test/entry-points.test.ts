import { readFile, readdir } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as main from '../src/index.js';
import * as testing from '../src/testing/index.js';

const src = join(import.meta.dirname, '..', 'src');

describe('entry points: the test support is @nhs-fhir/specs/testing only', () => {
  it('the main entry exports none of it', () => {
    expect(Object.keys(testing).length).toBeGreaterThan(0);
    expect(Object.keys(testing).filter((name) => name in main)).toEqual([]);
  });

  it('no module outside src/testing imports it', async () => {
    const modules = (await readdir(src, { recursive: true })).filter(
      (file) => file.endsWith('.ts') && !file.startsWith(`testing${sep}`),
    );
    expect(modules).toContain('index.ts');
    const importing: string[] = [];
    for (const file of modules)
      if (/from '(\.\/|(\.\.\/)+)testing\//.test(await readFile(join(src, file), 'utf8'))) importing.push(file);
    expect(importing).toEqual([]);
  });
});
