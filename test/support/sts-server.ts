/**
 * The STS half of the fake AWS endpoint: `AssumeRole` and `AssumeRoleWithWebIdentity` in the AWS
 * Query protocol (form-encoded POST, XML answers), as the real `@aws-sdk` STS clients send them.
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
 *
 * It is mounted by `ecr-server.ts` on the same port (requests without `X-Amz-Target` that carry an
 * `Action=` form field are STS), so one endpoint URL serves both services in tests.
 */
import { randomBytes } from 'node:crypto';

/** One STS call as the fake saw it. */
export interface StsCall {
  action: string;
  roleArn?: string;
  roleSessionName?: string;
  /** AssumeRoleWithWebIdentity: the token read from `AWS_WEB_IDENTITY_TOKEN_FILE`. */
  webIdentityToken?: string;
  /** Access key id of the SigV4 `Authorization` header (AssumeRole is signed; web identity is not). */
  accessKeyId?: string;
  status: number;
  /** The access key id handed out, when the call succeeded. */
  issuedAccessKeyId?: string;
}

/** Temporary credentials the fake issued. */
export interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  roleArn: string;
}

/** Programmable STS behaviour. */
export interface StsOptions {
  /** Lifetime of issued credentials in seconds (default 3600). */
  credentialTtlSeconds?: number;
  /** Role ARNs AssumeRole refuses with `AccessDenied` (default none). */
  deniedRoles?: readonly string[];
}

/** A response ready to send. */
export interface StsResponse {
  status: number;
  contentType: string;
  body: string;
}

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

function xmlEscape(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c);
}

function errorXml(status: number, code: string, message: string): StsResponse {
  const body =
    `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${code}</Code>` +
    `<Message>${xmlEscape(message)}</Message></Error><RequestId>${randomBytes(8).toString('hex')}</RequestId></ErrorResponse>`;
  return { status, contentType: 'text/xml', body };
}

/** The STS state machine behind the fake endpoint: issues credentials and records every call. */
export class FakeSts {
  readonly calls: StsCall[] = [];
  readonly issued: IssuedCredentials[] = [];
  readonly #ttl: number;
  readonly #denied: Set<string>;

  constructor(options: StsOptions = {}) {
    this.#ttl = options.credentialTtlSeconds ?? 3600;
    this.#denied = new Set(options.deniedRoles ?? []);
  }

  /** True when a request body is an STS Query-protocol call. */
  static isStsRequest(headers: Record<string, string | string[] | undefined>, body: string): boolean {
    return headers['x-amz-target'] === undefined && /(?:^|&)Action=AssumeRole/.test(body);
  }

  /** Answers one form-encoded STS request. */
  handle(body: string, accessKeyId: string | undefined): StsResponse {
    const form = new URLSearchParams(body);
    const action = form.get('Action') ?? '';
    const call: StsCall = { action, status: 200 };
    const roleArn = form.get('RoleArn');
    const session = form.get('RoleSessionName');
    if (roleArn !== null) call.roleArn = roleArn;
    if (session !== null) call.roleSessionName = session;
    if (accessKeyId !== undefined) call.accessKeyId = accessKeyId;
    this.calls.push(call);

    if (action !== 'AssumeRole' && action !== 'AssumeRoleWithWebIdentity') {
      call.status = 400;
      return errorXml(400, 'InvalidAction', `Could not find operation ${action} for version ${form.get('Version') ?? ''}`);
    }
    if (roleArn === null || session === null) {
      call.status = 400;
      return errorXml(400, 'MissingParameter', 'RoleArn and RoleSessionName are required');
    }
    if (action === 'AssumeRole' && accessKeyId === undefined) {
      call.status = 403;
      return errorXml(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token');
    }
    if (action === 'AssumeRoleWithWebIdentity') {
      const token = form.get('WebIdentityToken');
      if (token === null || token === '') {
        call.status = 400;
        return errorXml(400, 'MissingParameter', 'WebIdentityToken is required');
      }
      call.webIdentityToken = token;
    }
    if (this.#denied.has(roleArn)) {
      call.status = 403;
      return errorXml(403, 'AccessDenied', `User: ${accessKeyId ?? 'web-identity'} is not authorized to perform: sts:${action} on resource: ${roleArn}`);
    }

    const creds: IssuedCredentials = {
      accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
      secretAccessKey: randomBytes(20).toString('base64'),
      sessionToken: randomBytes(32).toString('base64'),
      roleArn,
    };
    this.issued.push(creds);
    call.issuedAccessKeyId = creds.accessKeyId;
    const expiration = new Date(Date.now() + this.#ttl * 1000).toISOString();
    const account = /^arn:[^:]+:iam::(\d{12}):/.exec(roleArn)?.[1] ?? '000000000000';
    const roleName = roleArn.split('/').pop() ?? 'role';
    const extra =
      action === 'AssumeRoleWithWebIdentity'
        ? `<SubjectFromWebIdentityToken>system:serviceaccount:copycat:copycat</SubjectFromWebIdentityToken><Audience>sts.amazonaws.com</Audience><Provider>oidc.eks.local</Provider>`
        : '';
    const xml =
      `<${action}Response xmlns="${NS}"><${action}Result>${extra}` +
      `<AssumedRoleUser><Arn>arn:aws:sts::${account}:assumed-role/${xmlEscape(roleName)}/${xmlEscape(session)}</Arn>` +
      `<AssumedRoleId>AROA${account}:${xmlEscape(session)}</AssumedRoleId></AssumedRoleUser>` +
      `<Credentials><AccessKeyId>${creds.accessKeyId}</AccessKeyId><SecretAccessKey>${xmlEscape(creds.secretAccessKey)}</SecretAccessKey>` +
      `<SessionToken>${xmlEscape(creds.sessionToken)}</SessionToken><Expiration>${expiration}</Expiration></Credentials>` +
      `</${action}Result><ResponseMetadata><RequestId>${randomBytes(8).toString('hex')}</RequestId></ResponseMetadata></${action}Response>`;
    return { status: 200, contentType: 'text/xml', body: xml };
  }
}
