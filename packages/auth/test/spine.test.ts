import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, fetch } from 'undici';
import {
  authorisedFetch,
  createSpineJwt,
  InvalidAuthInputError,
  MissingClientCertificateError,
  reasonableAdjustmentsInteractions,
  SpineDirectAuth,
  TransportError,
  type SpineJwtInput,
} from '../src/index.js';
import { decodeJwtIndependently } from './support/decode-jwt.js';
import { MutualTlsServer } from './support/mtls-server.js';
import { TestCa } from '@nhs-fhir/testing';

const input: SpineJwtInput = {
  issuer: 'https://supplier.example.nhs.uk',
  audience: 'https://clinicals.spineservices.nhs.uk/STU3/Flag?patient=9000000009#frag',
  asid: '200000000205',
  odsCode: 'RR8',
  userRoleProfileId: '555254242105',
  scope: 'user/Flag.read',
};
const NOW = Date.UTC(2026, 10, 23, 3, 0, 0);

describe('Spine Core JWT', () => {
  it('is unsecured, ends with a dot, and carries every RA claim (decoded independently)', () => {
    const token = createSpineJwt(input, NOW);
    expect(token.endsWith('.')).toBe(true);
    const decoded = decodeJwtIndependently(token);
    expect(decoded.header).toEqual({ alg: 'none', typ: 'JWT' });
    expect(decoded.signature).toBe('');
    const iat = Math.floor(NOW / 1000);
    expect(decoded.payload).toEqual({
      iss: 'https://supplier.example.nhs.uk',
      sub: 'https://fhir.nhs.uk/Id/sds-role-profile-id|555254242105',
      aud: 'https://clinicals.spineservices.nhs.uk/STU3/Flag',
      iat,
      exp: iat + 300,
      reason_for_request: 'directcare',
      scope: 'user/Flag.read',
      requesting_system: 'https://fhir.nhs.uk/Id/accredited-system|200000000205',
      requesting_organization: 'https://fhir.nhs.uk/Id/ods-organization-code|RR8',
      requesting_user: 'https://fhir.nhs.uk/Id/sds-role-profile-id|555254242105',
    });
  });

  it('can name the scope claim requested_scope, as the Spine Core scopes page does', () => {
    const payload = decodeJwtIndependently(createSpineJwt({ ...input, scopeClaim: 'requested_scope' }, NOW)).payload;
    expect(payload.requested_scope).toBe('user/Flag.read');
    expect(payload).not.toHaveProperty('scope');
  });

  it.each([
    ['asid', { asid: '20000000020A' }],
    ['asid', { asid: '' }],
    ['odsCode', { odsCode: 'rr8' }],
    ['odsCode', { odsCode: 'R' }],
    ['odsCode', { odsCode: 'RR8 ' }],
    ['userRoleProfileId', { userRoleProfileId: 'abc' }],
    ['issuer', { issuer: 'not a url' }],
    ['audience', { audience: 'ftp://spine/STU3' }],
    ['scope', { scope: 'Flag.read' }],
    ['reasonForRequest', { reasonForRequest: 'curiosity' }],
  ])('rejects a bad %s with a typed error naming the field', (field, override) => {
    const act = () => createSpineJwt({ ...input, ...(override as Partial<SpineJwtInput>) }, NOW);
    expect(act).toThrow(InvalidAuthInputError);
    try {
      act();
    } catch (error) {
      expect((error as InvalidAuthInputError).code).toBe('ERR_AUTH_INVALID_INPUT');
      expect((error as InvalidAuthInputError).field).toBe(field);
    }
  });
});

