// Written as a user of @nhs-fhir/reasonable-adjustments-stu3 would: each `@ts-expect-error` is a mistake the profile
// types must catch.
import type { Flag } from '@nhs-fhir/stu3';
import {
  getExtension,
  isRARecordFlag1,
  setExtension,
  type ExtensionRARecordAdjustmentCategory1,
  type RARecordFlag1,
} from '@nhs-fhir/reasonable-adjustments-stu3';

const category: ExtensionRARecordAdjustmentCategory1 = {
  url: 'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-RARecord-AdjustmentCategory-1',
  valueCodeableConcept: {
    coding: [{ system: 'https://fhir.nhs.uk/STU3/CodeSystem/RARecord-AdjustmentCategory-1', code: 'communication' }],
  },
};

export const flag: RARecordFlag1 = {
  resourceType: 'Flag',
  meta: { profile: ['https://fhir.nhs.uk/STU3/StructureDefinition/RARecord-Flag-1'] },
  extension: [
    category,
    {
      url: 'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-RARecord-AdjustmentNotes-1',
      valueAnnotation: { text: 'Use the toy to explain' },
    },
  ],
  status: 'active',
  category: { coding: [{ system: 'https://fhir.nhs.uk/STU3/CodeSystem/RARecord-FlagCategory-1', code: 'NRAF' }] },
  code: { coding: [{ system: 'https://fhir.nhs.uk/STU3/CodeSystem/RARecord-FlagCode-1', code: 'NRAF' }] },
  subject: { reference: 'Patient/9000000009' },
};

export const asBase: Flag = flag;
export const parsed: unknown = JSON.parse('{"resourceType":"Flag"}');
export const adjustmentCode: string | undefined = isRARecordFlag1(parsed)
  ? getExtension(parsed, 'adjustmentCategory')?.valueCodeableConcept.coding[0].code
  : undefined;
export const notes: string | undefined = getExtension(flag, 'notes')?.valueAnnotation.text;
setExtension(flag, 'notes', { valueAnnotation: { text: 'Quiet room' } });

export const wrongSystem: ExtensionRARecordAdjustmentCategory1 = {
  url: category.url,
  // @ts-expect-error the adjustment category's coding system is fixed to RARecord-AdjustmentCategory-1
  valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: 'communication' }] },
};
// @ts-expect-error a RARecord Flag requires its extensions (Flag.extension 1..*)
export const noExtension: RARecordFlag1 = {
  resourceType: 'Flag',
  meta: flag.meta,
  status: 'active',
  category: flag.category,
  code: flag.code,
  subject: flag.subject,
};
// @ts-expect-error RARecord Flags carry no identifier (max 0)
export const withIdentifier: RARecordFlag1 = { ...flag, identifier: [{ value: '1' }] };
// @ts-expect-error the notes extension holds an Annotation, not a string
setExtension(flag, 'notes', { valueString: 'Quiet room' });
