import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixturePackageFiles, writeTree } from '@nhs-fhir/specs/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  compareSpecs,
  formatChangeReport,
  SpecChangesError,
  suggestBump,
  type SpecChange,
} from '../src/changes/index.js';
import { HL7, baseTypes, type Json } from './model-fixtures.js';
import { PROFILE_URL as PROFILE, thingBase, thingDifferentialProfile } from './profile-fixtures.js';

const OTHER = 'https://example.org/StructureDefinition/OtherProfile';
const COLOURS = 'https://example.org/ValueSet/colours';
const SHAPES = 'https://example.org/ValueSet/shapes';

const profile = thingDifferentialProfile;
const at = (id: string, extra: Json): Json => ({ id, path: id.replace(/:[^.]*/g, ''), ...extra });
const tagSlicing = at('Thing.tag', {
  slicing: { discriminator: [{ type: 'pattern', path: '$this' }], rules: 'open' },
});
const colourSlice = (min: number): Json =>
  at('Thing.tag:colour', { sliceName: 'colour', min, max: '1', patternCoding: { system: 'urn:colour' } });

let root: string;
let run = 0;

/** Writes the old and new package versions (each holding the given resources) and compares them. */
async function compare(oldResources: Json[], newResources: Json[], newFhirVersion = '4.0.1') {
  const dir = join(root, `case-${run++}`);
  const files = (resources: Json[]) =>
    Object.fromEntries(resources.map((json) => [`StructureDefinition-${String(json['id'])}.json`, json]));
  const dependencies = { 'fixture.core': '4.0.1' };
  await writeTree(
    join(dir, 'old', 'package'),
    fixturePackageFiles({ id: 'fixture.profiles', version: '1.0.0', dependencies, files: files(oldResources) }),
  );
  await writeTree(
    join(dir, 'new', 'package'),
    fixturePackageFiles({
      id: 'fixture.profiles',
      version: '1.1.0',
      fhirVersion: newFhirVersion,
      dependencies,
      files: files(newResources),
    }),
  );
  return compareSpecs({ old: join(dir, 'old'), new: join(dir, 'new'), dependencyCaches: [join(root, 'cache')] });
}

const summary = (changes: SpecChange[]) =>
  changes.map((change) => ({ kind: change.kind, element: change.element, breaking: change.breaking }));

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'nhs-fhir-spec-changes-'));
  const core = [...baseTypes, thingBase];
  await writeTree(
    join(root, 'cache', 'fixture.core#4.0.1', 'package'),
    fixturePackageFiles({
      id: 'fixture.core',
      version: '4.0.1',
      files: Object.fromEntries(core.map((json) => [`StructureDefinition-${String(json['id'])}.json`, json])),
    }),
  );
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

interface Case {
  name: string;
  old: Json[];
  new: Json[];
  expected: { kind: SpecChange['kind']; element?: string; breaking: boolean }[];
}

