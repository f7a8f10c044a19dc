import { readFileSync } from 'node:fs';
import { authorisedFetch, reasonableAdjustmentsInteractions, SpineDirectAuth } from '@nhs-fhir/auth';

const spine = new SpineDirectAuth({
  issuer: 'https://my-system.example.nhs.uk', // the JWT iss: your system
  fromAsid: '200000000205', // your ASID
  toAsid: process.env.SPINE_TO_ASID!, // the Spine service's ASID
  odsCode: 'RR8',
  userRoleProfileId: '555254242105', // the smartcard user's role profile id
  tls: {
    cert: readFileSync(process.env.SPINE_CLIENT_CERT!),
    key: readFileSync(process.env.SPINE_CLIENT_KEY!),
    ca: readFileSync(process.env.SPINE_CA!),
  },
});
const flags = await authorisedFetch(spine, `${process.env.RA_BASE_URL}/Flag?patient=9000000009`, {
  interaction: reasonableAdjustmentsInteractions.flagRead, // InteractionID and JWT scope
});
console.log(flags.status);
await spine.close();
