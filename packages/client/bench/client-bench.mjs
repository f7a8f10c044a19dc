// Client overhead against raw undici `fetch` on loopback, printed as ratios (no goal is asserted):
//   node --expose-gc packages/client/bench/client-bench.mjs     (after: npx tsc -b packages/client/tsconfig.lib.json)
// 1. CPU time per call (process.cpuUsage of this process only; the server is a forked child), the
//    same GET with the same headers and a JSON.parse of the body, in interleaved blocks; the median of
//    the per-round ratios is reported, so background load that stretches a round falls on both sides.
// 2. Retained heap per call over 10,000 calls (after a forced GC), for each side.
// 3. Token requests made by 1,000 concurrent calls once the token has expired (the clock is injected).
import { fork } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { ApplicationRestrictedAuth, loadSigningKey } from '@nhs-fhir/auth';
import { fetch } from 'undici';
import { ApiClient } from '../dist/index.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const BLOCK = Number(process.env.BENCH_BLOCK ?? 1000);
const MEMORY_CALLS = Number(process.env.BENCH_MEMORY_CALLS ?? 10_000);
const CONCURRENT = 1000;

if (typeof globalThis.gc !== 'function') {
  console.error('run with node --expose-gc');
  process.exit(2);
}

const child = fork(new URL('./server.mjs', import.meta.url), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const { port } = await new Promise((resolve, reject) => {
  child.once('message', resolve);
  child.once('error', reject);
});
const base = `http://127.0.0.1:${port}`;

const spec = {
  name: 'bench',
  title: 'Bench',
  fhirVersion: 'R4',
  environments: {},
  operations: {
    read: {
      method: 'GET',
      path: '/Patient/{id}',
      params: [{ name: 'id', in: 'path', required: true, value: { kind: 'string' } }],
      responses: { 200: ['Patient'] },
      search: false,
      idempotent: true,
    },
  },
};
const client = new ApiClient(spec, { baseUrl: base });
const ACCEPT = 'application/fhir+json, application/json;q=0.9';

async function rawCall() {
  const response = await fetch(`${base}/Patient/9000000009`, {
    method: 'GET',
    headers: { accept: ACCEPT, 'X-Request-ID': randomUUID() },
  });
  const body = JSON.parse(await response.text());
  if (body.resourceType !== 'Patient') throw new Error('unexpected body');
  return body;
}
async function clientCall() {
  const body = await client.call('read', { id: '9000000009' });
  if (body.resourceType !== 'Patient') throw new Error('unexpected body');
  return body;
}

async function cpuBlock(fn, n) {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) await fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / n; // µs per call
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

// Warm both paths (JIT, connection pool) before measuring.
for (let i = 0; i < 500; i++) {
  await rawCall();
  await clientCall();
}

const rawPerCall = [];
const clientPerCall = [];
const ratios = [];
for (let round = 0; round < ROUNDS; round++) {
  // Alternate which side goes first, so neither always runs on a warmer or colder process.
  const order = round % 2 === 0 ? ['raw', 'client'] : ['client', 'raw'];
  const perCall = {};
  for (const side of order) perCall[side] = await cpuBlock(side === 'raw' ? rawCall : clientCall, BLOCK);
  rawPerCall.push(perCall.raw);
  clientPerCall.push(perCall.client);
  ratios.push(perCall.client / perCall.raw);
}

// GC, then let FinalizationRegistry callbacks run (undici registers each AbortSignal it is given
// with one, and those entries only go once their callbacks have run), then GC again.
async function settledHeap() {
  for (let i = 0; i < 3; i++) {
    globalThis.gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  globalThis.gc();
  return process.memoryUsage().heapUsed;
}
async function retained(fn) {
  const before = await settledHeap();
  for (let i = 0; i < MEMORY_CALLS; i++) await fn();
  return ((await settledHeap()) - before) / MEMORY_CALLS;
}
// Two passes per side, alternated; the second is reported, after one-time allocations (code, pools) settled.
await retained(rawCall);
await retained(clientCall);
const rawRetained = await retained(rawCall);
const clientRetained = await retained(clientCall);

// Token requests per 1,000 concurrent calls with an expired token.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
let clock = Date.now();
const auth = new ApplicationRestrictedAuth({
  apiKey: 'bench-api-key',
  signingKey: loadSigningKey(privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), 'bench-kid'),
  environment: `${base}/oauth2/token`,
  now: () => clock,
});
const authed = new ApiClient(spec, { baseUrl: base, auth, retry: false });
const tokenRequests = async () => (await (await fetch(`${base}/token-requests`)).json()).tokenRequests;
await authed.call('read', { id: '9000000009' });
clock += 600_000;
const before = await tokenRequests();
const settled = await Promise.allSettled(
  Array.from({ length: CONCURRENT }, () => authed.call('read', { id: '9000000009' })),
);
const tokensPer1000 = ((await tokenRequests()) - before) * (1000 / CONCURRENT);
const failed = settled.filter((r) => r.status === 'rejected').length;

child.disconnect();

const us = (v) => `${v.toFixed(1)} µs`;
const bytes = (v) => `${v.toFixed(1)} B`;
console.log(
  `@nhs-fhir/client bench: ${ROUNDS} interleaved rounds of ${BLOCK} sequential GETs per side on loopback ` +
    `(Node ${process.version})`,
);
console.log(`raw undici fetch CPU per call: ${us(median(rawPerCall))} (median of rounds)`);
console.log(`client CPU per call:           ${us(median(clientPerCall))} (median of rounds)`);
const [q1, q3] = [...ratios]
  .sort((a, b) => a - b)
  .filter((_, i, all) => i === Math.floor(all.length / 4) || i === Math.floor((3 * all.length) / 4));
console.log(
  `client CPU per call / raw fetch: ${median(ratios).toFixed(2)}x ` +
    `(goal ≤ 1.05x; rounds' quartiles ${q1.toFixed(2)}–${q3.toFixed(2)})`,
);
console.log(
  `retained heap over ${MEMORY_CALLS} calls: raw fetch ${bytes(rawRetained)} per call, ` +
    `client ${bytes(clientRetained)} per call`,
);
console.log(
  rawRetained > 1
    ? `client retained per call / raw fetch: ${(clientRetained / rawRetained).toFixed(2)}x`
    : 'client retained per call / raw fetch: n/a (raw fetch retained ≤ 1 B per call; ' +
        `difference ${bytes(clientRetained - rawRetained)} per call)`,
);
console.log(
  `token requests per 1,000 concurrent calls with an expired token: ${tokensPer1000} (goal 1)` +
    (failed ? `; ${failed} calls failed` : ''),
);