const cases: Case[] = [
  {
    name: 'an optional element made required',
    old: [],
    new: [at('Thing.code', { min: 1 })],
    expected: [{ kind: 'cardinality', element: 'Thing.code', breaking: true }],
  },
  {
    name: 'a repeating element limited to one',
    old: [],
    new: [at('Thing.tag', { max: '1' })],
    expected: [{ kind: 'cardinality', element: 'Thing.tag', breaking: true }],
  },
  {
    name: 'a limit lifted',
    old: [at('Thing.note', { max: '2' })],
    new: [],
    expected: [{ kind: 'cardinality', element: 'Thing.note', breaking: false }],
  },
  {
    name: 'an element prohibited',
    old: [],
    new: [at('Thing.retired', { max: '0' })],
    expected: [{ kind: 'cardinality', element: 'Thing.retired', breaking: true }],
  },
  {
    name: 'a choice narrowed to one type',
    old: [],
    new: [at('Thing.value[x]', { type: [{ code: 'string' }] })],
    expected: [{ kind: 'types', element: 'Thing.value[x]', breaking: true }],
  },
  {
    name: 'a choice widened again',
    old: [at('Thing.value[x]', { type: [{ code: 'string' }] })],
    new: [],
    expected: [{ kind: 'types', element: 'Thing.value[x]', breaking: false }],
  },
  {
    name: 'a reference narrowed to one target profile',
    old: [],
    new: [at('Thing.subject', { type: [{ code: 'Reference', targetProfile: [`${HL7}Organization`] }] })],
    expected: [{ kind: 'target-profiles', element: 'Thing.subject', breaking: true }],
  },
  {
    name: 'a reference widened',
    old: [at('Thing.subject', { type: [{ code: 'Reference', targetProfile: [`${HL7}Organization`] }] })],
    new: [],
    expected: [{ kind: 'target-profiles', element: 'Thing.subject', breaking: false }],
  },
  {
    name: 'a preferred binding made required',
    old: [at('Thing.code', { binding: { strength: 'preferred', valueSet: COLOURS } })],
    new: [at('Thing.code', { binding: { strength: 'required', valueSet: COLOURS } })],
    expected: [{ kind: 'binding', element: 'Thing.code', breaking: true }],
  },
  {
    name: 'a required binding to another value set',
    old: [at('Thing.code', { binding: { strength: 'required', valueSet: COLOURS } })],
    new: [at('Thing.code', { binding: { strength: 'required', valueSet: SHAPES } })],
    expected: [{ kind: 'binding', element: 'Thing.code', breaking: true }],
  },
  {
    name: 'a required binding loosened to extensible',
    old: [at('Thing.code', { binding: { strength: 'required', valueSet: COLOURS } })],
    new: [at('Thing.code', { binding: { strength: 'extensible', valueSet: COLOURS } })],
    expected: [{ kind: 'binding', element: 'Thing.code', breaking: false }],
  },
  {
    name: 'a preferred binding to another value set',
    old: [at('Thing.code', { binding: { strength: 'preferred', valueSet: COLOURS } })],
    new: [at('Thing.code', { binding: { strength: 'preferred', valueSet: SHAPES } })],
    expected: [{ kind: 'binding', element: 'Thing.code', breaking: false }],
  },
  {
    name: 'a fixed value set',
    old: [],
    new: [at('Thing.retired', { fixedBoolean: false })],
    expected: [{ kind: 'fixed', element: 'Thing.retired', breaking: true }],
  },
  {
    name: 'a fixed value dropped',
    old: [at('Thing.retired', { fixedBoolean: false })],
    new: [],
    expected: [{ kind: 'fixed', element: 'Thing.retired', breaking: false }],
  },
  {
    name: 'a pattern set',
    old: [],
    new: [at('Thing.code', { patternCoding: { system: 'urn:colour' } })],
    expected: [{ kind: 'pattern', element: 'Thing.code', breaking: true }],
  },
  {
    name: 'an optional slice added',
    old: [tagSlicing],
    new: [tagSlicing, colourSlice(0)],
    expected: [{ kind: 'slice-added', element: 'Thing.tag:colour', breaking: false }],
  },
  {
    name: 'a required slice added',
    old: [tagSlicing],
    new: [tagSlicing, colourSlice(1)],
    expected: [{ kind: 'slice-added', element: 'Thing.tag:colour', breaking: true }],
  },
  {
    name: 'a slice removed',
    old: [tagSlicing, colourSlice(0)],
    new: [tagSlicing],
    expected: [{ kind: 'slice-removed', element: 'Thing.tag:colour', breaking: true }],
  },
  {
    name: 'must-support added',
    old: [],
    new: [at('Thing.note', { mustSupport: true })],
    expected: [{ kind: 'must-support', element: 'Thing.note', breaking: false }],
  },
  {
    name: 'an error invariant added',
    old: [],
    new: [
      at('Thing.note', {
        constraint: [{ key: 'thg-1', severity: 'error', human: 'short', expression: 'length() < 10' }],
      }),
    ],
    expected: [{ kind: 'invariant-added', element: 'Thing.note', breaking: true }],
  },
  {
    name: 'a warning invariant added',
    old: [],
    new: [
      at('Thing.note', {
        constraint: [{ key: 'thg-2', severity: 'warning', human: 'short', expression: 'length() < 10' }],
      }),
    ],
    expected: [{ kind: 'invariant-added', element: 'Thing.note', breaking: false }],
  },
  {
    name: 'an invariant removed',
    old: [
      at('Thing.note', {
        constraint: [{ key: 'thg-1', severity: 'error', human: 'short', expression: 'length() < 10' }],
      }),
    ],
    new: [],
    expected: [{ kind: 'invariant-removed', element: 'Thing.note', breaking: false }],
  },
];

