import { generateSigningKey, loadSigningKey, loadSigningKeyFromJwk } from '@nhs-fhir/auth';

// Onboarding: a 4096-bit RSA key; host `jwks` at your JWKS URL, keep the PEM secret.
const { privateKeyPem, jwks } = await generateSigningKey('my-app-2026-11');
const fromPem = loadSigningKey(privateKeyPem, 'my-app-2026-11');
const fromJwk = loadSigningKeyFromJwk({ ...fromPem.keyObject.export({ format: 'jwk' }), kid: 'my-app-2026-11' });
console.log(jwks.keys[0]?.kid, fromJwk.kid);
