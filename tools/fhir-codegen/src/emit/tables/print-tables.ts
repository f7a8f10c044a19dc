import type { ValidationTables } from '@nhs-fhir/validation';

/** The tables as canonical JSON text: the same lock gives the same bytes. */
export const printValidationTables = (tables: ValidationTables): string => `${JSON.stringify(tables)}\n`;
