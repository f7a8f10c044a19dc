import { readFileSync } from 'node:fs';
import {
  Cis2Client,
  loadSigningKey,
  selectSessionRole,
  UserRestrictedAuth,
  type Cis2AuthorizationRequest,
} from '@nhs-fhir/auth';

const cis2 = new Cis2Client({
  discovery: process.env.CIS2_DISCOVERY ?? 'int', // int | live | a discovery URL
  clientId: process.env.CIS2_CLIENT_ID!,
  clientSecret: process.env.CIS2_CLIENT_SECRET!,
  redirectUri: process.env.CIS2_REDIRECT_URI!,
  // requiredAssuranceLevel: 3 is the default
});

/** Step 1: redirect the user to `pending.url`; keep `pending` in their session. */
export async function startSignIn(): Promise<Cis2AuthorizationRequest> {
  return cis2.createAuthorizationRequest();
}

/** Step 2, on the callback: verify the ID token, choose the role, exchange it at the API Platform. */
export async function finishSignIn(
  callbackUrl: string,
  pending: Cis2AuthorizationRequest,
): Promise<UserRestrictedAuth> {
  const session = await cis2.handleCallback(callbackUrl, pending);
  const userInfo = await cis2.fetchUserInfo(session.accessToken);
  const role = selectSessionRole({ idTokenClaims: session.claims, userInfo });
  return new UserRestrictedAuth({
    apiKey: process.env.NHS_API_KEY!,
    apiSecret: process.env.NHS_API_SECRET!, // the refresh grant uses it
    signingKey: loadSigningKey(readFileSync(process.env.NHS_PRIVATE_KEY!), process.env.NHS_KID!),
    environment: process.env.NHS_ENVIRONMENT ?? 'int',
    idToken: session.idToken,
    sessionRoleId: role.roleId, // sent as NHSD-Session-URID
  });
}
