import { beforeAll, describe, expect, test } from 'vitest';
import before from './example-errors-before.json' with { type: 'json' };
import { errorsOf, mirrorExamples, type MirrorExample } from './mirror-examples.js';
import { compileRealPackages, type CompiledPackage } from './real-packages.js';

// Differential over every example of the mirror the tests use (UK Core, NHS England, RARecord, and the Spine RA
// documentation examples): example-errors-before.json holds the errors each gave before the primitive checks of
// issue 14 (Resource.id as an id, calendar dates, Unicode, the 1 MB limit, the specification's regexes), made by
// running the validator as it was on the same tables. An example that was clean must stay clean, and one that was
// rejected must give the same errors, except those listed here with the reason the example really is wrong.
// (None is: the new checks reject no example of the mirror.)
const NEWLY_REJECTED: Record<string, string[]> = {};

let packages: CompiledPackage[];
let examples: MirrorExample[];
beforeAll(async () => {
  packages = await compileRealPackages();
  examples = await mirrorExamples(packages);
}, 120_000);

describe('the mirror examples, before and after the primitive checks', () => {
  test('every example gives the errors it gave before, except the listed ones', () => {
    const rejected: Record<string, string[]> = before.rejected;
    const validators = new Map(packages.map(({ key, validate }) => [key, validate]));
    const changed: Record<string, string[]> = {};
    for (const { source, json, key } of examples) {
      const now = errorsOf(validators.get(key)!, json);
      const was = rejected[source] ?? [];
      const added = now.filter((issue) => !was.includes(issue));
      const gone = was.filter((issue) => !now.includes(issue));
      if (added.length + gone.length > 0) changed[source] = [...added, ...gone.map((issue) => `no longer: ${issue}`)];
    }
    expect(changed).toEqual(NEWLY_REJECTED);
  });

  test('the baseline covers the same examples (no example went missing or was added unseen)', () => {
    expect(examples).toHaveLength(before.examples);
    const sources = new Set(examples.map(({ source }) => source));
    expect(Object.keys(before.rejected).filter((source) => !sources.has(source))).toEqual([]);
  });
});
