// A small API Platform token endpoint on 127.0.0.1: accepts a client_credentials grant whose
// RS512 client assertion verifies against the test's public key, counts token requests, and
// issues short-lived opaque tokens. `isValid` lets an API stand-in check a bearer token.
import { randomBytes, verify, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export class TestTokenEndpoint {
  /** Every token issued, oldest first. */
  readonly issued: string[] = [];
  requests = 0;
  url = '';
  #server: Server | undefined;

  constructor(
    readonly publicKey: KeyObject,
    readonly expiresInSeconds = 120,
  ) {}

  /** The newest token is the only valid one. */
  isValid(authorization: string | undefined): boolean {
    const latest = this.issued.at(-1);
    return latest !== undefined && authorization === `Bearer ${latest}`;
  }

  async start(): Promise<this> {
    this.#server = createServer(async (req, res) => {
      this.requests++;
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const form = new URLSearchParams(Buffer.concat(chunks).toString());
      const refuse = (description: string) =>
        res
          .writeHead(401, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: 'invalid_client', error_description: description }));
      if (req.method !== 'POST' || form.get('grant_type') !== 'client_credentials') return refuse('bad grant');
      const [h, p, s] = String(form.get('client_assertion')).split('.');
      if (!h || !p || !s) return refuse('client_assertion is not a JWS');
      const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as { alg?: string };
      if (header.alg !== 'RS512') return refuse('alg must be RS512');
      if (!verify('sha512', Buffer.from(`${h}.${p}`), this.publicKey, Buffer.from(s, 'base64url'))) {
        return refuse('signature does not verify');
      }
      const token = randomBytes(21).toString('base64url');
      this.issued.push(token);
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ access_token: token, expires_in: String(this.expiresInSeconds), token_type: 'Bearer' }));
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
