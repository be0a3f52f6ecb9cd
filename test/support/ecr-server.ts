/**
 * An in-process Amazon ECR API endpoint for tests, speaking the AWS JSON 1.1 protocol exactly as the
 * real `@aws-sdk/client-ecr` sends it: `POST /` with `X-Amz-Target:
 * AmazonEC2ContainerRegistry_V20150921.<Operation>`, `Content-Type: application/x-amz-json-1.1`, and
 * errors as HTTP 400 (500 for `ServerException`) with `{"__type": "...", "message": "..."}`.
 * https://docs.aws.amazon.com/AmazonECR/latest/APIReference/
 *
 * Operations: CreateRepository, DescribeRepositories (NextToken paging, RepositoryNotFoundException),
 * PutLifecyclePolicy, GetLifecyclePolicy, GetAuthorizationToken (base64 `AWS:<password>` + expiresAt).
 * Faults are programmable per operation (throttling, AccessDenied, any error type, N times), a
 * CreateRepository race can be staged, and every call is logged with the SigV4 access key id that
 * signed it. STS (`sts-server.ts`) answers on the same port, so one endpoint URL serves both.
 *
 * The registry half of "ECR" is a real distribution registry with basic auth, user `AWS` and
 * {@link FakeEcr.password}; point {@link FakeEcr.registryHost} at it.
 *
 * Node built-ins only (see README: support code never imports `src/`).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeHttpServer, listenEphemeral } from './net.ts';
import { FakeSts, type StsOptions } from './sts-server.ts';

/** The ECR operations the fake implements. */
export type EcrOperation = 'CreateRepository' | 'DescribeRepositories' | 'PutLifecyclePolicy' | 'GetLifecyclePolicy' | 'GetAuthorizationToken';

/** Operations that change state in the account: a dry run must call none of them. */
export const MUTATING_OPERATIONS: ReadonlySet<string> = new Set(['CreateRepository', 'PutLifecyclePolicy', 'DeleteRepository', 'SetRepositoryPolicy', 'TagResource', 'PutImageTagMutability', 'PutImageScanningConfiguration']);

const TARGET_PREFIX = 'AmazonEC2ContainerRegistry_V20150921.';
const JSON_TYPE = 'application/x-amz-json-1.1';
/** ECR's repository name rule (CreateRepository API reference), length 2..256. */
const REPOSITORY_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

/** One ECR call as the fake saw it. */
export interface EcrCall {
  op: string;
  input: Record<string, unknown>;
  /** Access key id from the SigV4 `Authorization` header (undefined when unsigned). */
  accessKeyId?: string;
  /** Region named in the SigV4 credential scope. */
  signingRegion?: string;
  /** True when `X-Amz-Security-Token` was sent (temporary credentials). */
  sessionToken: boolean;
  status: number;
  /** The `__type` answered, for failed calls. */
  errorType?: string;
}

/** A programmed failure. */
export interface EcrFault {
  /** Operation to fail, or `*` for any. */
  op: EcrOperation | '*';
  /** The `__type`, e.g. `ThrottlingException`, `AccessDeniedException`, `ServerException`. */
  type: string;
  message?: string;
  /** HTTP status (default 400; 500 for ServerException). */
  status?: number;
  /** How many matching calls fail (default 1; `Infinity` for all). */
  times?: number;
  /** Only calls naming this repository fail (default any). */
  repository?: string;
  /** Carry the call out first, then answer the error: a change whose answer was lost (default false). */
  afterEffect?: boolean;
}

/** A repository as the fake stores it. */
export interface FakeRepository {
  repositoryName: string;
  createdAt: number;
  imageTagMutability: string;
  imageScanningConfiguration: { scanOnPush: boolean };
  encryptionConfiguration: { encryptionType: string; kmsKey?: string };
  tags: Array<{ Key: string; Value: string }>;
  lifecyclePolicyText?: string;
}

/** Options of {@link startEcrServer}. */
export interface EcrServerOptions {
  /** Default `123456789012`. */
  accountId?: string;
  /** Default `eu-west-1`. */
  region?: string;
  /** The password inside authorization tokens (default random). */
  password?: string;
  /** Host put in `repositoryUri` and `proxyEndpoint` (default the AWS-style host); may be changed later. */
  registryHost?: string;
  /** Lifetime of authorization tokens in seconds (default 12 h, as ECR); may be changed later. */
  tokenTtlSeconds?: number;
  /** DescribeRepositories page size when the caller sets no maxResults (default 100, as ECR). */
  pageSize?: number;
  /** Most repositories one DescribeRepositories page holds whatever maxResults asks (default 1000). */
  maxPageSize?: number;
  sts?: StsOptions;
}

