import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { compileRealPackages, type CompiledPackage } from './real-packages.js';

// Resource limits (issue 14): a hostile input must not make the validator hold an issue per defect
// (a million nulls gave 1,000,001 issues, a 170 MB OperationOutcome, 845 MB RSS).

let ukCore: CompiledPackage;
beforeAll(async () => {
  ukCore = (await compileRealPackages())[0]!;
}, 120_000);

const nulls = (count: number) => ({ resourceType: 'Patient', name: new Array<null>(count).fill(null) });

describe('maxIssues', () => {
  test('a million nulls in name: 1,000 issues are kept, and one more says how many were left out', () => {
    const outcome = ukCore.validate(nulls(1_000_000));
    expect(outcome.issue).toHaveLength(1_001);
    expect(outcome.issue.slice(0, 1_000).every((issue) => issue.expression[0]!.startsWith('Patient.name['))).toBe(true);
    expect(outcome.issue.at(-1)).toEqual({
      severity: 'error',
      code: 'too-costly',
      // The million nulls less the 1,000 kept, and dom-6 (no narrative), found last.
      diagnostics: '999001 more issues were left out (999000 error, 1 warning; repeats not removed): maxIssues is 1000',
      expression: ['$this'],
    });
  });

  test('the limit is an option; under it nothing is added', () => {
    const few = ukCore.validate(nulls(10), { maxIssues: 4 });
    expect(few.issue.map((issue) => issue.code)).toEqual([
      'structure',
      'structure',
      'structure',
      'structure',
      'too-costly',
    ]);
    expect(few.issue.at(-1)?.diagnostics).toBe(
      '7 more issues were left out (6 error, 1 warning; repeats not removed): maxIssues is 4',
    );
    const all = ukCore.validate(nulls(10), { maxIssues: 100 });
    expect(all.issue.filter((issue) => issue.code === 'structure')).toHaveLength(10);
    expect(all.issue.some((issue) => issue.code === 'too-costly')).toBe(false);
  });

  test('a limit below 1 keeps one issue; the default holds for every call without the option', () => {
    expect(ukCore.validate(nulls(5), { maxIssues: 0 }).issue).toHaveLength(2);
    expect(ukCore.validate(nulls(1_500)).issue).toHaveLength(1_001);
  });
});

describe('memory for a hostile 5 MB input (in a child process with --expose-gc, on the built validator)', () => {
  let dir: string;
  let tablesPath: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'nhs-fhir-validation-limits-'));
    tablesPath = join(dir, 'tables.json');
    writeFileSync(tablesPath, JSON.stringify(ukCore.tables));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const measure = (kind: 'nulls' | 'long-id') => {
    const output = execFileSync(
      process.execPath,
      [
        '--expose-gc',
        new URL('./memory-child.mjs', import.meta.url).pathname,
        import.meta.resolve('@nhs-fhir/validation'),
        tablesPath,
        kind,
      ],
      { encoding: 'utf8', maxBuffer: 1 << 20 },
    );
    return JSON.parse(output) as {
      bytes: number;
      rss: number;
      heap: number;
      retained: number;
      issues: number;
      outcomeBytes: number;
      last: { code: string };
    };
  };

  test.each(['nulls', 'long-id'] as const)('%s: RSS and heap grow by less than 10x the JSON size', (kind) => {
    const used = measure(kind);
    expect(used.bytes).toBeGreaterThan(4_900_000);
    expect(used.rss).toBeLessThan(10 * used.bytes);
    expect(used.heap).toBeLessThan(10 * used.bytes);
    expect(used.retained).toBeLessThan(used.bytes);
    expect(used.outcomeBytes).toBeLessThan(used.bytes / 10);
    if (kind === 'nulls') {
      expect(used.issues).toBe(1_001);
      expect(used.last.code).toBe('too-costly');
    } else expect(used.issues).toBe(2); // the id, and dom-6 (no narrative)
  });
});
