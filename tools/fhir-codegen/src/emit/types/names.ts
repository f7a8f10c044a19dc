import type { ElementModel, ElementType } from '../../model/type-model.js';

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** `Patient.contact` -> `PatientContact`, `Bundle.entry.request` -> `BundleEntryRequest`. */
export const backboneTypeName = (path: string): string => path.split('.').map(capitalise).join('');

/** `value[x]` with type `Quantity` -> `valueQuantity`; `code` stays `valueCode`. */
export const choiceVariantName = (element: ElementModel, type: ElementType): string =>
  `${element.name}${capitalise(type.code)}`;

/** The generated file of a FHIR type. */
export const typeFileName = (typeName: string): string => `${typeName}.ts`;

/** The runtime guard of a resource: `isPatient`. */
export const guardName = (typeName: string): string => `is${typeName}`;
