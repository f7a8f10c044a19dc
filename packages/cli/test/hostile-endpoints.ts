// Hostile token endpoints for the CLI tests, real servers on 127.0.0.1 on a free port: one that
// echoes the request back, one that accepts the connection and never answers.
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';

export type EchoStyle = 'json' | 'text' | 'html' | 'header' | 'gateway-cut';

export class EchoTokenEndpoint {
  readonly bodies: string[] = [];
  readonly sent: string[] = [];
  style: EchoStyle = 'json';
  url = '';
  #server: Server | undefined;

  async start(): Promise<this> {
    this.#server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString('utf8');
      this.bodies.push(body);
      const form = Object.fromEntries(new URLSearchParams(body));
      let client = '';
      try {
        const payload = String(form.client_assertion).split('.')[1] ?? '';
        client = ` client ${JSON.parse(Buffer.from(payload, 'base64url').toString()).iss}`;
      } catch {}
      const everything = `unknown${client}; raw ${body} decoded ${JSON.stringify(form)}`;
      const answers: Record<EchoStyle, [number, Record<string, string>, string]> = {
        json: [
          400,
          { 'content-type': 'application/json' },
          JSON.stringify({ error: `invalid_client${client}`, error_description: everything, message_id: body }),
        ],
        text: [502, { 'content-type': 'text/plain' }, everything],
        html: [503, { 'content-type': 'text/html' }, `<html><body><pre>${everything}</pre></body></html>`],
        header: [
          401,
          { 'content-type': `text/plain; echo=${encodeURIComponent(everything)}`, 'x-echo': everything },
          '',
        ],
        'gateway-cut': [502, { 'content-type': 'text/plain' }, body.slice(0, 200)],
      };
      const [status, headers, text] = answers[this.style];
      this.sent.push(`${JSON.stringify(headers)} ${text}`);
      res.writeHead(status, headers).end(text);
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

/** Accepts connections, reads, never answers. */
export class SilentEndpoint {
  url = '';
  connections = 0;
  readonly #sockets = new Set<Socket>();
  #server: NetServer | undefined;

  async start(): Promise<this> {
    this.#server = createNetServer((socket) => {
      this.connections++;
      this.#sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => this.#sockets.delete(socket));
      socket.resume();
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/oauth2/token`;
    return this;
  }

  async stop(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    const server = this.#server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Whether any secret, any 12-character piece of one, or a base64/base64url form of one is in `text`. */
export function findLeaks(text: string, secrets: Iterable<string>): string[] {
  const windows = new Set<string>();
  for (let i = 0; i + 12 <= text.length; i++) windows.add(text.slice(i, i + 12));
  const leaks: string[] = [];
  for (const secret of secrets) {
    const bytes = Buffer.from(secret);
    const forms = [secret];
    for (let offset = 0; offset < 3; offset++) {
      const whole = Math.floor((bytes.length - offset) / 3) * 3;
      if (whole >= 9) {
        const chunk = bytes.subarray(offset, offset + whole);
        forms.push(chunk.toString('base64url'), chunk.toString('base64'));
      }
    }
    const hit = forms.some((form) =>
      form.length < 12
        ? text.includes(form)
        : Array.from({ length: form.length - 11 }, (_, i) => form.slice(i, i + 12)).some((w) => windows.has(w)),
    );
    if (hit) leaks.push(`a secret of ${secret.length} characters`);
  }
  return leaks;
}
