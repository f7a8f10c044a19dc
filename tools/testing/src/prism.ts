// Prism (@stoplight/prism-cli) serving a real OpenAPI description in validating mode, on 127.0.0.1,
// behind a small recording proxy: every response's `sl-violations` header (Prism's report of a
// request that breaks the description) is kept, so a test can assert there was none.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { dirname, join } from 'node:path';

/** Headers fetch sets itself; forwarding them breaks the request. */
const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'expect']);

export interface PrismServer {
  /** The proxy's base URL: give it to a client as `baseUrl`. */
  readonly url: string;
  /**
   * One line per request Prism found breaking the description (`sl-violations` entries located in
   * the request): method, path, the place and the message.
   */
  readonly violations: string[];
  /** The same for Prism's checks of its own mock responses (not the client's doing). */
  readonly responseViolations: string[];
  /** Every request the proxy forwarded: method and path. */
  readonly requests: string[];
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function prismBin(): string {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('@stoplight/prism-cli/package.json');
  const { bin } = require('@stoplight/prism-cli/package.json') as { bin: Record<string, string> };
  return join(dirname(manifest), bin['prism']!);
}

/** Starts `prism mock` on the bundled description and a recording proxy in front of it. */
export async function startPrism(bundleFile: string): Promise<PrismServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [prismBin(), 'mock', '-h', '127.0.0.1', '-p', String(port), bundleFile],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, SCARF_ANALYTICS: 'false', NO_COLOR: '1' },
    },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Prism did not start within 60 s:\n${output.slice(-2000)}`)),
      60_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Prism is listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Prism exited with ${code}:\n${output.slice(-2000)}`));
    });
  });
  const violations: string[] = [];
  const responseViolations: string[] = [];
  const requests: string[] = [];
  const proxy: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string' && !HOP_BY_HOP.has(name)) headers[name] = value;
    }
    requests.push(`${req.method} ${req.url}`);
    try {
      const answer = await fetch(`http://127.0.0.1:${port}${req.url}`, {
        method: req.method ?? 'GET',
        headers,
        ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
      });
      const header = answer.headers.get('sl-violations');
      for (const violation of header ? (JSON.parse(header) as Array<{ location?: string[]; message?: string }>) : []) {
        const line = `${req.method} ${req.url?.split('?')[0]}: ${violation.location?.join('.')}: ${violation.message}`;
        (violation.location?.[0] === 'request' ? violations : responseViolations).push(line);
      }
      const body = Buffer.from(await answer.arrayBuffer());
      const out: Record<string, string> = {};
      answer.headers.forEach((value, name) => {
        if (!['content-length', 'transfer-encoding', 'connection', 'content-encoding'].includes(name))
          out[name] = value;
      });
      res.writeHead(answer.status, out).end(body);
    } catch (error) {
      res.writeHead(502).end(String(error));
    }
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const proxyPort = (proxy.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${proxyPort}`,
    violations,
    responseViolations,
    requests,
    async stop() {
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      if (child.exitCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

/** The request body examples a description gives for an operation (path + method), first one first. */
export function requestExamples(bundle: unknown, path: string, method: string): unknown[] {
  const operation = (bundle as { paths: Record<string, Record<string, { requestBody?: { content?: object } }>> }).paths[
    path
  ]?.[method];
  const found: unknown[] = [];
  for (const media of Object.values(operation?.requestBody?.content ?? {}) as Array<{
    example?: unknown;
    examples?: Record<string, { value?: unknown }>;
  }>) {
    if (media.example !== undefined) found.push(media.example);
    for (const example of Object.values(media.examples ?? {}))
      if (example.value !== undefined) found.push(example.value);
  }
  return found;
}
