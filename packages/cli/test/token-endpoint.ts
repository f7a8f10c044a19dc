// A small API Platform token endpoint for the CLI tests. It checks the client assertion with its
// own code (node:crypto RS512 verification against the JWKS the test gives it), independent of
// the code that made the assertion.
import { createPublicKey, randomBytes, randomUUID, verify, type JsonWebKey } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TokenEndpointOptions {
  apiKey: string;
  jwks: () => { keys: Array<JsonWebKey & { kid?: string }> };
}

export class TestTokenEndpoint {
  readonly issued: string[] = [];
  readonly assertions: Array<{ header: Record<string, unknown>; payload: Record<string, unknown> }> = [];
  url = '';
  #server: Server | undefined;

  constructor(readonly options: TokenEndpointOptions) {}

  async start(): Promise<this> {
    this.#server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const form = new URLSearchParams(Buffer.concat(chunks).toString());
      const refuse = (description: string) =>
        res
          .writeHead(401, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: 'invalid_client', error_description: description, message_id: randomUUID() }));
      if (form.get('grant_type') !== 'client_credentials') return refuse('grant_type must be client_credentials');
      if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
        return refuse('bad client_assertion_type');
      const [h, p, s] = String(form.get('client_assertion')).split('.');
      if (!h || !p || !s) return refuse('client_assertion is not a JWS');
      const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as Record<string, unknown>;
      const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
      this.assertions.push({ header, payload });
      if (header.alg !== 'RS512' || header.typ !== 'JWT') return refuse('alg must be RS512');
      const jwk = this.options.jwks().keys.find((k) => k.kid === header.kid);
      if (!jwk) return refuse(`no key with kid ${String(header.kid)}`);
      const ok = verify(
        'sha512',
        Buffer.from(`${h}.${p}`),
        createPublicKey({ key: jwk, format: 'jwk' }),
        Buffer.from(s, 'base64url'),
      );
      if (!ok) return refuse('signature does not verify');
      const now = Math.floor(Date.now() / 1000);
      if (payload.iss !== this.options.apiKey || payload.sub !== this.options.apiKey)
        return refuse('iss and sub must be the API key');
      if (payload.aud !== this.url) return refuse('aud must be the token URL');
      if (
        typeof payload.jti !== 'string' ||
        typeof payload.exp !== 'number' ||
        payload.exp < now ||
        payload.exp > now + 310
      )
        return refuse('bad jti or exp');
      const token = randomBytes(21).toString('base64url');
      this.issued.push(token);
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          access_token: token,
          expires_in: '599',
          token_type: 'Bearer',
          issued_at: String(Date.now()),
        }),
      );
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/oauth2/token`;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
