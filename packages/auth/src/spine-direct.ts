import { createPrivateKey, type KeyObject, randomUUID, X509Certificate } from 'node:crypto';
import { inspect } from 'node:util';
import { Agent } from 'undici';
import { assertOptionsObject, AuthContext, type CommonAuthOptions } from './context.js';
import { InvalidAuthInputError, MissingClientCertificateError } from './errors.js';
import {
  protectHeaders,
  type AuthRequest,
  type PreparedRequest,
  type RequestAuth,
  type SpineInteraction,
} from './request-auth.js';
import {
  assertAsid,
  assertHttpUrl,
  assertOdsCode,
  assertRoleProfileId,
  audienceOf,
  createSpineJwt,
  type ReasonForRequest,
} from './spine-jwt.js';

type RaResource = 'Consent' | 'Flag' | 'Condition' | 'List';
const raInteraction = (resource: RaResource, access: 'read' | 'write'): SpineInteraction => ({
  id: `urn:nhs:names:services:raflags:${resource}.${access}:1`,
  scope: `user/${resource}.${access}`,
});

/**
 * Reasonable Adjustments on Spine interactions, each an `InteractionID` and its per-interaction
 * JWT scope [RA-HDR] [RA-JWT]: pass one as `interaction` to {@link authorisedFetch} or
 * {@link SpineDirectAuth.prepare}. `removeFlag` is the remove-flag write.
 */
export const reasonableAdjustmentsInteractions = {
  consentRead: raInteraction('Consent', 'read'),
  consentWrite: raInteraction('Consent', 'write'),
  flagRead: raInteraction('Flag', 'read'),
  flagWrite: raInteraction('Flag', 'write'),
  conditionRead: raInteraction('Condition', 'read'),
  conditionWrite: raInteraction('Condition', 'write'),
  listRead: raInteraction('List', 'read'),
  listWrite: raInteraction('List', 'write'),
  removeFlag: { id: 'urn:nhs:names:services:raflags:removeflag.write:1', scope: 'user/Flag.write' },
} as const satisfies Record<string, SpineInteraction>;

/**
 * The mutual-TLS material for Spine-direct: PEM strings or Buffers, as node:tls takes them. All
 * are parsed when {@link SpineDirectAuth} is made ({@link InvalidAuthInputError} names the one at
 * fault); the key and passphrase never appear in errors or logs.
 */
export interface SpineTlsOptions {
  /** The client (endpoint) certificate issued for this system, PEM. */
  readonly cert: string | Buffer;
  /** Its private key, PEM; must match `cert`. */
  readonly key: string | Buffer;
  /** Spine root and sub-CA certificates the server certificate must chain to. */
  readonly ca?: string | Buffer | ReadonlyArray<string | Buffer>;
  /** The passphrase of an encrypted `key`; required when the key is encrypted. */
  readonly passphrase?: string;
  /** SNI / certificate name to check when it differs from the URL host. */
  readonly servername?: string;
}

/**
 * Spine Secure Proxy names the same headers `Ssp-*` [SC-SSP]; RA on Spine uses
 * `FromASID`/`ToASID`/`TraceID`/`InteractionID` [RA-HDR] (the default).
 */
export type SpineHeaderStyle = 'spine' | 'ssp';

/** Options of {@link SpineDirectAuth}; identifiers are checked when it is made. */
export interface SpineDirectAuthOptions extends CommonAuthOptions {
  /** URI of this system, the JWT `iss`. */
  readonly issuer: string;
  /** ASID of this system (`FromASID`, `requesting_system`). */
  readonly fromAsid: string;
  /** ASID of the Spine service (`ToASID`). */
  readonly toAsid: string;
  /** ODS code of the user's organisation (`requesting_organization`). */
  readonly odsCode: string;
  /** The signed-in smartcard user's role profile id, digits (`sub`, `requesting_user`). */
  readonly userRoleProfileId: string;
  /**
   * Client certificate, key and CA. Without a certificate and key the object is made, but every
   * request is refused with {@link MissingClientCertificateError}.
   */
  readonly tls: SpineTlsOptions | undefined;
  /** JWT `aud`; defaults to the request URL without its query. */
  readonly audience?: string;
  /** JWT `reason_for_request`. Default `directcare`. */
  readonly reasonForRequest?: ReasonForRequest;
  /** The claim that carries the scope: `scope` (default, RA and the Spine Core JWT page) or `requested_scope`. */
  readonly scopeClaim?: 'scope' | 'requested_scope';
  /** Header names: `spine` (default, `FromASID`, ...) or `ssp` (`Ssp-From`, ...). */
  readonly headerStyle?: SpineHeaderStyle;
}

const isPemInput = (value: unknown): value is string | Buffer => typeof value === 'string' || Buffer.isBuffer(value);

