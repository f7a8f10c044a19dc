import fhirpath from 'fhirpath';
import r4Model from 'fhirpath/fhir-context/r4';
import stu3Model from 'fhirpath/fhir-context/stu3';
import { compileSubset } from './fhirpath-subset.js';
import type { InvariantScope } from './native-invariants.js';

/** The outcome of an invariant fhirpath evaluated: held, violated, or could not be evaluated (with why). */
export type FhirpathVerdict = true | false | { notChecked: string };

type Compiled = (resource: unknown, vars?: Record<string, unknown>) => unknown;

/** Compiles each (base path, expression) once; an expression fhirpath cannot compile stays "not checked". */
export class FhirpathInvariants {
  private readonly compiled = new Map<string, Compiled | string>();
  private readonly subset = new Map<string, ((node: unknown, resource: unknown) => unknown[]) | null>();
  private readonly model;

  /** `useSubset`: evaluate the expressions the subset compiler reads as plain closures, fhirpath only for the rest. */
  /** `choices`: the names of the choice elements in the tables (`value` for `value[x]`). */
  constructor(
    fhirVersion: 'R4' | 'STU3',
    private readonly useSubset = true,
    private readonly choices?: ReadonlySet<string>,
  ) {
    this.model = fhirVersion === 'STU3' ? stu3Model : r4Model;
  }

  evaluate(expression: string, basePath: string, node: unknown, scope: InvariantScope): FhirpathVerdict {
    if (this.useSubset) {
      let compiled = this.subset.get(expression);
      if (compiled === undefined) {
        try {
          compiled = compileSubset(expression, this.choices);
        } catch {
          compiled = null; // outside the subset: fhirpath evaluates it
        }
        this.subset.set(expression, compiled);
      }
      if (compiled !== null) {
        try {
          const result = compiled(node, scope.resource ?? node);
          if (result.length === 0) return true;
          if (result.length === 1 && typeof result[0] === 'boolean') return result[0];
        } catch {
          // a value the subset does not handle (a date, several values): fhirpath decides
        }
      }
    }
    const key = `${basePath}\u0000${expression}`;
    let fn = this.compiled.get(key);
    if (fn === undefined) {
      try {
        fn = fhirpath.compile({ base: basePath, expression }, this.model, { traceFn: ignoreTrace }) as Compiled;
      } catch (error) {
        fn = reason(error);
      }
      this.compiled.set(key, fn);
    }
    if (typeof fn === 'string') return { notChecked: fn };
    try {
      const result = fn(node, {
        resource: scope.resource ?? node,
        rootResource: scope.container ?? scope.resource ?? node,
      });
      if (!Array.isArray(result)) return { notChecked: 'the expression did not give a collection' };
      // An empty result is not a failure: FHIRPath gives empty where an operand is missing or precisions differ.
      if (result.length === 0) return true;
      if (result.length === 1 && typeof result[0] === 'boolean') return result[0];
      return { notChecked: 'the expression did not give a single boolean' };
    } catch (error) {
      return { notChecked: reason(error) };
    }
  }
}

// Invariants such as dom-3 call trace(); its output is not an issue.
const ignoreTrace = (): void => undefined;

const reason = (error: unknown): string => {
  const text = error instanceof Error ? error.message : String(error);
  const line = text.split('\n')[0] ?? '';
  return line.length > 160 ? `${line.slice(0, 160)}...` : line;
};
