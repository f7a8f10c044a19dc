// The bench's servers, in their own process (forked by client-bench.mjs) so their CPU is not counted:
// an API answering every GET with the same Patient, and an API Platform token endpoint that counts
// token requests (it accepts any assertion: the bench measures the client, not the endpoint).
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

const patient = JSON.stringify({
  resourceType: 'Patient',
  id: '9000000009',
  meta: { versionId: '2' },
  identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9000000009' }],
  name: [{ use: 'usual', family: 'Smith', given: ['Jane'], prefix: ['Mrs'] }],
  gender: 'female',
  birthDate: '2010-10-22',
  address: [{ use: 'home', line: ['1 Trevelyan Square', 'Boar Lane', 'Leeds'], postalCode: 'LS1 6AE' }],
});
let tokenRequests = 0;
let currentToken = '';

const server = createServer((req, res) => {
  if (req.url === '/oauth2/token') {
    req.resume();
    req.on('end', () => {
      tokenRequests++;
      currentToken = randomBytes(21).toString('base64url');
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ access_token: currentToken, expires_in: '599', token_type: 'Bearer' }));
    });
    return;
  }
  if (req.url === '/token-requests') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ tokenRequests }));
    return;
  }
  req.resume();
  if (req.headers.authorization !== undefined && req.headers.authorization !== `Bearer ${currentToken}`) {
    res
      .writeHead(401, { 'content-type': 'application/fhir+json' })
      .end('{"resourceType":"OperationOutcome","issue":[]}');
    return;
  }
  res.writeHead(200, { 'content-type': 'application/fhir+json', 'content-length': Buffer.byteLength(patient) });
  res.end(patient);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
process.on('disconnect', () => server.close(() => process.exit(0)));
