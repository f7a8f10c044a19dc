// A minimal X.509 v3 certificate builder (DER by hand, signatures by node:crypto), so the mTLS
// tests make their CA and certificates at test time without openssl or a dependency.
import { createPublicKey, generateKeyPairSync, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, content: Buffer) => Buffer.concat([Buffer.from([tag]), length(content.length), content]);
const seq = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));
const explicit = (n: number, content: Buffer) => tlv(0xa0 + n, content);
const octets = (content: Buffer) => tlv(0x04, content);
const bool = (value: boolean) => tlv(0x01, Buffer.from([value ? 0xff : 0x00]));
const utf8 = (text: string) => tlv(0x0c, Buffer.from(text, 'utf8'));
const bitString = (content: Buffer, unusedBits = 0) => tlv(0x03, Buffer.concat([Buffer.from([unusedBits]), content]));

function integer(bytes: Buffer): Buffer {
  let b = bytes;
  while (b.length > 1 && b[0] === 0 && ((b[1] as number) & 0x80) === 0) b = b.subarray(1);
  if (((b[0] as number) & 0x80) !== 0) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(0x02, b);
}

function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const out = [40 * (parts[0] as number) + (parts[1] as number)];
  for (const part of parts.slice(2)) {
    const chunk: number[] = [];
    let v = part;
    do {
      chunk.unshift(v & 0x7f);
      v = Math.floor(v / 128);
    } while (v > 0);
    for (let i = 0; i < chunk.length - 1; i++) chunk[i] = (chunk[i] as number) | 0x80;
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

function time(date: Date): Buffer {
  const s = `${date.toISOString().replace(/[-:T]/g, '').slice(2, 14)}Z`;
  return tlv(0x17, Buffer.from(s, 'ascii'));
}

const name = (commonName: string) => seq(set(seq(oid('2.5.4.3'), utf8(commonName))));
const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'));
const extension = (id: string, critical: boolean, value: Buffer) =>
  seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));

export interface Issued {
  readonly certPem: string;
  readonly keyPem: string;
  readonly key: KeyObject;
  readonly commonName: string;
}

function certificate(options: {
  subject: string;
  issuer: string;
  publicKey: KeyObject;
  signer: KeyObject;
  ca: boolean;
  ipAddress?: string;
}): string {
  const now = Date.now();
  const extensions: Buffer[] = [
    extension('2.5.29.19', true, options.ca ? seq(bool(true)) : seq()),
    // keyUsage: keyCertSign + cRLSign for a CA, digitalSignature for an end entity.
    extension('2.5.29.15', true, options.ca ? bitString(Buffer.from([0x06]), 1) : bitString(Buffer.from([0x80]), 7)),
  ];
  if (!options.ca) {
    extensions.push(extension('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1'), oid('1.3.6.1.5.5.7.3.2'))));
    const ip = options.ipAddress ? [tlv(0x87, Buffer.from(options.ipAddress.split('.').map(Number)))] : [];
    extensions.push(extension('2.5.29.17', false, seq(tlv(0x82, Buffer.from('localhost')), ...ip)));
  }
  const spki = options.publicKey.export({ type: 'spki', format: 'der' });
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))),
    integer(randomBytes(16)),
    ECDSA_SHA256,
    name(options.issuer),
    seq(time(new Date(now - 60_000)), time(new Date(now + 24 * 3600_000))),
    name(options.subject),
    spki,
    explicit(3, seq(...extensions)),
  );
  const signature = sign('sha256', tbs, options.signer);
  const der = seq(tbs, ECDSA_SHA256, bitString(signature));
  const b64 = der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .trim();
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

const newKey = () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
const pem = (key: KeyObject) => key.export({ type: 'pkcs8', format: 'pem' }).toString();

/** A test certificate authority that issues end-entity certificates. */
export class TestCa {
  readonly certPem: string;
  readonly #key: KeyObject;
  readonly #name: string;

  constructor(commonName: string) {
    this.#name = commonName;
    this.#key = newKey();
    this.certPem = certificate({
      subject: commonName,
      issuer: commonName,
      publicKey: createPublicKey(this.#key),
      signer: this.#key,
      ca: true,
    });
  }

  issue(commonName: string, ipAddress?: string): Issued {
    const key = newKey();
    const certPem = certificate({
      subject: commonName,
      issuer: this.#name,
      publicKey: createPublicKey(key),
      signer: this.#key,
      ca: false,
      ...(ipAddress ? { ipAddress } : {}),
    });
    return { certPem, keyPem: pem(key), key, commonName };
  }

  /** True when node:crypto agrees the certificate was signed by this CA. */
  issued(certPem: string): boolean {
    return new X509Certificate(certPem).verify(createPublicKey(this.#key));
  }
}
