import { compileValidationTables, loadPackageGraph, loadWorkspaceSpecs, type PackageResource } from '@nhs-fhir/fhir-codegen';
import { defaultSpecPaths } from '@nhs-fhir/specs';
import { createValidator, type Validate } from '@nhs-fhir/validation';

// Validation cost over the real UK Core and NHS England examples, as a multiple of JSON.parse of the
// same bytes (a ratio stays stable on a noisy machine where raw rates do not). Printed, never asserted.

const PACKAGES = ['fhir.r4.ukcore.stu3.currentbuild#0.22.0-pre-release', 'uk.nhsengland.r4#0.0.1'];
const ROUNDS = 7;

interface Corpus {
  texts: string[];
  bytes: number;
  resources: unknown[];
  files: string[];
  validate: Validate;
}

// CPU time of this process, not wall time: other builds share the two cores, and a loaded machine stretches wall time unevenly.
const cpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** Median CPU milliseconds of one pass over the corpus, repeating each pass until it has used at least 200 ms. */
function measure(pass: () => void): number {
  pass();
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let passes = 0;
    const started = cpuMs();
    do {
      pass();
      passes++;
    } while (cpuMs() - started < 200);
    times.push((cpuMs() - started) / passes);
  }
  return times.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!;
}

/** UK Core examples declare no meta.profile: the profile their file name names is added, so profiles are what is measured. */
function withNamedProfile(example: PackageResource, structures: Record<string, { type: string }>): Record<string, unknown> {
  const json = example.json;
  const meta = (json['meta'] ?? {}) as Record<string, unknown>;
  if (Array.isArray(meta['profile']) && meta['profile'].length > 0) return json;
  const parts = example.file.replace(/^.*\//, '').replace(/-Example\.json$/, '').split('-').slice(1);
  for (let end = parts.length; end >= 2; end--) {
    const url = `https://fhir.hl7.org.uk/StructureDefinition/${parts.slice(0, end).join('-')}`;
    if (structures[url]?.type === json['resourceType']) return { ...json, meta: { ...meta, profile: [url] } };
  }
  const own = `https://fhir.hl7.org.uk/StructureDefinition/UKCore-${String(json['resourceType'])}`;
  return structures[own] === undefined ? json : { ...json, meta: { ...meta, profile: [own] } };
}

async function corpora(): Promise<Corpus[]> {
  const specs = await loadWorkspaceSpecs(defaultSpecPaths(), 'frozen');
  const out: Corpus[] = [];
  for (const key of PACKAGES) {
    const graph = await loadPackageGraph(specs.store, key);
    const started = performance.now();
    const { tables } = compileValidationTables(graph);
    console.log(`${key}: tables compiled in ${Math.round(performance.now() - started)} ms (${(JSON.stringify(tables).length / 1e6).toFixed(1)} MB, ${Object.keys(tables.structures).length} structures)`);
    const examples: PackageResource[] = graph.root.examples;
    const texts = examples.map((example) => JSON.stringify(withNamedProfile(example, tables.structures)));
    out.push({ texts, bytes: texts.reduce((sum, text) => sum + text.length, 0), resources: texts.map((text) => JSON.parse(text) as unknown), files: examples.map((example) => example.file), validate: createValidator(tables) });
  }
  return out;
}

const all = await corpora();
const texts = all.flatMap((corpus) => corpus.texts);
const parseMs = measure(() => {
  for (const text of texts) JSON.parse(text);
});
const rows: [string, number, string[]][] = [];
for (const [label, options] of [
  ['profiles + invariants', {}],
  ['structure only (no invariants)', { invariants: false }],
] as const) {
  const rejected: string[] = [];
  for (const corpus of all) {
    corpus.resources.forEach((resource, index) => {
      if (corpus.validate(resource, options).issue.some((issue) => issue.severity === 'error' || issue.severity === 'fatal')) rejected.push(corpus.files[index]!);
    });
  }
  const ms = measure(() => {
    for (const corpus of all) for (const resource of corpus.resources) corpus.validate(resource, options);
  });
  rows.push([label, ms, rejected]);
}

const count = texts.length;
const bytes = all.reduce((sum, corpus) => sum + corpus.bytes, 0);
console.log(`\n@nhs-fhir/validation over ${count} UK Core + NHS England examples (${(bytes / 1024).toFixed(0)} KiB), median of ${ROUNDS} rounds of CPU time`);
console.log(`  JSON.parse                          ${parseMs.toFixed(2)} ms/pass  ${Math.round((count / parseMs) * 1000)} resources/s  1.0x`);
for (const [label, ms, rejected] of rows) {
  console.log(`  ${label.padEnd(35)} ${ms.toFixed(2)} ms/pass  ${Math.round((count / ms) * 1000)} resources/s  ${(ms / parseMs).toFixed(1)}x JSON.parse  (goal ${label.startsWith('profiles') ? '< 5x' : '< 2x'})  rejected ${rejected.length}${rejected.length > 0 ? `: ${rejected.join(', ')}` : ''}`);
}
