import { describe, expect, test } from 'vitest';
import { checkSlicePosition, matchesDiscriminators, type SliceWalk } from '../../src/rules/slicing.js';
import type { SliceMatch, SlicingTable } from '../../src/tables.js';
import { element, issuesOf } from './rule-support.js';

describe('matchesDiscriminators', () => {
  const NHS = 'https://fhir.nhs.uk/Id/nhs-number';
  test.each<[string, unknown, string | undefined, SliceMatch[], boolean]>([
    ['value one step down', { system: NHS }, 'Identifier', [{ type: 'value', path: 'system', value: NHS }], true],
    [
      'value one step down, another value',
      { system: 'x' },
      'Identifier',
      [{ type: 'value', path: 'system', value: NHS }],
      false,
    ],
    [
      'value deeper',
      { type: { coding: [{ code: 'MR' }] } },
      'Identifier',
      [{ type: 'value', path: 'type.coding.code', value: 'MR' }],
      true,
    ],
    [
      'pattern',
      { coding: [{ system: 's', code: 'a' }] },
      'CodeableConcept',
      [{ type: 'pattern', path: '$this', value: { coding: [{ code: 'a' }] } }],
      true,
    ],
    [
      'pattern not met',
      { coding: [{ code: 'b' }] },
      'CodeableConcept',
      [{ type: 'pattern', path: '$this', value: { coding: [{ code: 'a' }] } }],
      false,
    ],
    ['exists', { period: {} }, 'Identifier', [{ type: 'exists', path: 'period', exists: true }], true],
    ['exists, absent', {}, 'Identifier', [{ type: 'exists', path: 'period', exists: true }], false],
    [
      'type of a resource',
      { resourceType: 'Provenance' },
      'Resource',
      [{ type: 'type', path: '$this', codes: ['Provenance'] }],
      true,
    ],
    [
      'type of a resource, another type',
      { resourceType: 'Patient' },
      'Resource',
      [{ type: 'type', path: '$this', codes: ['Provenance'] }],
      false,
    ],
    [
      'profile by meta.profile',
      { meta: { profile: ['p'] } },
      'Resource',
      [{ type: 'profile', path: '$this', codes: ['p'] }],
      true,
    ],
    [
      'undetermined: left to the caller',
      { system: 'x' },
      'Identifier',
      [{ type: 'value', path: 'system', undetermined: true }],
      true,
    ],
    [
      'every discriminator must hold',
      { system: NHS, use: 'old' },
      'Identifier',
      [
        { type: 'value', path: 'system', value: NHS },
        { type: 'value', path: 'use', value: 'official' },
      ],
      false,
    ],
  ])('%s', (_title, item, code, matches, want) => {
    expect(matchesDiscriminators(item, code, matches)).toBe(want);
  });
});

describe('checkSlicePosition', () => {
  const slicing = (rules: SlicingTable['rules'], ordered = false): SlicingTable => ({
    discriminators: [{ type: 'value', path: 'system' }],
    rules,
    ordered,
  });
  const slices = [element('X.identifier', 0, 1, { sliceName: 'a' }), element('X.identifier', 0, 1, { sliceName: 'b' })];
  /** The issues of walking items in the slices given (-1: none), as `position code`. */
  const walk = (table: SlicingTable, founds: number[]): string[] => {
    const sliced = element('X.identifier', 0, -1, { slicing: table });
    const state: SliceWalk = { lastSlice: -1, unmatchedSeen: false };
    return issuesOf((issues) => {
      for (const [position, found] of founds.entries())
        checkSlicePosition(state, found, sliced, slices, `[${position}]`, issues);
    });
  };
  test.each<[string, SlicingTable, number[], string[]]>([
    ['open: an unmatched item is fine', slicing('open'), [0, -1, 1], []],
    ['closed: an unmatched item is an error', slicing('closed'), [0, -1], ['error structure [1]']],
    ['closed, every item in a slice', slicing('closed'), [1, 0], []],
    ['openAtEnd: a slice after an unmatched item', slicing('openAtEnd'), [-1, 0], ['error structure [1]']],
    ['openAtEnd: unmatched items at the end', slicing('openAtEnd'), [0, -1, -1], []],
    ['ordered: slices out of order', slicing('open', true), [1, 0], ['error structure [1]']],
    ['ordered: slices in order', slicing('open', true), [0, 0, 1], []],
  ])('%s', (_title, table, founds, want) => {
    expect(walk(table, founds)).toEqual(want);
  });
});
