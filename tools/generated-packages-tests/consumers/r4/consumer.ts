// Written as a user of @nhs-fhir/r4 would: each `@ts-expect-error` is a mistake the types must catch.
import {
  isPatient,
  isResource,
  type AnyResource,
  type Bundle,
  type Observation,
  type Patient,
  type Reference,
  type ResourceOfType,
  type ResourceType,
} from '@nhs-fhir/r4';

const patientId = '9000000009';

export const patient: Patient = {
  resourceType: 'Patient',
  id: patientId,
  identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: patientId }],
  name: [{ family: 'Smith', given: ['Jo'] }],
  gender: 'female',
  birthDate: '1990-04-01',
  _birthDate: {
    extension: [
      { url: 'http://hl7.org/fhir/StructureDefinition/patient-birthTime', valueDateTime: '1990-04-01T08:30:00Z' },
    ],
  },
  generalPractitioner: [{ reference: 'Organization/Y12345', type: 'Organization', display: 'The Surgery' }],
};

export const observation: Observation = {
  resourceType: 'Observation',
  id: 'weight-1',
  status: 'final',
  code: { coding: [{ system: 'http://snomed.info/sct', code: '27113001', display: 'Body weight' }] },
  subject: { reference: `Patient/${patientId}` },
  effectiveDateTime: '2024-05-01T10:00:00Z',
  valueQuantity: { value: 72.5, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' },
};

export const bundle: Bundle<Patient | Observation> = {
  resourceType: 'Bundle',
  type: 'collection',
  entry: [{ fullUrl: `urn:uuid:${patientId}`, resource: patient }, { resource: observation }],
};

/** `switch (resource.resourceType)` narrows AnyResource to the resource's interface. */
export function summary(resource: AnyResource): string {
  switch (resource.resourceType) {
    case 'Patient':
      return `${resource.name?.[0]?.family ?? '?'} (${resource.gender ?? 'unknown'})`;
    case 'Observation': {
      const quantity = resource.valueQuantity;
      return `${resource.code.coding?.[0]?.display ?? '?'}: ${quantity?.value ?? '?'} ${quantity?.unit ?? ''}`;
    }
    default:
      return resource.resourceType;
  }
}

/** Follows a typed reference within a bundle: the result is typed by the reference's targets. */
export function resolveReference<T extends ResourceType>(
  from: Bundle,
  reference: Reference<T>,
): ResourceOfType<T> | undefined {
  for (const entry of from.entry ?? []) {
    const resource = entry.resource;
    if (resource !== undefined && `${resource.resourceType}/${resource.id ?? ''}` === reference.reference)
      return resource as ResourceOfType<T>;
  }
  return undefined;
}

const subject = observation.subject === undefined ? undefined : resolveReference(bundle, observation.subject);
// Observation.subject targets Patient | Group | Device | Location: narrowing on resourceType reaches Patient
export const subjectName: string | undefined =
  subject?.resourceType === 'Patient' ? subject.name?.[0]?.family : undefined;
export const patients: Patient[] = (bundle.entry ?? []).map((entry) => entry.resource).filter(isPatient);
export const parsed: unknown = JSON.parse('{"resourceType":"Patient"}');
export const parsedType: ResourceType | undefined = isResource(parsed) ? parsed.resourceType : undefined;
export const gpReference: Reference<'Organization' | 'Practitioner' | 'PractitionerRole'> | undefined =
  patient.generalPractitioner?.[0];

// @ts-expect-error gender is a required binding: 'woman' is not in administrative-gender
export const wrongGender: Patient = { resourceType: 'Patient', gender: 'woman' };
export const wrongTarget: Patient = {
  resourceType: 'Patient',
  // @ts-expect-error managingOrganization is a Reference<'Organization'>: a Practitioner reference is wrong
  managingOrganization: { reference: 'Practitioner/123' },
};
// @ts-expect-error resourceType is required
export const noResourceType: Patient = { id: 'no-type' };
export const wrongEntry: Bundle<Patient> = {
  resourceType: 'Bundle',
  type: 'collection',
  // @ts-expect-error a Bundle<Patient> holds only Patients
  entry: [{ resource: observation }],
};
// @ts-expect-error Observation.status is required
export const noStatus: Observation = { resourceType: 'Observation', code: { text: 'weight' } };
export const wrongChoice: Observation = {
  resourceType: 'Observation',
  status: 'final',
  code: { text: 'x' },
  // @ts-expect-error unknown choice variant: Observation.value[x] has no valueDecimal
  valueDecimal: 1,
};
// @ts-expect-error the primitive extension of birthDate is an Element, not a string
export const wrongExtension: Patient = { resourceType: 'Patient', _birthDate: '1990' };
