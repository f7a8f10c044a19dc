// Written as a user of @nhs-fhir/uk-core would: each `@ts-expect-error` is a mistake the profile types must catch.
import type { Patient } from '@nhs-fhir/r4';
import {
  getExtension,
  getSlice,
  isUKCorePatient,
  setExtension,
  type UKCorePatient,
  type UKCorePatientIdentifierNhsNumber,
} from '@nhs-fhir/uk-core';

const nhsNumber: UKCorePatientIdentifierNhsNumber = {
  system: 'https://fhir.nhs.uk/Id/nhs-number',
  value: '9000000009',
};

export const patient: UKCorePatient = {
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

/** A profile value is a value of its base type. */
export const asBase: Patient = patient;
export const nhs: string | undefined = getSlice(patient, 'identifier', 'nhsNumber')?.value;
export const ethnicCode: string | undefined = getExtension(patient, 'ethnicCategory')?.valueCodeableConcept.coding?.[0]
  ?.code;
export const updated: UKCorePatient = setExtension(patient, 'ethnicCategory', {
  valueCodeableConcept: { text: 'White British' },
});
export const parsed: unknown = JSON.parse('{"resourceType":"Patient"}');
export const family: string | undefined = isUKCorePatient(parsed) ? parsed.name?.[0]?.family : undefined;

export const wrongSystem: UKCorePatientIdentifierNhsNumber = {
  // @ts-expect-error the nhsNumber slice fixes system to https://fhir.nhs.uk/Id/nhs-number
  system: 'https://fhir.nhs.uk/Id/nhs-numbr',
  value: '9000000009',
};
// @ts-expect-error the nhsNumber slice requires value (1..1)
export const noValue: UKCorePatientIdentifierNhsNumber = { system: 'https://fhir.nhs.uk/Id/nhs-number' };
// @ts-expect-error a UK Core Patient names its profile in meta.profile
export const noProfile: UKCorePatient = { resourceType: 'Patient', gender: 'female' };
export const otherProfile: UKCorePatient = {
  resourceType: 'Patient',
  // @ts-expect-error meta.profile must name UKCore-Patient, not another profile
  meta: { profile: ['https://fhir.hl7.org.uk/StructureDefinition/UKCore-Practitioner'] },
};
// @ts-expect-error the ethnicCategory extension holds a CodeableConcept, not a string
setExtension(patient, 'ethnicCategory', { valueString: 'A' });
// @ts-expect-error UKCore-Patient has no extension slice named ethnicity
getExtension(patient, 'ethnicity');
// @ts-expect-error Patient.identifier has no slice named nhs
getSlice(patient, 'identifier', 'nhs');
// @ts-expect-error gender is still the required administrative-gender binding
export const wrongGender: UKCorePatient = { ...patient, gender: 'woman' };
