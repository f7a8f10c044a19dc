import { createRequire } from 'node:module';
import { compileSubset } from './fhirpath-subset.js';
import type { InvariantScope } from './native-invariants.js';

/** The outcome of an invariant fhirpath evaluated: held, violated, or could not be evaluated (with why). */
export type FhirpathVerdict = true | false | { notChecked: string };

type Compiled = (resource: unknown, vars?: Record<string, unknown>) => unknown;

/** What this module uses of fhirpath (an optional peer dependency): compile, and the R4 and STU3 models. */
export interface FhirpathEngine {
  compile(
    path: { base: string; expression: string },
    model: unknown,
    options: { traceFn: (value: unknown, label: string) => void },
  ): Compiled;
  r4: unknown;
  stu3: unknown;
}

const NOT_INSTALLED =
  'fhirpath is not installed (an optional peer dependency of @nhs-fhir/validation: npm install fhirpath@5.2.0)';

/**
 * Loads fhirpath the first time an invariant needs it: the expressions the profiles use compile to closures
 * (fhirpath-subset.ts), so most users never load it, and @nhs-fhir/validation does not install it (it brings
 * ~30 packages and an install script). `require`, not `import()`: validate is synchronous. Without it, such an
 * invariant is "not checked" (information), as any invariant that cannot be evaluated.
 */
export function loadFhirpath(): FhirpathEngine | string {
  try {
    const require = createRequire(import.meta.url);
    const fhirpath = require('fhirpath') as { compile: FhirpathEngine['compile'] };
    return {
      compile: fhirpath.compile,
      r4: require('fhirpath/fhir-context/r4') as unknown,
      stu3: require('fhirpath/fhir-context/stu3') as unknown,
    };
  } catch {
    return NOT_INSTALLED;
  }
}

/** Compiles each (base path, expression) once; an expression fhirpath cannot compile stays "not checked". */
export class FhirpathInvariants {
  private readonly compiled = new Map<string, Compiled | string>();
  private readonly subset = new Map<string, ((node: unknown, resource: unknown) => readonly unknown[]) | null>();
  private engine: FhirpathEngine | string | undefined;

  /** `useSubset`: evaluate the expressions the subset compiler reads as plain closures, fhirpath only for the rest. */
  /** `choices`: the names of the choice elements in the tables (`value` for `value[x]`). */
  /** `load`: how fhirpath is loaded, once, when first needed (tests pass one that fails). */
  constructor(
    private readonly fhirVersion: 'R4' | 'STU3',
    private readonly useSubset = true,
    private readonly choices?: ReadonlySet<string>,
    private readonly load: () => FhirpathEngine | string = loadFhirpath,
  ) {}

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
      const engine = (this.engine ??= this.load());
      if (typeof engine === 'string') return { notChecked: engine };
      try {
        const model = this.fhirVersion === 'STU3' ? engine.stu3 : engine.r4;
        fn = engine.compile({ base: basePath, expression }, model, { traceFn: ignoreTrace });
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
