// Hostile endpoints for the hardening tests, each a real server on 127.0.0.1 on a free port:
// one that echoes every request back (the way careless gateways do) and one that accepts a
// connection and never answers.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** How the echo endpoint sends the request back. */
export type EchoStyle = 'json' | 'text' | 'html' | 'header' | 'gateway-cut';
export const ECHO_STYLES: readonly EchoStyle[] = ['json', 'text', 'html', 'header', 'gateway-cut'];

export interface EchoedRequest {
  readonly path: string;
  readonly body: string;
  readonly headers: IncomingMessage['headers'];
  /** What the server sent back (body and headers as text), to prove the secrets were in it. */
  sent: string;
}

/**
 * A token endpoint (and, for CIS2, a discovery document) that refuses every request by echoing
 * it: the raw form, the decoded form and the request headers, in the chosen style. Grants named
 * in `succeed` get a token response instead (for flows that need a first token, e.g. refresh).
 */
export class EchoEndpoint {
  readonly requests: EchoedRequest[] = [];
  style: EchoStyle = 'json';
  /** Grant types answered with tokens rather than an echo. */
  succeed = new Set<string>();
  /** expires_in for successful answers, as the platform sends it (a string). */
  expiresIn = '599';
  readonly issued: string[] = [];
  origin = '';
  #server: Server | undefined;

  get tokenUrl(): string {
    return `${this.origin}/oauth2/token`;
  }
  get discoveryUrl(): string {
    return `${this.origin}/.well-known/openid-configuration`;
  }

  async start(): Promise<this> {
    this.#server = createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const path = req.url ?? '/';
    if (path === '/.well-known/openid-configuration') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          issuer: this.origin,
          authorization_endpoint: `${this.origin}/authorize`,
          token_endpoint: this.tokenUrl,
          userinfo_endpoint: `${this.origin}/userinfo`,
          jwks_uri: `${this.origin}/jwks`,
        }),
      );
      return;
    }
    const record: EchoedRequest = { path, body, headers: req.headers, sent: '' };
    this.requests.push(record);
    const form = Object.fromEntries(new URLSearchParams(body));
    if (form.grant_type && this.succeed.has(form.grant_type)) {
      const accessToken = randomBytes(24).toString('base64url');
      const refreshToken = randomBytes(24).toString('base64url');
      this.issued.push(accessToken, refreshToken);
      const answer = JSON.stringify({
        access_token: accessToken,
        refresh_token: refreshToken,
        refresh_token_expires_in: '43199',
        expires_in: this.expiresIn,
        token_type: 'Bearer',
      });
      record.sent = answer;
      res.writeHead(200, { 'content-type': 'application/json' }).end(answer);
      return;
    }
    const decoded = JSON.stringify(form);
    const headers = JSON.stringify(req.headers);
    // Gateways that read the assertion name its client: the API key, in plain text.
    let client = '';
    try {
      const payload = String(form.client_assertion ?? '').split('.')[1] ?? '';
      client = ` client ${String(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')).iss)}`;
    } catch {
      client = form.client_id ? ` client ${form.client_id}` : '';
    }
    const everything = `unknown${client}; raw ${body} decoded ${decoded} headers ${headers}`;
    let answer: { status: number; headers: Record<string, string>; body: string };
    switch (this.style) {
      case 'json':
        answer = {
          status: 400,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            error: `invalid_request ${decoded}`,
            error_description: `request was ${everything}`,
            message_id: `${randomUUID()} ${body}`,
          }),
        };
        break;
      case 'text':
        answer = { status: 502, headers: { 'content-type': 'text/plain' }, body: `Bad gateway: ${everything}` };
        break;
      case 'html':
        answer = {
          status: 503,
          headers: { 'content-type': 'text/html; charset=utf-8' },
          body: `<html><body><h1>Service unavailable</h1><pre>${everything}</pre></body></html>`,
        };
        break;
      case 'header':
        answer = {
          status: 401,
          headers: {
            'content-type': `text/plain; echo=${encodeURIComponent(decoded)}`,
            'x-echo': `${decoded}${client}`,
            'www-authenticate': `Bearer error="invalid_client", error_description="${body}"`,
          },
          body: '',
        };
        break;
      case 'gateway-cut':
        // What the original failure looked like: a gateway's body, the request cut at 200 characters.
        answer = { status: 502, headers: { 'content-type': 'text/plain' }, body: body.slice(0, 200) };
        break;
    }
    record.sent = `${JSON.stringify(answer.headers)} ${answer.body}`;
    res.writeHead(answer.status, answer.headers).end(answer.body);
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/**
 * Accepts connections and reads what is sent, but never answers. With `stallBody`, it sends the
 * status line and headers and then never the rest of the body.
 */
export class BlackHole {
  /** HTTP requests seen (request lines), so a test can count them. */
  readonly requestLines: string[] = [];
  url = '';
  readonly #sockets = new Set<Socket>();
  #server: NetServer | undefined;

  constructor(readonly options: { stallBody?: boolean } = {}) {}

  async start(): Promise<this> {
    this.#server = createNetServer((socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
      socket.on('error', () => {});
      socket.on('data', (data) => {
        for (const line of data.toString('latin1').split('\r\n')) {
          if (/^(GET|POST) \S+ HTTP\/1\.1$/.test(line)) {
            this.requestLines.push(line);
            if (this.options.stallBody)
              socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"acc');
          }
        }
      });
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    const server = this.#server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** A JSON server for discovery documents whose endpoints point elsewhere (e.g. at a black hole). */
export async function jsonServer(
  route: (path: string) => unknown,
): Promise<{ origin: string; stop: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const body = route(req.url ?? '/');
    if (body === undefined) res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The forms a secret may take in output: itself, and its base64 and base64url encodings at each
 * of the three byte alignments (how an API key sits inside a JWT payload).
 */
export function secretForms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const forms = [secret];
  for (let offset = 0; offset < 3; offset++) {
    const whole = Math.floor((bytes.length - offset) / 3) * 3;
    if (whole < 9) continue;
    const chunk = bytes.subarray(offset, offset + whole);
    forms.push(chunk.toString('base64url'), chunk.toString('base64'));
  }
  return forms;
}

export const PIECE = 12;

/**
 * Which secrets show up in `haystack`: whole, as any piece of 12 or more characters, or in a
 * base64/base64url form. Returns a short, non-secret description of each leak.
 */
export function findLeaks(haystack: string, secrets: Iterable<string>): string[] {
  const windows = new Set<string>();
  for (let i = 0; i + PIECE <= haystack.length; i++) windows.add(haystack.slice(i, i + PIECE));
  const leaks: string[] = [];
  for (const secret of secrets) {
    for (const form of secretForms(secret)) {
      const leaked =
        form.length < PIECE
          ? haystack.includes(form)
          : Array.from({ length: form.length - PIECE + 1 }, (_, i) => form.slice(i, i + PIECE)).some((w) =>
              windows.has(w),
            );
      if (leaked) {
        leaks.push(`a secret of ${secret.length} characters (${form === secret ? 'as is' : 'base64 form'})`);
        break;
      }
    }
  }
  return leaks;
}
