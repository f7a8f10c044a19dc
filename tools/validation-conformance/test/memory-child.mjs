// Run by limits.test.ts with --expose-gc: validates hostile inputs with the built validator and prints what memory
// they cost. It reads the built dist (the test target builds it first), as the test's own module graph cannot be
// loaded into a plain Node process.
import { readFileSync } from 'node:fs';

const [distUrl, tablesPath, kind] = process.argv.slice(2);
const { createValidator } = await import(distUrl);
const validate = createValidator(JSON.parse(readFileSync(tablesPath, 'utf8')));
// Warm up: the validator links the elements it meets on first use, which is not the input's cost.
validate({ resourceType: 'Patient', id: 'x', name: [null, { family: 'x' }] });

const text =
  kind === 'nulls'
    ? `{"resourceType":"Patient","name":[${new Array(1_000_000).fill('null').join(',')}]}`
    : `{"resourceType":"Patient","id":"${'x'.repeat(5_000_000)}"}`;
const input = JSON.parse(text);
globalThis.gc();
const before = process.memoryUsage();
const outcome = validate(input);
const after = process.memoryUsage();
globalThis.gc();
const retained = process.memoryUsage();
process.stdout.write(
  JSON.stringify({
    bytes: text.length,
    rss: after.rss - before.rss,
    heap: after.heapUsed - before.heapUsed,
    retained: retained.heapUsed - before.heapUsed,
    issues: outcome.issue.length,
    outcomeBytes: JSON.stringify(outcome).length,
    last: outcome.issue.at(-1),
  }),
);