describe('spec changes on hand-written packages', () => {
  test.each(cases)('$name', async ({ old, new: next, expected }) => {
    const report = await compare([profile(old)], [profile(next)]);
    expect(report.notCompared).toEqual([]);
    expect(summary(report.changes)).toEqual(expected);
    expect(report.bump).toBe(
      expected.some((change) => change.breaking)
        ? 'major'
        : expected.some((change) => change.kind.endsWith('-added') && !change.kind.startsWith('invariant'))
          ? 'minor'
          : 'patch',
    );
  });

  test('no change: an empty report, a patch', async () => {
    const report = await compare([profile([at('Thing.code', { min: 1 })])], [profile([at('Thing.code', { min: 1 })])]);
    expect(report.changes).toEqual([]);
    expect(report.bump).toBe('patch');
    expect(formatChangeReport(report)).toContain('no changes that matter to users');
  });

  test('a profile added is minor; a profile removed is breaking', async () => {
    const added = await compare([profile([])], [profile([]), profile([], OTHER)]);
    expect(summary(added.changes)).toEqual([{ kind: 'profile-added', element: undefined, breaking: false }]);
    expect(added.bump).toBe('minor');
    const removed = await compare([profile([]), profile([], OTHER)], [profile([])]);
    expect(summary(removed.changes)).toEqual([{ kind: 'profile-removed', element: undefined, breaking: true }]);
    expect(removed.changes[0]?.subject).toBe(OTHER);
    expect(removed.bump).toBe('major');
  });

  test('the text report: one line per change, the breaking ones marked, the bump last', async () => {
    const report = await compare(
      [profile([])],
      [profile([at('Thing.code', { min: 1 }), at('Thing.note', { mustSupport: true })])],
    );
    const text = formatChangeReport(report);
    expect(text).toContain(`\n${PROFILE}\n`);
    expect(text).toMatch(/ {2}BREAKING cardinality +Thing\.code: 0\.\.1 -> 1\.\.1 \(now required\)\n/);
    expect(text).toMatch(/ {2}ok {7}must-support +Thing\.note: now must-support\n/);
    expect(text.trimEnd().split('\n').pop()).toBe('2 changes, 1 breaking; suggested bump: major (on 0.x: minor)');
    // JSON is the same plain data
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });
});

describe('suggestBump', () => {
  const change = (kind: SpecChange['kind'], breaking: boolean): SpecChange => ({
    subject: 's',
    kind,
    breaking,
    detail: '',
  });
  test.each([
    { changes: [], bump: 'patch' },
    { changes: [change('must-support', false)], bump: 'patch' },
    { changes: [change('binding', false), change('operation-added', false)], bump: 'minor' },
    { changes: [change('slice-added', false), change('cardinality', true)], bump: 'major' },
  ] as const)('$bump', ({ changes, bump }) => {
    expect(suggestBump(changes)).toBe(bump);
  });
});

describe('bad input', () => {
  test('a folder that is not a FHIR package: one line naming it', async () => {
    const dir = join(root, 'not-a-package');
    await writeTree(dir, { 'notes.txt': 'hello' });
    const error = await compareSpecs({ old: dir, new: dir }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SpecChangesError);
    expect((error as Error).message).toBe(
      `${dir}: not a FHIR package (no package/package.json), a package cache or an OpenAPI description`,
    );
  });

  test('two FHIR releases: one line naming the new folder', async () => {
    const error = await compare([profile([])], [profile([])], '3.0.1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SpecChangesError);
    expect((error as Error).message).toMatch(
      /^\/.*\/new: FHIR 3\.0\.1, but \/.*\/old is FHIR 4\.0\.1; compare packages of one FHIR release$/,
    );
  });
});