/**
 * Check the client certificate and key now rather than at the first call: both must parse, the
 * key must be the certificate's, an encrypted key needs `passphrase`, and every CA must parse.
 * Returns the parsed key (so the redactor can learn it), or undefined when there is no TLS.
 */
function checkTls(tls: SpineTlsOptions | undefined): KeyObject | undefined {
  if (tls === undefined) return undefined;
  if (tls === null || typeof tls !== 'object') throw new InvalidAuthInputError('tls', 'must be { cert, key, ca? }');
  // No certificate at all is allowed here: the client then refuses to send (MissingClientCertificateError).
  if (!tls.cert && !tls.key) return undefined;
  if (!tls.cert) throw new InvalidAuthInputError('tls.cert', 'tls.key is given but its certificate is not');
  if (!tls.key) throw new InvalidAuthInputError('tls.key', 'tls.cert is given but its private key is not');
  if (!isPemInput(tls.cert)) throw new InvalidAuthInputError('tls.cert', 'must be PEM text (a string or Buffer)');
  if (!isPemInput(tls.key)) throw new InvalidAuthInputError('tls.key', 'must be PEM text (a string or Buffer)');
  if (tls.passphrase !== undefined && typeof tls.passphrase !== 'string')
    throw new InvalidAuthInputError('tls.passphrase', 'must be a string');
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(tls.cert);
  } catch {
    throw new InvalidAuthInputError('tls.cert', 'is not a PEM X.509 certificate');
  }
  const keyText = String(tls.key);
  const encrypted =
    /-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(keyText) || /Proc-Type:\s*4,\s*ENCRYPTED/i.test(keyText);
  if (encrypted && !tls.passphrase)
    throw new InvalidAuthInputError('tls.passphrase', 'tls.key is encrypted; give its passphrase');
  let key: KeyObject;
  try {
    key = createPrivateKey(tls.passphrase ? { key: tls.key, passphrase: tls.passphrase } : { key: tls.key });
  } catch {
    // Neither the key nor the node:crypto message is quoted.
    throw new InvalidAuthInputError(
      'tls.key',
      encrypted ? 'could not decrypt the private key (wrong passphrase?)' : 'is not a PEM private key',
    );
  }
  if (!cert.checkPrivateKey(key))
    throw new InvalidAuthInputError(
      'tls.key',
      `is not the private key of tls.cert (subject ${cert.subject.replace(/\n/g, ', ')})`,
    );
  if (tls.ca !== undefined) {
    const list = Array.isArray(tls.ca) ? tls.ca : [tls.ca];
    list.forEach((ca, index) => {
      const field = Array.isArray(tls.ca) ? `tls.ca[${index}]` : 'tls.ca';
      if (!isPemInput(ca)) throw new InvalidAuthInputError(field, 'must be PEM text (a string or Buffer)');
      try {
        new X509Certificate(ca);
      } catch {
        throw new InvalidAuthInputError(field, 'is not a PEM X.509 certificate');
      }
    });
  }
  return key;
}

/**
 * Spine-direct auth (e.g. Reasonable Adjustments on Spine): for each request a fresh unsecured
 * Spine Core JWT (5 minutes, see {@link createSpineJwt}) as `Authorization: Bearer`, the
 * `FromASID`, `ToASID`, `TraceID` (a new UUID) and `InteractionID` headers, and an undici `Agent`
 * that presents your client certificate (TLS 1.2 at least, server certificate always checked).
 * Spine trusts the caller to have done RBAC: the user must have signed in with a smartcard.
 *
 * @example
 * ```ts
 * const spine = new SpineDirectAuth({
 *   issuer: 'https://my-system.example.nhs.uk',
 *   fromAsid: '200000000205',
 *   toAsid: process.env.SPINE_TO_ASID!,
 *   odsCode: 'RR8',
 *   userRoleProfileId: '555254242105',
 *   tls: { cert: readFileSync(certPath), key: readFileSync(keyPath), ca: readFileSync(caPath) },
 * });
 * const flags = await authorisedFetch(spine, `${baseUrl}/Flag?patient=9000000009`, {
 *   interaction: reasonableAdjustmentsInteractions.flagRead,
 * });
 * await spine.close();
 * ```
 */
export class SpineDirectAuth implements RequestAuth {
  /** Always `spine-direct`. */
  readonly mode = 'spine-direct' as const;
  readonly #options: SpineDirectAuthOptions;
  readonly #context: AuthContext;
  #agent: Agent | undefined;

