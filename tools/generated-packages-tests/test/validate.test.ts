import { beforeAll, describe, expect, it } from 'vitest';
import { exampleFileName, loadExamples } from './example-sources.js';
import { PROFILE_PACKAGES, type ProfileModule } from './generated-packages.js';

describe.each(PROFILE_PACKAGES)(
  '$name: validate (the @nhs-fhir/validation runtime on tables compiled from the same snapshots)',
  ({ examples, profiles: load, validation }) => {
    let profiles: ProfileModule;
    beforeAll(async () => {
      profiles = await load();
    });

    const title = `reports on each of the package's ${validation.count} examples exactly the rules it breaks`;
    it(`${title}, and nothing else`, async () => {
      const all = await loadExamples(examples, {}, profiles.profileTypeNames);
      expect(all).toHaveLength(validation.count);
      const found: Record<string, string[]> = {};
      const diagnostics: string[] = [];
      for (const example of all) {
        const errors = profiles
          .validate(example.json)
          .issue.filter((issue) => issue.severity === 'error' || issue.severity === 'fatal');
        found[exampleFileName(example.source)] = errors.map((issue) => `${issue.code} ${issue.expression?.[0] ?? ''}`);
        for (const issue of errors) diagnostics.push(`${example.source}: ${issue.diagnostics ?? issue.code}`);
      }
      const expected = Object.fromEntries(
        all.map((example) => {
          const name = exampleFileName(example.source);
          return [name, validation.errors[name] ?? []];
        }),
      );
      expect(Object.keys(validation.errors).filter((name) => !(name in expected))).toEqual([]);
      expect(found, diagnostics.join('\n')).toEqual(expected);
    });

    it.each(validation.rejects)('rejects $title', ({ input, options, expression }) => {
      const errors = profiles.validate(input, options).issue.filter((issue) => issue.severity === 'error');
      expect(errors.map((issue) => issue.expression?.[0])).toContain(expression);
    });

    it.each([undefined, null, 42, 'Patient', [], { resourceType: 'Nope' }])(
      'never throws: answers %j with an OperationOutcome',
      (input) => {
        expect(profiles.validate(input).resourceType).toBe('OperationOutcome');
      },
    );
  },
);
