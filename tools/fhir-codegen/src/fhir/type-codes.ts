import { isRecord } from './json.js';

/**
 * Type codes, the one mapping of FHIRPath system types (`http://hl7.org/fhirpath/System.String`, which R4
 * writes for primitive values and ids) to FHIR type codes and to their JSON type. The type model, the profile
 * model and the validation tables all read type codes through these functions.
 */
export const FHIRPATH_SYSTEM = 'http://hl7.org/fhirpath/System.';
export const FHIR_TYPE_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type';
export const JSON_TYPE_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-json-type';

/** The string value (`valueUrl`, `valueUri`, or `valueString`) of the first extension with `url`, if any. */
export function extensionString(
  extensions: unknown,
  url: string,
  keys: readonly string[] = ['valueUrl', 'valueUri', 'valueString'],
): string | undefined {
  if (!Array.isArray(extensions)) return undefined;
  for (const extension of extensions) {
    if (!isRecord(extension) || extension['url'] !== url) continue;
    for (const key of keys) if (typeof extension[key] === 'string') return extension[key];
  }
  return undefined;
}

/**
 * The FHIR type code of one `ElementDefinition.type` entry: its code, or for a FHIRPath system type the FHIR type
 * its fhir-type extension names, else the system type's name in lower case (`System.String` -> `string`).
 */
export function fhirTypeCode(type: Record<string, unknown>, keys?: readonly string[]): string {
  const code = typeof type['code'] === 'string' ? type['code'] : '';
  if (!code.startsWith(FHIRPATH_SYSTEM)) return code;
  return (
    extensionString(type['extension'], FHIR_TYPE_EXTENSION, keys) ?? code.slice(FHIRPATH_SYSTEM.length).toLowerCase()
  );
}

/** The JSON type of a FHIRPath system type code (`System.Boolean` -> boolean), or undefined for other codes. */
export function systemJsonType(code: string): 'boolean' | 'number' | 'string' | undefined {
  if (!code.startsWith(FHIRPATH_SYSTEM)) return undefined;
  const system = code.slice(FHIRPATH_SYSTEM.length);
  return system === 'Boolean' ? 'boolean' : system === 'Integer' || system === 'Decimal' ? 'number' : 'string';
}