  /**
   * @throws {@link InvalidAuthInputError} when an option is missing or has the wrong shape: an
   * ASID, ODS code or role profile id that is not one, a URL that is not http(s), a certificate,
   * key or CA that does not parse, a key that is not the certificate's, or an encrypted key
   * without `tls.passphrase`.
   */
  constructor(options: SpineDirectAuthOptions) {
    assertOptionsObject(options, 'SpineDirectAuth');
    assertHttpUrl(options.issuer, 'issuer');
    assertAsid(options.fromAsid, 'fromAsid');
    assertAsid(options.toAsid, 'toAsid');
    assertOdsCode(options.odsCode);
    assertRoleProfileId(options.userRoleProfileId);
    if (options.audience !== undefined) assertHttpUrl(options.audience, 'audience');
    if (options.headerStyle !== undefined && options.headerStyle !== 'spine' && options.headerStyle !== 'ssp')
      throw new InvalidAuthInputError('headerStyle', 'must be spine or ssp');
    this.#context = new AuthContext(options);
    const key = checkTls(options.tls);
    if (options.tls?.passphrase) this.#context.redactor.add(options.tls.passphrase, 'fixed');
    if (options.tls?.key) this.#context.redactor.add(String(options.tls.key), 'fixed');
    this.#context.redactor.addPrivateKey(key);
    this.#options = options;
  }

  /**
   * The mutual-TLS agent; created once and reused so connections are pooled.
   *
   * @throws {@link MissingClientCertificateError} when `tls.cert` or `tls.key` is missing.
   */
  get dispatcher(): Agent {
    const tls = this.#options.tls;
    if (!tls?.cert || !tls.key) throw new MissingClientCertificateError();
    this.#agent ??= new Agent({
      connect: {
        cert: tls.cert,
        key: tls.key,
        ...(tls.ca ? { ca: tls.ca as string | Buffer | Array<string | Buffer> } : {}),
        ...(tls.passphrase ? { passphrase: tls.passphrase } : {}),
        ...(tls.servername ? { servername: tls.servername } : {}),
        minVersion: 'TLSv1.2',
        rejectUnauthorized: true,
      },
    });
    return this.#agent;
  }

  /**
   * A new JWT and `TraceID`, the ASID and interaction headers, and the mutual-TLS dispatcher.
   * The JWT `aud` is `audience`, else `request.url` without its query. Makes no network call.
   *
   * @throws {@link MissingClientCertificateError} without a client certificate and key;
   * {@link InvalidAuthInputError} when `request.interaction` (its `id` and `scope`) is missing.
   */
  async prepare(request: AuthRequest): Promise<PreparedRequest> {
    const dispatcher = this.dispatcher;
    const interaction = request.interaction;
    if (!interaction?.id || !interaction.scope) {
      throw new InvalidAuthInputError(
        'interaction',
        'Spine-direct requests need an interaction (InteractionID and scope)',
      );
    }
    const audience = this.#options.audience ?? audienceOf(request.url);
    const jwt = createSpineJwt(
      {
        issuer: this.#options.issuer,
        audience,
        asid: this.#options.fromAsid,
        odsCode: this.#options.odsCode,
        userRoleProfileId: this.#options.userRoleProfileId,
        scope: interaction.scope,
        ...(this.#options.reasonForRequest ? { reasonForRequest: this.#options.reasonForRequest } : {}),
        ...(this.#options.scopeClaim ? { scopeClaim: this.#options.scopeClaim } : {}),
      },
      this.#context.now(),
    );
    this.#context.redactor.add(jwt);
    const traceId = randomUUID();
    const ssp = this.#options.headerStyle === 'ssp';
    const headers: Record<string, string> = {
      authorization: `Bearer ${jwt}`,
      [ssp ? 'Ssp-From' : 'FromASID']: this.#options.fromAsid,
      [ssp ? 'Ssp-To' : 'ToASID']: this.#options.toAsid,
      [ssp ? 'Ssp-TraceID' : 'TraceID']: traceId,
      [ssp ? 'Ssp-InteractionID' : 'InteractionID']: interaction.id,
    };
    this.#context.emit('spine.request.prepared', 'debug', { url: audience, interactionId: interaction.id, traceId });
    return { headers: protectHeaders(headers), dispatcher };
  }

  /** Close pooled TLS connections; a later request opens new ones. Call it when shutting down. */
  async close(): Promise<void> {
    await this.#agent?.close();
    this.#agent = undefined;
  }

  /** What `util.inspect` shows: the ASIDs and ODS code; never the TLS key. */
  [inspect.custom](): string {
    const { fromAsid, toAsid, odsCode, tls } = this.#options;
    const tlsText = tls ? '[configured]' : 'none';
    return `SpineDirectAuth { fromAsid: '${fromAsid}', toAsid: '${toAsid}', odsCode: '${odsCode}', tls: ${tlsText} }`;
  }

  /** The mode, ASIDs and ODS code; never the TLS material. */
  toJSON(): Record<string, unknown> {
    return {
      mode: this.mode,
      fromAsid: this.#options.fromAsid,
      toAsid: this.#options.toAsid,
      odsCode: this.#options.odsCode,
    };
  }
}