describe('Spine-direct transport against a server that requires client certificates', () => {
  let server: MutualTlsServer;
  beforeAll(async () => {
    server = await new MutualTlsServer().start();
  });
  afterAll(async () => {
    await server.stop();
  });

  const options = () => ({
    issuer: 'https://supplier.example.nhs.uk',
    fromAsid: '200000000205',
    toAsid: '999999999999',
    odsCode: 'RR8',
    userRoleProfileId: '555254242105',
  });

  it('test certificates chain as intended', () => {
    expect(server.clientCa.issued(server.clientCa.issue('x').certPem)).toBe(true);
    expect(server.clientCa.issued(new TestCa('Other').issue('x').certPem)).toBe(false);
  });

  it('is accepted with the right certificate and sends the JWT and Spine headers', async () => {
    const client = server.clientCa.issue('supplier-endpoint.example.nhs.uk');
    const auth = new SpineDirectAuth({
      ...options(),
      tls: { cert: client.certPem, key: client.keyPem, ca: server.serverCa.certPem },
    });
    const before = server.seen.length;
    const response = await authorisedFetch(auth, `${server.url}/STU3/Flag?patient:identifier=9000000009`, {
      interaction: reasonableAdjustmentsInteractions.flagRead,
    });
    expect(response.status).toBe(200);
    await response.body?.cancel();
    const seen = server.seen[before];
    expect(seen?.clientCertificate).toBe('supplier-endpoint.example.nhs.uk');
    expect(seen?.headers.fromasid).toBe('200000000205');
    expect(seen?.headers.toasid).toBe('999999999999');
    expect(seen?.headers.interactionid).toBe('urn:nhs:names:services:raflags:Flag.read:1');
    expect(String(seen?.headers.traceid)).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    const bearer = String(seen?.headers.authorization);
    expect(bearer.startsWith('Bearer ')).toBe(true);
    const jwt = decodeJwtIndependently(bearer.slice('Bearer '.length));
    expect(jwt.header.alg).toBe('none');
    expect(jwt.payload.aud).toBe(`${server.url}/STU3/Flag`);
    expect(jwt.payload.scope).toBe('user/Flag.read');
    expect(jwt.payload.requesting_system).toBe('https://fhir.nhs.uk/Id/accredited-system|200000000205');
    await auth.close();
  });

  it('uses a fresh TraceID per request and Ssp-* names when asked', async () => {
    const client = server.clientCa.issue('ssp-client');
    const auth = new SpineDirectAuth({
      ...options(),
      headerStyle: 'ssp',
      tls: { cert: client.certPem, key: client.keyPem, ca: server.serverCa.certPem },
    });
    const a = await auth.prepare({
      url: `${server.url}/STU3/Flag`,
      interaction: reasonableAdjustmentsInteractions.flagWrite,
    });
    const b = await auth.prepare({
      url: `${server.url}/STU3/Flag`,
      interaction: reasonableAdjustmentsInteractions.flagWrite,
    });
    expect(a.headers['Ssp-TraceID']).not.toBe(b.headers['Ssp-TraceID']);
    expect(a.headers['Ssp-From']).toBe('200000000205');
    expect(a.headers['Ssp-InteractionID']).toBe('urn:nhs:names:services:raflags:Flag.write:1');
    expect(a.headers).not.toHaveProperty('FromASID');
    await auth.close();
  });

  it('refuses to send when no client certificate is configured', async () => {
    const auth = new SpineDirectAuth({ ...options(), tls: undefined });
    const before = server.seen.length;
    await expect(
      authorisedFetch(auth, `${server.url}/STU3/Flag`, { interaction: reasonableAdjustmentsInteractions.flagRead }),
    ).rejects.toBeInstanceOf(MissingClientCertificateError);
    expect(server.seen.length).toBe(before);
  });

  it('needs an interaction', async () => {
    const client = server.clientCa.issue('c');
    const auth = new SpineDirectAuth({
      ...options(),
      tls: { cert: client.certPem, key: client.keyPem, ca: server.serverCa.certPem },
    });
    await expect(auth.prepare({ url: `${server.url}/STU3/Flag` })).rejects.toMatchObject({
      code: 'ERR_AUTH_INVALID_INPUT',
      field: 'interaction',
    });
  });

  it('is refused by the server without a client certificate', async () => {
    const before = server.seen.length;
    const agent = new Agent({ connect: { ca: server.serverCa.certPem } });
    await expect(fetch(`${server.url}/STU3/Flag`, { dispatcher: agent })).rejects.toThrow();
    await agent.close();
    expect(server.seen.length).toBe(before);
  });

  it('is refused by the server with a certificate from another CA', async () => {
    const stranger = new TestCa('Not Spine').issue('intruder');
    const auth = new SpineDirectAuth({
      ...options(),
      tls: { cert: stranger.certPem, key: stranger.keyPem, ca: server.serverCa.certPem },
    });
    const before = server.seen.length;
    await expect(
      authorisedFetch(auth, `${server.url}/STU3/Flag`, { interaction: reasonableAdjustmentsInteractions.flagRead }),
    ).rejects.toBeInstanceOf(TransportError);
    expect(server.seen.length).toBe(before);
    await auth.close();
  });

  it('rejects a server whose certificate does not chain to the configured CA', async () => {
    const client = server.clientCa.issue('c');
    const auth = new SpineDirectAuth({
      ...options(),
      tls: { cert: client.certPem, key: client.keyPem, ca: new TestCa('Wrong root').certPem },
    });
    await expect(
      authorisedFetch(auth, `${server.url}/STU3/Flag`, { interaction: reasonableAdjustmentsInteractions.flagRead }),
    ).rejects.toBeInstanceOf(TransportError);
    await auth.close();
  });
});
