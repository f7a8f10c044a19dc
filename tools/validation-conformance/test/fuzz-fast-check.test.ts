import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import type { OperationOutcome, Validate, ValidateOptions } from '@nhs-fhir/validation';
import { compileRealPackages, type CompiledPackage } from './real-packages.js';

// Property-based fuzzing of validate with fast-check (issue 14): 10,000 generated inputs over the real tables
// (UK Core, NHS England, RARecord). Every input must give an OperationOutcome with at least one issue, no
// internal failure (an `exception` issue), and no more than maxIssues + 1 issues; nothing may throw. A hang
// fails the test by its timeout (no time is asserted). The seed is fixed so a run is reproducible; a failure
// prints the shrunk input.

const SEED = 20261205;

// Keys FHIR resources use, so generated objects reach the validator's rules and not only "unknown element".
const FHIR_KEYS = [
  'resourceType',
  'id',
  'meta',
  'profile',
  'versionId',
  'lastUpdated',
  'extension',
  'url',
  'valueString',
  'valueBoolean',
  'valueCodeableConcept',
  'coding',
  'system',
  'code',
  'display',
  'identifier',
  'value',
  'reference',
  'type',
  'contained',
  'entry',
  'fullUrl',
  'resource',
  'text',
  'div',
  'status',
  'name',
  'family',
  'given',
  '_given',
  'birthDate',
  '_birthDate',
  'telecom',
  'period',
  'start',
  'end',
  '__proto__',
  'constructor',
] as const;

let packages: CompiledPackage[];
beforeAll(async () => {
  packages = await compileRealPackages();
}, 120_000);

/** What every outcome must be, whatever the input; returns the first thing wrong, else undefined. */
function wrongWith(outcome: OperationOutcome, options: ValidateOptions): string | undefined {
  if (outcome.resourceType !== 'OperationOutcome') return 'not an OperationOutcome';
  if (!Array.isArray(outcome.issue) || outcome.issue.length === 0) return 'no issue';
  const exception = outcome.issue.find((issue) => issue.code === 'exception');
  if (exception !== undefined) return `internal failure: ${exception.diagnostics}`;
  const max = options.maxIssues ?? 1_000;
  if (outcome.issue.length > Math.max(1, max) + 1) return `${outcome.issue.length} issues past maxIssues ${max}`;
  for (const issue of outcome.issue)
    if (typeof issue.diagnostics !== 'string' || typeof issue.expression[0] !== 'string') return 'a malformed issue';
  return undefined;
}

/** Strings FHIR refuses: lone surrogates, control characters, blanks, and ordinary text. */
const awkwardString = fc.oneof(
  fc.string(),
  fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 12 }).map((codes) => String.fromCharCode(...codes)),
  fc.constantFrom('', ' ', '\uD800', 'a\uDC00b', '2021-02-29', '2020-04-31T10:00:00Z', 'a b', 'é', '#', 'urn:uuid:x'),
);

const jsonish: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double(),
    awkwardString,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string(), fc.constantFrom(...FHIR_KEYS)), tie('value'), { maxKeys: 4 }),
  ),
})).value;

const options: fc.Arbitrary<ValidateOptions> = fc.record(
  {
    invariants: fc.boolean(),
    unknownProfile: fc.constantFrom('warning' as const, 'error' as const),
    bestPractice: fc.constantFrom('warning' as const, 'ignore' as const),
    maxIssues: fc.oneof(fc.integer({ min: -2, max: 20 }), fc.constant(1_000)),
    profile: fc.constantFrom('https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient', 'https://example.org/x'),
  },
  { requiredKeys: [] },
);

/**
 * One edit of an example: at the n-th node (in document order), set a value, delete it, wrap it in an array, or null
 * it.
 */
const edit = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('set', 'delete', 'wrap', 'null', 'duplicate'),
  value: jsonish,
});

function applyEdits(json: unknown, edits: { at: number; op: string; value: unknown }[]): unknown {
  const copy = structuredClone(json);
  for (const { at, op, value } of edits) {
    const holders: [Record<string | number, unknown>, string | number][] = [];
    const walk = (node: unknown): void => {
      if (typeof node !== 'object' || node === null) return;
      for (const key of Object.keys(node)) {
        const step = Array.isArray(node) ? Number(key) : key;
        holders.push([node as Record<string | number, unknown>, step]);
        walk((node as Record<string, unknown>)[key]);
      }
    };
    walk(copy);
    if (holders.length === 0) continue;
    const [holder, key] = holders[at % holders.length]!;
    if (op === 'set') holder[key] = value;
    else if (op === 'delete') delete holder[key];
    else if (op === 'wrap') holder[key] = [holder[key]];
    else if (op === 'null') holder[key] = null;
    else if (Array.isArray(holder)) holder.push(structuredClone(holder[key]));
    else holder[key] = [holder[key], holder[key]];
  }
  return copy;
}

describe('fast-check fuzzing of validate (10,000 inputs)', () => {
  test('4,000 arbitrary JSON values (resource-shaped or not), with random options', () => {
    const resourceShaped = fc.record({
      resourceType: fc.constantFrom('Patient', 'Bundle', 'Observation', 'Flag', 'Condition', 'Consent', 'List', 'x'),
      id: fc.oneof(awkwardString, jsonish),
      meta: jsonish,
      text: jsonish,
      contained: jsonish,
      entry: jsonish,
      name: jsonish,
      extension: jsonish,
    });
    let validated = 0;
    fc.assert(
      fc.property(fc.nat({ max: 2 }), fc.oneof(jsonish, resourceShaped), options, (which, input, given) => {
        const validate: Validate = packages[which]!.validate;
        const outcome = validate(input, given);
        validated++;
        expect(wrongWith(outcome, given)).toBeUndefined();
      }),
      { seed: SEED, numRuns: 4_000 },
    );
    expect(validated).toBe(4_000);
  }, 600_000);

  test('6,000 real examples with up to 4 random edits each, with random options', () => {
    const examples = packages.flatMap(({ validate, examples: list }) =>
      list.map((example) => ({ validate, json: example.json })),
    );
    let validated = 0;
    fc.assert(
      fc.property(
        fc.nat({ max: examples.length - 1 }),
        fc.array(edit, { minLength: 1, maxLength: 4 }),
        options,
        (which, edits, given) => {
          const { validate, json } = examples[which]!;
          const input = applyEdits(json, edits);
          const outcome = validate(input, given);
          validated++;
          expect(wrongWith(outcome, given)).toBeUndefined();
        },
      ),
      { seed: SEED, numRuns: 6_000 },
    );
    expect(validated).toBe(6_000);
  }, 600_000);
});
