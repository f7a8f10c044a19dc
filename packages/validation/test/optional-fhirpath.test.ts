import { readFileSync } from 'node:fs';
import { describe, expect, test, vi } from 'vitest';
import { FhirpathInvariants, loadFhirpath } from '../src/fhirpath-invariants.js';

// fhirpath is an optional peer dependency (issue 14): @nhs-fhir/validation installs no package with an install
// script. It is loaded the first time an invariant outside the compiled subset is evaluated, and without it such
// an invariant is "not checked", as any invariant that cannot be evaluated.

const scope = { resource: undefined, container: undefined };
// que-7 (R4 Questionnaire.item.enableWhen): `is` is outside the subset, so only fhirpath evaluates it.
const QUE_7 = "operator = 'exists' implies (answer is Boolean)";

describe('fhirpath, an optional peer dependency', () => {
  test('the manifest: fhirpath is no dependency, an optional peer (and a devDependency for the tests)', () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as Record<
      string,
      Record<string, unknown> | undefined
    >;
    expect(manifest['dependencies']?.['fhirpath']).toBeUndefined();
    expect(manifest['peerDependencies']?.['fhirpath']).toBe('5.2.0');
    expect(manifest['peerDependenciesMeta']?.['fhirpath']).toEqual({ optional: true });
    expect(manifest['devDependencies']?.['fhirpath']).toBe('5.2.0');
  });

  test('an invariant the subset compiles never loads fhirpath', () => {
    const load = vi.fn(() => 'not installed');
    const invariants = new FhirpathInvariants('R4', true, new Set(['value']), load);
    expect(invariants.evaluate('start.empty() or end.empty()', 'Period', { start: '2020' }, scope)).toBe(true);
    expect(invariants.evaluate('name.exists()', 'Patient', { resourceType: 'Patient' }, scope)).toBe(false);
    expect(load).not.toHaveBeenCalled();
  });

  test('without fhirpath, an invariant outside the subset is not checked, with the reason; it is loaded once', () => {
    const load = vi.fn(() => 'fhirpath is not installed');
    const invariants = new FhirpathInvariants('R4', true, new Set(['answer']), load);
    const node = { operator: 'exists', answerBoolean: true };
    expect(invariants.evaluate(QUE_7, 'Questionnaire.item.enableWhen', node, scope)).toEqual({
      notChecked: 'fhirpath is not installed',
    });
    invariants.evaluate(QUE_7, 'Questionnaire.item.enableWhen', node, scope);
    expect(load).toHaveBeenCalledTimes(1);
  });

  test('with fhirpath (installed here as a devDependency), such an invariant is evaluated', () => {
    expect(typeof loadFhirpath()).toBe('object');
    // ras-2 (R4 RiskAssessment.prediction), also outside the subset (`is`, `as`).
    const RAS_2 = 'probability is decimal implies (probability as decimal) <= 100';
    const invariants = new FhirpathInvariants('R4', true, new Set(['probability']));
    const base = 'RiskAssessment.prediction';
    expect(invariants.evaluate(RAS_2, base, { probabilityDecimal: 50 }, scope)).toBe(true);
    expect(invariants.evaluate(RAS_2, base, { probabilityDecimal: 150 }, scope)).toBe(false);
    expect(typeof invariants.evaluate(QUE_7, 'Questionnaire.item.enableWhen', { operator: 'exists' }, scope)).toBe(
      'boolean',
    );
  });
});
