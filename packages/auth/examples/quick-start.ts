import { readFileSync } from 'node:fs';
import { ApplicationRestrictedAuth, authorisedFetch, loadSigningKey } from '@nhs-fhir/auth';

const { NHS_API_KEY, NHS_KID, NHS_PRIVATE_KEY, NHS_ENVIRONMENT = 'int', PDS_BASE_URL } = process.env;
const signingKey = loadSigningKey(readFileSync(NHS_PRIVATE_KEY!), NHS_KID!);
const auth = new ApplicationRestrictedAuth({ apiKey: NHS_API_KEY!, signingKey, environment: NHS_ENVIRONMENT });
const patient = await authorisedFetch(auth, `${PDS_BASE_URL}/Patient/9000000009`, {
  headers: { 'X-Request-ID': crypto.randomUUID() },
});
console.log(patient.status);
