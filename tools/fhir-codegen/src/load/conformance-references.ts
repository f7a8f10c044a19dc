import { isRecord } from '../fhir/index.js';
import type { PackageResource } from './package-store.js';

/** A canonical reference from one conformance resource to another, and where it sits. */
export interface ConformanceReference {
  canonical: string;
  /** FHIRPath-like location inside the referring resource, e.g. `Flag.code.binding.valueSet`. */
  path: string;
}

const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);
const strings = (value: unknown): string[] => asArray(value).filter((item): item is string => typeof item === 'string');

/**
 * The canonical references a StructureDefinition, ValueSet or CapabilityStatement makes, in R4 or
 * STU3 shape (STU3 keeps `profile`/`targetProfile` single and binds through `valueSetReference`).
 */
export function conformanceReferences(resource: PackageResource): ConformanceReference[] {
  const json = resource.json;
  const found: ConformanceReference[] = [];
  const add = (canonical: unknown, path: string): void => {
    if (typeof canonical === 'string' && canonical.length > 0) found.push({ canonical, path });
  };
  if (resource.resourceType === 'StructureDefinition') {
    add(json['baseDefinition'], 'baseDefinition');
    for (const view of ['snapshot', 'differential'] as const) {
      const container = json[view];
      const elements = isRecord(container) && Array.isArray(container['element']) ? container['element'] : [];
      for (const element of elements) {
        if (!isRecord(element)) continue;
        const at = typeof element['id'] === 'string' ? element['id'] : String(element['path']);
        for (const type of asArray(element['type'])) {
          if (!isRecord(type)) continue;
          for (const url of strings(type['profile'])) add(url, `${at}.type.profile`);
          for (const url of strings(type['targetProfile'])) add(url, `${at}.type.targetProfile`);
        }
        const binding = element['binding'];
        if (isRecord(binding)) {
          add(binding['valueSet'], `${at}.binding.valueSet`);
          add(binding['valueSetUri'], `${at}.binding.valueSetUri`);
          if (isRecord(binding['valueSetReference']))
            add(binding['valueSetReference']['reference'], `${at}.binding.valueSetReference`);
        }
      }
    }
  } else if (resource.resourceType === 'ValueSet') {
    const compose = json['compose'];
    if (isRecord(compose)) {
      for (const part of ['include', 'exclude'] as const) {
        asArray(compose[part]).forEach((clause, index) => {
          if (isRecord(clause))
            for (const url of strings(clause['valueSet'])) add(url, `compose.${part}[${index}].valueSet`);
        });
      }
    }
  } else if (resource.resourceType === 'CapabilityStatement') {
    asArray(json['rest']).forEach((rest) => {
      if (!isRecord(rest)) return;
      asArray(rest['resource']).forEach((entry) => {
        if (!isRecord(entry)) return;
        const type = String(entry['type']);
        const profile = entry['profile'];
        add(isRecord(profile) ? profile['reference'] : profile, `rest.resource(${type}).profile`);
        for (const url of asArray(entry['supportedProfile'])) {
          add(isRecord(url) ? url['reference'] : url, `rest.resource(${type}).supportedProfile`);
        }
      });
    });
  }
  return found;
}
