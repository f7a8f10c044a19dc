// The same tasks as consumer.ts with the base model only (@nhs-fhir/r4): the baseline of the type-check cost bench.
import { isPatient, type Extension, type Identifier, type Patient } from '@nhs-fhir/r4';

const nhsNumber: Identifier = { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9000000009' };

export const patient: Patient = {
  resourceType: 'Patient',
  meta: { profile: ['https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient'] },
  identifier: [nhsNumber, { system: 'https://fhir.example.org/Id/mrn', value: 'M123' }],
  name: [{ family: 'Smith', given: ['Jo'] }],
  gender: 'female',
  birthDate: '1990-04-01',
  extension: [
    {
      url: 'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-EthnicCategory',
      valueCodeableConcept: {
        coding: [{ system: 'https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryEngland', code: 'A' }],
      },
    },
  ],
  generalPractitioner: [{ reference: 'Organization/Y12345' }],
};

const ethnicUrl = 'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-EthnicCategory';
export const nhs: string | undefined = patient.identifier?.find(
  (identifier) => identifier.system === 'https://fhir.nhs.uk/Id/nhs-number',
)?.value;
export const ethnicCode: string | undefined = patient.extension?.find((extension) => extension.url === ethnicUrl)
  ?.valueCodeableConcept?.coding?.[0]?.code;
const ethnic: Extension = { url: ethnicUrl, valueCodeableConcept: { text: 'White British' } };
export const updated: Patient = {
  ...patient,
  extension: [...(patient.extension ?? []).filter((extension) => extension.url !== ethnicUrl), ethnic],
};
export const parsed: unknown = JSON.parse('{"resourceType":"Patient"}');
export const family: string | undefined = isPatient(parsed) ? parsed.name?.[0]?.family : undefined;
