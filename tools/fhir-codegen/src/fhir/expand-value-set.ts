import { isRecord } from './json.js';
import type { CanonicalIndex } from '../load/canonical-index.js';

/** Codes above this count are not worth a string-literal union: the binding stays `string`. */
export const MAX_ENUMERATED_CODES = 500;

/**
 * Expands a value set offline from the ValueSets and CodeSystems of the package closure, or says
 * it cannot (undefined): a filter, a code system that is missing or not `complete`, or an import
 * that cannot itself be expanded. Codes keep definition order, each once.
 */
export class ValueSetExpander {
  private readonly cache = new Map<string, string[] | undefined>();

  constructor(private readonly index: CanonicalIndex) {}

  expand(canonical: string): string[] | undefined {
    if (this.cache.has(canonical)) return this.cache.get(canonical);
    this.cache.set(canonical, undefined); // a value set that imports itself is not expandable
    const codes = this.expandUncached(canonical);
    const result = codes === undefined || codes.length === 0 || codes.length > MAX_ENUMERATED_CODES ? undefined : codes;
    this.cache.set(canonical, result);
    return result;
  }

  private resolve(resourceType: string, canonical: string): Record<string, unknown> | undefined {
    const found = this.index.resolve(canonical) ?? this.index.resolve(canonical.split('|')[0]!);
    return found !== undefined && found.resourceType === resourceType ? found.json : undefined;
  }

  private expandUncached(canonical: string): string[] | undefined {
    const valueSet = this.resolve('ValueSet', canonical);
    if (valueSet === undefined) return undefined;
    const compose = valueSet['compose'];
    if (!isRecord(compose)) return expansionCodes(valueSet['expansion']);
    const included = new Set<string>();
    for (const include of records(compose['include'])) {
      const codes = this.componentCodes(include);
      if (codes === undefined) return undefined;
      for (const code of codes) included.add(code);
    }
    for (const exclude of records(compose['exclude'])) {
      const codes = this.componentCodes(exclude);
      if (codes === undefined) return undefined;
      for (const code of codes) included.delete(code);
    }
    return [...included];
  }

  /**
   * The codes one `include` or `exclude` selects: explicit concepts, a whole code system, and/or imported value sets
   * (intersected).
   */
  private componentCodes(component: Record<string, unknown>): string[] | undefined {
    if (Array.isArray(component['filter']) && component['filter'].length > 0) return undefined;
    let codes: string[] | undefined;
    const system = component['system'];
    if (typeof system === 'string') {
      const concepts = records(component['concept']);
      if (concepts.length > 0)
        codes = concepts.map((concept) => concept['code']).filter((code): code is string => typeof code === 'string');
      else {
        const codeSystem = this.resolve(
          'CodeSystem',
          typeof component['version'] === 'string' ? `${system}|${component['version']}` : system,
        );
        if (codeSystem === undefined || codeSystem['content'] !== 'complete') return undefined;
        codes = conceptCodes(codeSystem['concept']);
      }
    }
    const imports = Array.isArray(component['valueSet'])
      ? component['valueSet']
      : typeof component['valueSet'] === 'string'
        ? [component['valueSet']]
        : [];
    for (const imported of imports) {
      if (typeof imported !== 'string') return undefined;
      const importedCodes = this.expand(imported);
      if (importedCodes === undefined) return undefined;
      codes = codes === undefined ? importedCodes : codes.filter((code) => importedCodes.includes(code));
    }
    return codes;
  }
}

function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

/** Every code of a code system's concept tree, depth first. */
function conceptCodes(concepts: unknown, into: string[] = []): string[] {
  for (const concept of records(concepts)) {
    if (typeof concept['code'] === 'string') into.push(concept['code']);
    conceptCodes(concept['concept'], into);
  }
  return into;
}

function expansionCodes(expansion: unknown): string[] | undefined {
  if (!isRecord(expansion)) return undefined;
  const codes: string[] = [];
  const walk = (contains: unknown): void => {
    for (const entry of records(contains)) {
      if (typeof entry['code'] === 'string') codes.push(entry['code']);
      walk(entry['contains']);
    }
  };
  walk(expansion['contains']);
  return codes;
}
