// Written as a user of @nhs-fhir/nhs-england would: each `@ts-expect-error` is a mistake the profile types must catch.
import type { Bundle, Flag } from '@nhs-fhir/r4';
import {
  getExtension,
  isEnglandFlagPatientFlagAdjustment,
  type EnglandConditionFlag,
  type EnglandDiagnosticReportMCED,
  type EnglandFlagPatientFlag,
  type EnglandFlagPatientFlagAdjustment,
  type EnglandProvenanceFlag,
  type ExtensionEnglandFlagNotes,
} from '@nhs-fhir/nhs-england';

const flagCategory = {
  coding: [
    {
      system: 'https://fhir.nhs.uk/England/CodeSystem/England-FlagCategoryPatient',
      code: 'national-reasonable-adjustment-flag',
    },
  ],
};

export const patientFlag: EnglandFlagPatientFlag = {
  resourceType: 'Flag',
  meta: { profile: ['https://fhir.nhs.uk/England/StructureDefinition/England-Flag-PatientFlag'] },
  status: 'active',
  category: [flagCategory],
  code: {
    coding: [{ system: 'http://snomed.info/sct', code: '1094871000000107', display: 'Reasonable adjustments flag' }],
  },
  subject: { reference: 'Patient/9000000009' },
};

export const adjustment: EnglandFlagPatientFlagAdjustment = {
  resourceType: 'Flag',
  meta: { profile: ['https://fhir.nhs.uk/England/StructureDefinition/England-Flag-PatientFlag-Adjustment'] },
  extension: [
    {
      url: 'https://fhir.nhs.uk/England/StructureDefinition/Extension-England-FlagNotes',
      valueAnnotation: { text: 'Prefers a quiet waiting room' },
    },
  ],
  status: 'active',
  category: [
    flagCategory,
    {
      coding: [
        { system: 'https://fhir.nhs.uk/England/CodeSystem/England-FlagCategoryRA', code: 'communication-support' },
      ],
    },
  ],
  code: {
    coding: [
      {
        system: 'https://fhir.nhs.uk/England/CodeSystem/England-AdjustmentRA',
        code: 'quiet-environment',
        display: 'Quiet environment',
      },
    ],
  },
  subject: { reference: 'Patient/9000000009' },
};

export const bundle: Bundle<EnglandFlagPatientFlag | EnglandFlagPatientFlagAdjustment> = {
  resourceType: 'Bundle',
  type: 'searchset',
  entry: [{ resource: patientFlag }, { resource: adjustment }],
};

/** Reading a Patient Flag's adjustments: each adjustment's code and its notes, typed by the profiles. */
export const adjustments: { code: string | undefined; notes: string | undefined }[] = (bundle.entry ?? [])
  .map((entry) => entry.resource)
  .filter(isEnglandFlagPatientFlagAdjustment)
  .map((flag) => ({
    code: flag.code.coding?.[0]?.code,
    notes: getExtension(flag, 'extensionEnglandFlagNotes')?.valueAnnotation.text,
  }));
/** A profile value is a value of its base type. */
export const asBase: Flag = adjustment;

// @ts-expect-error an England Patient Flag requires status, code and subject (here: no subject)
export const noSubject: EnglandFlagPatientFlag = {
  resourceType: 'Flag',
  meta: patientFlag.meta,
  status: 'active',
  category: [flagCategory],
  code: patientFlag.code,
};
// @ts-expect-error an England Condition Flag requires code (1..1)
export const noCode: EnglandConditionFlag = {
  resourceType: 'Condition',
  meta: { profile: ['https://fhir.nhs.uk/England/StructureDefinition/England-Condition-Flag'] },
  subject: { reference: 'Patient/9000000009' },
};
export const wrongNotes: ExtensionEnglandFlagNotes = {
  url: 'https://fhir.nhs.uk/England/StructureDefinition/Extension-England-FlagNotes',
  // @ts-expect-error the flag notes extension holds an Annotation, not a string
  valueString: 'quiet room',
};
// @ts-expect-error the notes read from an adjustment are an Annotation: its text is the string
export const notesText: string | undefined = getExtension(adjustment, 'extensionEnglandFlagNotes')?.valueAnnotation;
export const wrongFixedCode: EnglandDiagnosticReportMCED['code'] = {
  // @ts-expect-error the MCED report's code.coding is fixed to SNOMED CT 721981007
  coding: [{ system: 'http://snomed.info/sct', code: '721981008', display: 'Diagnostic studies report' }],
};
// @ts-expect-error England-Provenance-Flag agents are Practitioners: an Organization reference is wrong
export const wrongAgent: EnglandProvenanceFlag['agent'][number]['who'] = { reference: 'Organization/Y12345' };
// @ts-expect-error Patient Flag adjustments have no extension slice called notes
getExtension(adjustment, 'notes');
