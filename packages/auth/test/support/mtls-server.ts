import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { TestCa, type Issued } from '@nhs-fhir/testing';

export interface SeenRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  clientCertificate: string;
}

/** An HTTPS server on 127.0.0.1 that requires a client certificate issued by `clientCa`. */
export class MutualTlsServer {
  readonly serverCa = new TestCa('Test Spine Root CA');
  readonly clientCa = new TestCa('Test Spine Client CA');
  readonly serverCert: Issued = this.serverCa.issue('127.0.0.1', '127.0.0.1');
  readonly seen: SeenRequest[] = [];
  #server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.#server = createServer(
      {
        key: this.serverCert.keyPem,
        cert: this.serverCert.certPem,
        ca: [this.clientCa.certPem],
        requestCert: true,
        rejectUnauthorized: true,
        minVersion: 'TLSv1.2',
      },
      (req, res) => {
        const peer = (req.socket as TLSSocket).getPeerCertificate();
        this.seen.push({
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          clientCertificate: String(peer.subject?.CN ?? ''),
        });
        res.writeHead(200, { 'content-type': 'application/fhir+json' });
        res.end(JSON.stringify({ resourceType: 'Bundle', type: 'searchset', total: 0 }));
      },
    );
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    this.url = `https://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
