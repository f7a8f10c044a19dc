import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_RETRY, isRetriedStatus, parseRetryAfter } from '../src/retry.js';
import { EtagMemory, ifMatchForResource, ifMatchFrom, resourceKey } from '../src/versioning.js';

const NOW = Date.parse('2026-01-15T10:00:00Z');

describe('parseRetryAfter', () => {
  it.each<[string, string | null | undefined, number | undefined]>([
    ['delta seconds', '2', 2000],
    ['zero seconds', '0', 0],
    ['seconds with spaces', '  7 ', 7000],
    ['an HTTP date 30 s ahead', 'Thu, 15 Jan 2026 10:00:30 GMT', 30_000],
    ['an HTTP date in the past', 'Thu, 15 Jan 2026 09:59:00 GMT', 0],
    ['absent (null)', null, undefined],
    ['absent (undefined)', undefined, undefined],
    ['empty', '', undefined],
    ['negative seconds', '-5', undefined],
    ['fractional seconds', '1.5', undefined],
    ['garbage', 'soon', undefined],
    ['garbage that looks numeric-ish', '12abc!', undefined],
    ['a bare number with a sign', '+3', undefined],
  ])('%s', (_, header, expected) => {
    expect(parseRetryAfter(header, NOW)).toBe(expected);
  });
});

describe('backoffDelay', () => {
  const options = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 };
  it.each([
    [1, 100],
    [2, 200],
    [3, 400],
    [4, 800],
    [5, 1000],
    [30, 1000],
  ])('attempt %i waits between 0 and %i ms', (attempt, ceiling) => {
    expect(backoffDelay(attempt, options, () => 0)).toBe(0);
    expect(backoffDelay(attempt, options, () => 0.999999)).toBe(ceiling);
    expect(backoffDelay(attempt, options, () => 0.5)).toBe(Math.round(ceiling / 2));
    for (let i = 0; i < 200; i++) {
      const delay = backoffDelay(attempt, options);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(ceiling);
    }
  });
  it('attempt 0 or below is treated as the first', () => {
    expect(backoffDelay(0, options, () => 0.999999)).toBe(100);
  });
});

describe('isRetriedStatus', () => {
  it.each([
    [429, false, true],
    [503, false, true],
    [502, false, false],
    [504, false, false],
    [502, true, true],
    [504, true, true],
    [500, true, false],
    [409, true, false],
  ])('%i idempotent=%s -> %s', (status, idempotent, retried) => {
    expect(isRetriedStatus(status, idempotent)).toBe(retried);
  });
});

describe('ifMatchFrom / ifMatchForResource', () => {
  it.each([
    ['a bare version id', '3', 'W/"3"'],
    ['a non-numeric Spine version', 'abc-17', 'W/"abc-17"'],
    ['a weak ETag kept as sent', 'W/"3"', 'W/"3"'],
    ['a strong ETag kept as sent', '"3"', '"3"'],
    ['an ETag ending in a typographic quote kept as sent', 'W/"3”', 'W/"3”'],
    ['surrounding spaces trimmed', '  W/"4" ', 'W/"4"'],
  ])('%s', (_, input, expected) => {
    expect(ifMatchFrom(input)).toBe(expected);
  });
  it.each<[string, unknown, string | undefined]>([
    ['meta.versionId', { resourceType: 'Flag', meta: { versionId: '7' } }, 'W/"7"'],
    ['meta.versionId that is already an ETag', { meta: { versionId: 'W/"3”' } }, 'W/"3”'],
    ['no meta', { resourceType: 'Flag' }, undefined],
    ['empty versionId', { meta: { versionId: '' } }, undefined],
    ['numeric versionId (not FHIR)', { meta: { versionId: 7 } }, undefined],
    ['not an object', 'W/"1"', undefined],
    ['null', null, undefined],
  ])('%s', (_, resource, expected) => {
    expect(ifMatchForResource(resource)).toBe(expected);
  });
});

describe('EtagMemory', () => {
  it('keeps at most `capacity` entries, dropping the least recently remembered', () => {
    const memory = new EtagMemory(3);
    for (let i = 1; i <= 5; i++) memory.remember(`Patient/${i}`, `W/"${i}"`);
    expect(memory.size).toBe(3);
    expect(memory.recall('Patient/1')).toBeUndefined();
    expect(memory.recall('Patient/2')).toBeUndefined();
    expect(memory.recall('Patient/5')).toBe('W/"5"');
  });
  it('remembering a key again refreshes it', () => {
    const memory = new EtagMemory(2);
    memory.remember('Flag/a', 'W/"1"');
    memory.remember('Flag/b', 'W/"1"');
    memory.remember('Flag/a', 'W/"2"');
    memory.remember('Flag/c', 'W/"1"');
    expect(memory.recall('Flag/a')).toBe('W/"2"');
    expect(memory.recall('Flag/b')).toBeUndefined();
    expect(memory.size).toBe(2);
  });
  it('default capacity is 1000', () => {
    const memory = new EtagMemory();
    for (let i = 0; i < 1500; i++) memory.remember(`Patient/${i}`, 'W/"1"');
    expect(memory.size).toBe(1000);
    expect(memory.recall('Patient/499')).toBeUndefined();
    expect(memory.recall('Patient/500')).toBe('W/"1"');
  });
  it.each<[string | { resourceType?: unknown; id?: unknown }, string | undefined]>([
    ['/Patient/9000000009', 'Patient/9000000009'],
    ['/Patient/9000000009/_history/2?x=1', 'Patient/9000000009'],
    ['/Patient', undefined],
    ['/metadata/x', undefined],
    [{ resourceType: 'Flag', id: 'f1' }, 'Flag/f1'],
    [{ resourceType: 'Flag' }, undefined],
  ])('resourceKey(%j) = %s', (input, key) => {
    expect(resourceKey(input)).toBe(key);
  });
});