/** A running fake ECR (+ STS) endpoint. */
export interface FakeEcr extends AsyncDisposable {
  /** `http://127.0.0.1:PORT`: the endpoint for the ECR and STS clients. */
  url: string;
  accountId: string;
  region: string;
  /** The password every authorization token carries (user `AWS`). */
  password: string;
  registryHost: string;
  tokenTtlSeconds: number;
  pageSize: number;
  maxPageSize: number;
  /** Every ECR call in arrival order. */
  calls: EcrCall[];
  repositories: Map<string, FakeRepository>;
  sts: FakeSts;
  /** Adds a repository as if someone else had created it. */
  addRepository(name: string, extra?: Partial<FakeRepository>): void;
  /** Programs a failure. */
  fault(rule: EcrFault): void;
  /** Fails the next `times` calls of `op` with `ThrottlingException` (or `type`). */
  throttle(op: EcrOperation | '*', times: number, type?: string): void;
  /** Answers `AccessDeniedException` to every call of `op` (or the next `times`). */
  denyAccess(op: EcrOperation, times?: number): void;
  /** The next CreateRepository of `name` finds it created meanwhile (another replica won the race). */
  raceOnCreate(name: string): void;
  /** Drops all programmed faults and races. */
  clearFaults(): void;
  /** Calls of one operation. */
  callsOf(op: string): EcrCall[];
  /** Calls that changed state (CreateRepository, PutLifecyclePolicy, …). */
  mutatingCalls(): EcrCall[];
  stop(): Promise<void>;
}

interface ActiveFault extends EcrFault {
  remaining: number;
}

class EcrApiError extends Error {
  readonly type: string;
  readonly status: number;

