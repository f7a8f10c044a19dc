import { readFileSync } from 'node:fs';
import { ApplicationRestrictedAuth, authorisedFetch, loadSigningKey } from '@nhs-fhir/auth';

const auth = new ApplicationRestrictedAuth({
  apiKey: process.env.NHS_API_KEY!,
  signingKey: loadSigningKey(readFileSync(process.env.NHS_PRIVATE_KEY!), process.env.NHS_KID!),
  environment: process.env.NHS_ENVIRONMENT ?? 'int', // sandbox | int | prod | a token URL
});
const patient = await authorisedFetch(auth, `${process.env.PDS_BASE_URL}/Patient/9000000009`, {
  headers: { 'X-Request-ID': crypto.randomUUID() },
});
console.log(patient.status);
