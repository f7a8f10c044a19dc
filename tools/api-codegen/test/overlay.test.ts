import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOverlay } from '../src/model/overlay.js';
import { OVERLAY } from './fixtures.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'overlay-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function read(content: unknown): Promise<unknown> {
  const file = join(dir, 'api.json');
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
  return readOverlay(file);
}

describe('readOverlay', () => {
  it('reads a valid overlay as it is', async () => {
    await expect(read(OVERLAY)).resolves.toEqual(OVERLAY);
  });

  it.each([
    { title: 'malformed JSON', content: '{"api": ', error: /api\.json.*malformed JSON/ },
    { title: 'no api name', content: { ...OVERLAY, api: '' }, error: /\$\.api: expected a non-empty string/ },
    { title: 'a FHIR version it does not know', content: { ...OVERLAY, fhirVersion: 'R5' }, error: /\$\.fhirVersion/ },
    {
      title: 'a plain-http base URL',
      content: { ...OVERLAY, environments: { int: 'http://int.example.org' } },
      error: /\$\.environments\.int: expected an https URL/,
    },
    {
      title: 'an unknown environment',
      content: { ...OVERLAY, environments: { dev: 'https://dev.example.org' } },
      error: /\$\.environments\.dev: expected sandbox, int or prod/,
    },
    {
      title: 'a correction of a field it cannot change',
      content: { ...OVERLAY, operations: { x: [{ field: 'operationId', value: 'y', why: 'w', source: '[X]' }] } },
      error: /\$\.operations\.x\[0\]\.field/,
    },
    {
      title: 'a correction without a source tag',
      content: { ...OVERLAY, operations: { x: [{ field: 'prefer', value: 'p', why: 'w', source: 'the docs' }] } },
      error: /\$\.operations\.x\[0\]\.source: expected a source tag/,
    },
  ])('refuses $title, naming the file and the JSON path', async ({ content, error }) => {
    await expect(read(content)).rejects.toThrow(error);
  });

  it('names a missing file', async () => {
    await expect(readOverlay(join(dir, 'nope.json'))).rejects.toThrow(/nope\.json.*overlay file not found/);
  });
});
