import {
  compileValidationTables,
  loadPackageGraph,
  loadWorkspaceSpecs,
  type PackageResource,
} from '@nhs-fhir/fhir-codegen';
import { defaultSpecPaths } from '@nhs-fhir/specs';
import type { ValidationTables } from '@nhs-fhir/validation';
import { withNamedProfile } from './named-profile.js';

/** The packages whose examples the bench validates. */
export const PACKAGES = ['fhir.r4.ukcore.stu3.currentbuild#0.22.0-pre-release', 'uk.nhsengland.r4#0.0.1'];

/**
 * One package's examples: the JSON text, the parsed resources (with their profile named), and the tables to validate
 * them with.
 */
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

/**
 * Loads the examples through the workspace's spec loader (mirror first), compiles each package's tables, and collects
 * the R4 core definitions.
 */
export async function loadCorpus(): Promise<Corpus> {
  const specs = await loadWorkspaceSpecs(defaultSpecPaths(), 'frozen');
  const packages: PackageExamples[] = [];
  let r4Definitions: Record<string, unknown>[] = [];
  for (const key of PACKAGES) {
    const graph = await loadPackageGraph(specs.store, key);
    const started = performance.now();
    const { tables } = compileValidationTables(graph);
    console.log(
      `${key}: tables compiled in ${Math.round(performance.now() - started)} ms ` +
        `(${(JSON.stringify(tables).length / 1e6).toFixed(1)} MB, ${Object.keys(tables.structures).length} structures)`,
    );
    const examples: PackageResource[] = graph.root.examples;
    // UK Core examples declare no meta.profile: the profile their file name names is added, so profiles are what is
    // measured.
    const texts = examples.map((example) => JSON.stringify(withNamedProfile(example, tables.structures)));
    packages.push({
      key,
      texts,
      resources: texts.map((text) => JSON.parse(text) as unknown),
      files: examples.map((example) => example.file),
      tables,
    });
    const core = graph.closure.find((loaded) => loaded.id === 'hl7.fhir.r4.core');
    if (core !== undefined && r4Definitions.length === 0) {
      r4Definitions = core.resources
        .filter(
          (resource) =>
            resource.resourceType === 'StructureDefinition' &&
            (resource.json['derivation'] === 'specialization' || resource.json['baseDefinition'] === undefined),
        )
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
