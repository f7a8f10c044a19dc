import {
  compileValidationTables,
  coreGraphOf,
  loadPackageGraph,
  loadWorkspaceSpecs,
  type PackageResource,
} from '@nhs-fhir/fhir-codegen';
import { defaultSpecPaths } from '@nhs-fhir/specs';
import { withNamedProfile } from '../bench/named-profile.js';
import { createValidator, mergeTables, type Validate, type ValidationTables } from '@nhs-fhir/validation';

// The real packages, compiled once per test file: UK Core, NHS England (on UK Core) and RARecord (STU3).

export const PACKAGES = [
  'fhir.r4.ukcore.stu3.currentbuild#0.22.0-pre-release',
  'uk.nhsengland.r4#0.0.1',
  'nhsconnect.stu3.rarecord#0.0.0-develop.4543c05',
] as const;

export interface CompiledPackage {
  key: string;
  /** Assigned to the runtime type: the compiler's table format must stay assignable to it. */
  tables: ValidationTables;
  /**
   * The layers as the packages ship them: the base types' (in @nhs-fhir/r4, stu3), then the package's own, compiled
   * over the base layer.
   */
  layers: [ValidationTables, ValidationTables];
  validate: Validate;
  /** The package's examples; UK Core's with the profile their file name names in meta.profile (they declare none). */
  examples: PackageResource[];
}

export async function compileRealPackages(): Promise<CompiledPackage[]> {
  const specs = await loadWorkspaceSpecs(defaultSpecPaths(), 'frozen');
  const compiled: CompiledPackage[] = [];
  for (const key of PACKAGES) {
    const graph = await loadPackageGraph(specs.store, key);
    const tables: ValidationTables = compileValidationTables(graph).tables;
    const base = compileValidationTables(coreGraphOf(graph)!, { scope: 'base' }).tables;
    const layers: CompiledPackage['layers'] = [base, compileValidationTables(graph, { parent: base }).tables];
    const examples = key.startsWith('fhir.r4.ukcore')
      ? graph.root.examples.map((example) => ({ ...example, json: withNamedProfile(example, tables.structures) }))
      : graph.root.examples;
    // Validated as the packages validate: the two layers combined at run time.
    compiled.push({ key, tables, layers, validate: createValidator(mergeTables(layers)), examples });
  }
  return compiled;
}

/** `Patient.identifier[0].system` as JSON steps below the resource: `identifier`, 0, `system`. */
export function jsonSteps(expression: string): (string | number)[] {
  const steps: (string | number)[] = [];
  for (const part of expression.split('.').slice(1)) {
    const match = /^([^[]+)((?:\[\d+\])*)$/.exec(part);
    if (match === null) return [];
    steps.push(match[1]!);
    for (const index of match[2]!.matchAll(/\[(\d+)\]/g)) steps.push(Number(index[1]));
  }
  return steps;
}

/** The parent object (or array) and the last step of an expression, in a resource. */
export function locate(
  resource: unknown,
  expression: string,
): { holder: Record<string | number, unknown>; step: string | number } | undefined {
  const steps = jsonSteps(expression);
  let holder: unknown = resource;
  for (const step of steps.slice(0, -1)) {
    if (typeof holder !== 'object' || holder === null) return undefined;
    holder = (holder as Record<string | number, unknown>)[step];
  }
  const step = steps.at(-1);
  return step === undefined || typeof holder !== 'object' || holder === null
    ? undefined
    : { holder: holder as Record<string | number, unknown>, step };
}
