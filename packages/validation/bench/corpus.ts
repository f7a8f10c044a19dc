import { compileValidationTables, loadPackageGraph, loadWorkspaceSpecs, type PackageResource } from '@nhs-fhir/fhir-codegen';
import { defaultSpecPaths } from '@nhs-fhir/specs';
import type { ValidationTables } from '@nhs-fhir/validation';

/** The packages whose examples the bench validates. */
export const PACKAGES = ['fhir.r4.ukcore.stu3.currentbuild#0.22.0-pre-release', 'uk.nhsengland.r4#0.0.1'];

/** One package's examples: the JSON text, the parsed resources (with their profile named), and the tables to validate them with. */
export interface PackageExamples {
  key: string;
  texts: string[];
  resources: unknown[];
  files: string[];
  tables: ValidationTables;
}

export interface Corpus {
  packages: PackageExamples[];
  /** Every example's JSON text, in package order: what JSON.parse is timed on. */
  texts: string[];
  /** Every example parsed, in the same order: what each validator is timed on. */
  resources: unknown[];
  /** Every example's file name, in the same order. */
  files: string[];
  bytes: number;
  /** The R4 core StructureDefinitions that define a type (specializations and the roots), for the anchors. */
  r4Definitions: Record<string, unknown>[];
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

/** Loads the examples through the workspace's spec loader (mirror first), compiles each package's tables, and collects the R4 core definitions. */
export async function loadCorpus(): Promise<Corpus> {
  const specs = await loadWorkspaceSpecs(defaultSpecPaths(), 'frozen');
  const packages: PackageExamples[] = [];
  let r4Definitions: Record<string, unknown>[] = [];
  for (const key of PACKAGES) {
    const graph = await loadPackageGraph(specs.store, key);
    const started = performance.now();
    const { tables } = compileValidationTables(graph);
    console.log(`${key}: tables compiled in ${Math.round(performance.now() - started)} ms (${(JSON.stringify(tables).length / 1e6).toFixed(1)} MB, ${Object.keys(tables.structures).length} structures)`);
    const examples: PackageResource[] = graph.root.examples;
    const texts = examples.map((example) => JSON.stringify(withNamedProfile(example, tables.structures)));
    packages.push({ key, texts, resources: texts.map((text) => JSON.parse(text) as unknown), files: examples.map((example) => example.file), tables });
    const core = graph.closure.find((loaded) => loaded.id === 'hl7.fhir.r4.core');
    if (core !== undefined && r4Definitions.length === 0) {
      r4Definitions = core.resources
        .filter((resource) => resource.resourceType === 'StructureDefinition' && (resource.json['derivation'] === 'specialization' || resource.json['baseDefinition'] === undefined))
        .map((resource) => resource.json);
    }
  }
  const texts = packages.flatMap((examples) => examples.texts);
  return {
    packages,
    texts,
    resources: packages.flatMap((examples) => examples.resources),
    files: packages.flatMap((examples) => examples.files),
    bytes: texts.reduce((sum, text) => sum + text.length, 0),
    r4Definitions,
  };
}