  constructor(type: string, message: string, status = type === 'ServerException' ? 500 : 400) {
    super(message);
    this.type = type;
    this.status = status;
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** `AWS4-HMAC-SHA256 Credential=AKID/20250101/eu-west-1/ecr/aws4_request, …` → key id and region. */
function sigv4Scope(header: string | undefined): { accessKeyId?: string; region?: string } {
  const m = /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\/[^/]+\/aws4_request/.exec(header ?? '');
  return m ? { accessKeyId: m[1]!, region: m[2]! } : {};
}

function str(input: Record<string, unknown>, key: string): string | undefined {
  const v = input[key];
  return typeof v === 'string' ? v : undefined;
}

/** Starts the fake on a free 127.0.0.1 port. */
export async function startEcrServer(options: EcrServerOptions = {}): Promise<FakeEcr> {
  const accountId = options.accountId ?? '123456789012';
  const region = options.region ?? 'eu-west-1';
  const faults: ActiveFault[] = [];
  const races = new Set<string>();
  const sts = new FakeSts(options.sts);

  const state: Omit<FakeEcr, 'url' | 'stop' | typeof Symbol.asyncDispose> = {
    accountId,
    region,
    password: options.password ?? randomBytes(18).toString('base64url'),
    registryHost: options.registryHost ?? `${accountId}.dkr.ecr.${region}.amazonaws.com`,
    tokenTtlSeconds: options.tokenTtlSeconds ?? 12 * 3600,
    pageSize: options.pageSize ?? 100,
    maxPageSize: options.maxPageSize ?? 1000,
    calls: [],
    repositories: new Map(),
    sts,
    addRepository(name, extra = {}) {
      state.repositories.set(name, newRepository(name, extra));
    },
    fault(rule) {
      faults.push({ ...rule, remaining: rule.times ?? 1 });
    },
    throttle(op, times, type = 'ThrottlingException') {
      faults.push({ op, type, message: 'Rate exceeded', times, remaining: times });
    },
    denyAccess(op, times = Infinity) {
      faults.push({
        op,
        type: 'AccessDeniedException',
        message: `User: arn:aws:sts::${accountId}:assumed-role/copycat/session is not authorized to perform: ecr:${op} on resource: arn:aws:ecr:${region}:${accountId}:repository/* because no identity-based policy allows the ecr:${op} action`,
        times,
        remaining: times,
      });
    },
    raceOnCreate(name) {
      races.add(name);
    },
    clearFaults() {
      faults.length = 0;
      races.clear();
    },
    callsOf(op) {
      return state.calls.filter((c) => c.op === op);
    },
    mutatingCalls() {
      return state.calls.filter((c) => MUTATING_OPERATIONS.has(c.op));
    },
  };

  const newRepository = (name: string, extra: Partial<FakeRepository> = {}): FakeRepository => ({
    repositoryName: name,
    createdAt: Date.now() / 1000,
    imageTagMutability: 'MUTABLE',
    imageScanningConfiguration: { scanOnPush: false },
    encryptionConfiguration: { encryptionType: 'AES256' },
    tags: [],
    ...extra,
  });

  const describe = (repo: FakeRepository): Record<string, unknown> => ({
    repositoryArn: `arn:aws:ecr:${region}:${accountId}:repository/${repo.repositoryName}`,
    registryId: accountId,
    repositoryName: repo.repositoryName,
    repositoryUri: `${state.registryHost}/${repo.repositoryName}`,
    createdAt: repo.createdAt,
    imageTagMutability: repo.imageTagMutability,
    imageScanningConfiguration: repo.imageScanningConfiguration,
    encryptionConfiguration: repo.encryptionConfiguration,
  });

  const notFound = (name: string): EcrApiError =>
    new EcrApiError('RepositoryNotFoundException', `The repository with name '${name}' does not exist in the registry with id '${accountId}'`);

  const checkRegistry = (input: Record<string, unknown>): void => {
    const id = str(input, 'registryId');
    if (id !== undefined && id !== accountId) {
      throw new EcrApiError('AccessDeniedException', `User is not authorized to access registry ${id}`);
    }
  };

  const operations: Record<EcrOperation, (input: Record<string, unknown>) => Record<string, unknown>> = {
    DescribeRepositories(input) {
      checkRegistry(input);
      const names = input['repositoryNames'];
      if (Array.isArray(names)) {
        if (input['maxResults'] !== undefined) throw new EcrApiError('InvalidParameterException', 'maxResults cannot be used together with repositoryNames');
        const out = names.map((n) => {
          const repo = state.repositories.get(String(n));
          if (!repo) throw notFound(String(n));
          return describe(repo);
        });
        return { repositories: out };
      }
      const max = input['maxResults'] === undefined ? state.pageSize : Number(input['maxResults']);
      if (!Number.isInteger(max) || max < 1 || max > 1000) throw new EcrApiError('InvalidParameterException', `maxResults must be 1..1000, got ${String(input['maxResults'])}`);
      const all = [...state.repositories.values()].sort((a, b) => a.repositoryName.localeCompare(b.repositoryName));
      const token = str(input, 'nextToken');
      let start = 0;
      if (token !== undefined) {
        const decoded = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
        if (!decoded) throw new EcrApiError('InvalidParameterException', 'Invalid NextToken');
        start = Number(decoded[1]);
      }
      // Pages may hold fewer than maxResults: clients must follow nextToken, not count.
      const size = Math.min(max, state.maxPageSize);
      const page = all.slice(start, start + size);
      const next = start + size < all.length ? Buffer.from(`offset:${start + size}`).toString('base64') : undefined;
      return { repositories: page.map(describe), ...(next !== undefined ? { nextToken: next } : {}) };
    },

    CreateRepository(input) {
      checkRegistry(input);
      const name = str(input, 'repositoryName') ?? '';
      if (name.length < 2 || name.length > 256 || !REPOSITORY_NAME.test(name)) {
        throw new EcrApiError('InvalidParameterException', `Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*''`);
      }
      if (races.delete(name)) state.repositories.set(name, newRepository(name));
      if (state.repositories.has(name)) {
        throw new EcrApiError('RepositoryAlreadyExistsException', `The repository with name '${name}' already exists in the registry with id '${accountId}'`);
      }
      const scan = input['imageScanningConfiguration'] as { scanOnPush?: boolean } | undefined;
      const enc = input['encryptionConfiguration'] as { encryptionType?: string; kmsKey?: string } | undefined;
      if (enc?.encryptionType !== undefined && enc.encryptionType !== 'AES256' && enc.encryptionType !== 'KMS' && enc.encryptionType !== 'KMS_DSSE') {
        throw new EcrApiError('InvalidParameterException', `Invalid encryptionType ${enc.encryptionType}`);
      }
      if (enc?.kmsKey !== undefined && enc.encryptionType === 'AES256') throw new EcrApiError('InvalidParameterException', 'kmsKey requires encryptionType KMS');
      const mutability = str(input, 'imageTagMutability') ?? 'MUTABLE';
      if (!['MUTABLE', 'IMMUTABLE', 'MUTABLE_WITH_EXCLUSION', 'IMMUTABLE_WITH_EXCLUSION'].includes(mutability)) {
        throw new EcrApiError('InvalidParameterException', `Invalid imageTagMutability ${mutability}`);
      }
      const repo = newRepository(name, {
        imageTagMutability: mutability,
        imageScanningConfiguration: { scanOnPush: scan?.scanOnPush === true },
        encryptionConfiguration: enc?.encryptionType !== undefined ? { encryptionType: enc.encryptionType, ...(enc.kmsKey !== undefined ? { kmsKey: enc.kmsKey } : {}) } : { encryptionType: 'AES256' },
        tags: Array.isArray(input['tags']) ? (input['tags'] as Array<{ Key: string; Value: string }>) : [],
      });
      state.repositories.set(name, repo);
      return { repository: describe(repo) };
    },

    PutLifecyclePolicy(input) {
      checkRegistry(input);
      const name = str(input, 'repositoryName') ?? '';
      const repo = state.repositories.get(name);
      if (!repo) throw notFound(name);
      const text = str(input, 'lifecyclePolicyText') ?? '';
      let valid = false;
      try {
        valid = Array.isArray((JSON.parse(text) as { rules?: unknown }).rules);
      } catch {
        valid = false;
      }
      if (!valid) throw new EcrApiError('InvalidParameterException', "Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure'");
      repo.lifecyclePolicyText = text;
      return { registryId: accountId, repositoryName: name, lifecyclePolicyText: text };
    },

    GetLifecyclePolicy(input) {
      checkRegistry(input);
      const name = str(input, 'repositoryName') ?? '';
      const repo = state.repositories.get(name);
      if (!repo) throw notFound(name);
      if (repo.lifecyclePolicyText === undefined) throw new EcrApiError('LifecyclePolicyNotFoundException', `Lifecycle policy does not exist for the repository with name '${name}'`);
      return { registryId: accountId, repositoryName: name, lifecyclePolicyText: repo.lifecyclePolicyText };
    },

    GetAuthorizationToken() {
      return {
        authorizationData: [
          {
            authorizationToken: Buffer.from(`AWS:${state.password}`).toString('base64'),
            expiresAt: Date.now() / 1000 + state.tokenTtlSeconds,
            proxyEndpoint: `https://${state.registryHost}`,
          },
        ],
      };
    },
  };

  const takeFault = (op: string, input: Record<string, unknown>): ActiveFault | undefined => {
    const name = str(input, 'repositoryName') ?? (Array.isArray(input['repositoryNames']) ? String(input['repositoryNames'][0]) : undefined);
    const fault = faults.find((f) => f.remaining > 0 && (f.op === '*' || f.op === op) && (f.repository === undefined || f.repository === name));
    if (fault) fault.remaining--;
    return fault;
  };

  const send = (res: ServerResponse, status: number, body: unknown): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': randomBytes(8).toString('hex') });
    res.end(text);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    const scope = sigv4Scope(req.headers.authorization);
    if (req.method === 'POST' && FakeSts.isStsRequest(req.headers, body)) {
      const answer = sts.handle(body, scope.accessKeyId);
      res.writeHead(answer.status, { 'content-type': answer.contentType, 'content-length': Buffer.byteLength(answer.body) });
      res.end(answer.body);
      return;
    }
    const target = req.headers['x-amz-target'];
    const op = typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
    let input: Record<string, unknown> = {};
    try {
      input = body === '' ? {} : (JSON.parse(body) as Record<string, unknown>);
    } catch {
      // Answered below as a serialization error.
    }
    const call: EcrCall = { op, input, sessionToken: req.headers['x-amz-security-token'] !== undefined, status: 200 };
    if (scope.accessKeyId !== undefined) call.accessKeyId = scope.accessKeyId;
    if (scope.region !== undefined) call.signingRegion = scope.region;
    state.calls.push(call);
    const fail = (err: EcrApiError): void => {
      call.status = err.status;
      call.errorType = err.type;
      send(res, err.status, { __type: err.type, message: err.message });
    };
    if (req.method !== 'POST' || !String(req.headers['content-type'] ?? '').startsWith(JSON_TYPE)) {
      fail(new EcrApiError('SerializationException', `expected POST with ${JSON_TYPE}`));
      return;
    }
    if (scope.accessKeyId === undefined) {
      fail(new EcrApiError('MissingAuthenticationTokenException', 'Missing Authentication Token'));
      return;
    }
    const implementation = (operations as Record<string, ((input: Record<string, unknown>) => Record<string, unknown>) | undefined>)[op];
    if (!implementation) {
      fail(new EcrApiError('UnknownOperationException', `unknown operation ${String(target)}`));
      return;
    }
    const fault = takeFault(op, input);
    if (fault) {
      if (fault.afterEffect) {
        try {
          implementation(input);
        } catch {
          // The effect is what matters; its own answer is replaced by the fault's.
        }
      }
      fail(new EcrApiError(fault.type, fault.message ?? fault.type, fault.status));
      return;
    }
    try {
      send(res, 200, implementation(input));
    } catch (err) {
      if (err instanceof EcrApiError) fail(err);
      else fail(new EcrApiError('ServerException', String(err)));
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, { __type: 'ServerException', message: String(err) });
      else res.destroy();
    });
  });
  const port = await listenEphemeral(server);
  const stop = (): Promise<void> => closeHttpServer(server);
  return Object.assign(state, { url: `http://127.0.0.1:${port}`, stop, [Symbol.asyncDispose]: stop });
}
