import { fhirJsValidator } from './anchors/fhir-js.js';
import { fhirpathEle1Validator } from './anchors/fhirpath-ele1.js';
import { fhirschemaValidator } from './anchors/fhirschema.js';
import { medplumValidator } from './anchors/medplum.js';
import { zodFhirR4Validator } from './anchors/zod-fhir-r4.js';
import { reasonOf, type AnchorContext, type BenchValidator, type NotMeasured } from './bench-validator.js';
import { loadCorpus, type Corpus } from './corpus.js';
import { timeInterleaved } from './interleaved-timing.js';
import { ourValidators } from './ours.js';

// Validation cost over the real UK Core and NHS England examples, ours beside the anchors issue 4 names, as a multiple
// of
// JSON.parse of the same bytes. Printed, never asserted.

const TIMING = { rounds: 21, blockMs: 100 };
const REASONS_SHOWN = 6;
const FILES_SHOWN = 4;

const ANCHORS: [label: string, setUp: (context: AnchorContext) => BenchValidator][] = [
  ['@atomic-ehr/fhirschema', fhirschemaValidator],
  ['@solarahealth/fhir-r4 (zod)', zodFhirR4Validator],
  ['FHIR.js (fhir)', fhirJsValidator],
  ['@medplum/core validateResource', medplumValidator],
  ['fhirpath ele-1 on every element', fhirpathEle1Validator],
];

interface Rejection {
  file: string;
  reason: string;
}

const started = performance.now();
const corpus = await loadCorpus();

const ours = ourValidators(corpus);
const validators: BenchValidator[] = [...ours];
const notMeasured: NotMeasured[] = [];
for (const [label, setUp] of ANCHORS) {
  const setUpStarted = performance.now();
  try {
    validators.push(setUp({ r4Definitions: corpus.r4Definitions }));
    console.log(`${label}: set up in ${Math.round(performance.now() - setUpStarted)} ms`);
  } catch (error) {
    notMeasured.push({ label, reason: reasonOf(error) });
  }
}

/** What a validator rejects on one pass; a validator that throws rejects that resource with the error as its reason. */
function rejections(validator: BenchValidator, { resources, files }: Corpus): Rejection[] {
  const out: Rejection[] = [];
  resources.forEach((resource, index) => {
    let reason: string | undefined;
    try {
      reason = validator.check(resource);
    } catch (error) {
      reason = `threw: ${reasonOf(error)}`;
    }
    if (reason !== undefined) out.push({ file: files[index]!, reason });
  });
  return out;
}

const verdicts = validators.map((validator) => rejections(validator, corpus));
const unchanged = corpus.resources.every((resource, index) => JSON.stringify(resource) === corpus.texts[index]);
if (!unchanged)
  throw new Error('a validator changed the resources it was given: the timings would not compare like with like');

const { texts, resources } = corpus;
const timings = timeInterleaved(
  () => {
    for (const text of texts) JSON.parse(text);
  },
  validators.map((validator) => () => {
    for (const resource of resources) {
      try {
        validator.check(resource);
      } catch {
        // counted as a rejection above; timed as it runs
      }
    }
  }),
  TIMING,
);

const exampleName = (file: string): string => file.replace(/^.*\//, '').replace(/\.json$/, '');

/** Rejections grouped by reason (indices ignored), largest group first, each with a few of its files. */
function describeRejections(rejected: Rejection[]): string[] {
  if (rejected.length === 0) return ['rejected none'];
  const groups = new Map<string, Rejection[]>();
  for (const rejection of rejected) {
    const key = rejection.reason.replace(/\d+/g, '#');
    groups.set(key, [...(groups.get(key) ?? []), rejection]);
  }
  const sorted = [...groups.values()].sort((a, b) => b.length - a.length);
  const lines = [`rejected ${rejected.length}:`];
  for (const group of sorted.slice(0, REASONS_SHOWN)) {
    const names = group.slice(0, FILES_SHOWN).map((rejection) => exampleName(rejection.file));
    const more = group.length > FILES_SHOWN ? ` +${group.length - FILES_SHOWN} more` : '';
    lines.push(`  ${String(group.length).padStart(3)} × ${group[0]!.reason}  [${names.join(', ')}${more}]`);
  }
  if (sorted.length > REASONS_SHOWN) {
    const rest = sorted.slice(REASONS_SHOWN).reduce((sum, group) => sum + group.length, 0);
    lines.push(`  ${String(rest).padStart(3)} × ${sorted.length - REASONS_SHOWN} other reasons`);
  }
  return lines;
}

const count = resources.length;
const rate = (ms: number): string => String(Math.round((count / ms) * 1000)).padStart(11);
const LABEL_WIDTH = 44;
console.log(
  `\nValidation over ${count} UK Core + NHS England examples (${(corpus.bytes / 1024).toFixed(0)} KiB), CPU time. ` +
    'Each round times every row beside a' +
    `\nJSON.parse block of the same bytes; x JSON.parse is the median of ${TIMING.rounds} per-round ratios ` +
    '(their quartiles beside it),' +
    `\nms/pass the median of the row's blocks. A rejection is any error-level issue; the reason shown is the first.`,
);
console.log(
  `  ${'validator'.padEnd(LABEL_WIDTH)} ${'ms/pass'.padStart(8)} ${'resources/s'.padStart(11)} ` +
    `${'x JSON.parse'.padStart(12)} ${'(quartiles)'.padEnd(13)} checks against`,
);
console.log(
  `  ${'JSON.parse (the floor)'.padEnd(LABEL_WIDTH)} ${timings.parseMsPerPass.toFixed(2).padStart(8)} ` +
    `${rate(timings.parseMsPerPass)} ${'1.0x'.padStart(12)} ${''.padEnd(13)} -`,
);
validators.forEach((validator, index) => {
  const { msPerPass, ratio, ratioQuartiles } = timings.rows[index]!;
  const goal = validator.goal === undefined ? '' : `  (goal ${validator.goal})`;
  const quartiles = `(${ratioQuartiles.map((value) => value.toFixed(1)).join('-')})`;
  console.log(
    `  ${validator.label.padEnd(LABEL_WIDTH)} ${msPerPass.toFixed(2).padStart(8)} ${rate(msPerPass)} ` +
      `${`${ratio.toFixed(1)}x`.padStart(12)} ${quartiles.padEnd(13)} ${validator.against}${goal}`,
  );
  for (const line of describeRejections(verdicts[index]!)) console.log(`      ${line}`);
});
for (const { label, reason } of notMeasured) console.log(`  ${label.padEnd(LABEL_WIDTH)} not measured: ${reason}`);
// Ours again, one line each naming the anchor, so a reader (or a script) finds both ratios of this run.
console.log('');
ours.forEach((validator, index) => {
  const { ratio } = timings.rows[index]!;
  const rejected = verdicts[index]!.length;
  console.log(
    `${validator.label}: ${ratio.toFixed(2)}x JSON.parse of the same bytes (goal ${validator.goal}), ` +
      `${rejected} of ${count} examples rejected`,
  );
});

const notes = validators.flatMap((validator) => (validator.notes ?? []).map((note) => `  ${validator.label}: ${note}`));
if (notes.length > 0) console.log(`\nHow the anchors are run:\n${notes.join('\n')}`);
console.log(`\nbench: ${((performance.now() - started) / 1000).toFixed(0)} s`);
