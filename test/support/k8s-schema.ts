/**
 * Kubernetes schema validation for rendered manifests, with the OpenAPI-generated models of
 * `kubernetes-models` (and `@kubernetes-models/prometheus-operator` for ServiceMonitor): each document
 * is constructed with the model class of its `apiVersion`/`kind` and `.validate()`d. A kind no table
 * below knows is an error, never a skip, so a typo in `kind:` or an unexpected resource fails the test.
 *
 * Caveat: the Kubernetes OpenAPI schemas do not forbid unknown fields, so a misspelt field name passes
 * here; the deployment tests assert the fields that matter by value.
 */
import { parseAllDocuments } from 'yaml';
import * as monitoringV1 from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import * as appsV1 from 'kubernetes-models/apps/v1';
import * as autoscalingV2 from 'kubernetes-models/autoscaling/v2';
import * as batchV1 from 'kubernetes-models/batch/v1';
import * as coordinationV1 from 'kubernetes-models/coordination.k8s.io/v1';
import * as networkingV1 from 'kubernetes-models/networking.k8s.io/v1';
import * as policyV1 from 'kubernetes-models/policy/v1';
import * as rbacV1 from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import * as coreV1 from 'kubernetes-models/v1';

/** Why a document was refused; tests branch on `code`. */
export type K8sSchemaErrorCode = 'NOT_AN_OBJECT' | 'UNKNOWN_KIND' | 'INVALID_OBJECT' | 'YAML_INVALID';

/** A document is not a valid Kubernetes object (the message names the document and the problem). */
export class K8sSchemaError extends Error {
  readonly code: K8sSchemaErrorCode;

  constructor(code: K8sSchemaErrorCode, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'K8sSchemaError';
    this.code = code;
  }
}

/** A parsed manifest document: the fields every Kubernetes object has, the rest left open. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; [key: string]: unknown };
  [key: string]: unknown;
}

/** The API versions whose models are known, each with its module of model classes. */
const MODELS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  v1: coreV1,
  'apps/v1': appsV1,
  'batch/v1': batchV1,
  'autoscaling/v2': autoscalingV2,
  'coordination.k8s.io/v1': coordinationV1,
  'networking.k8s.io/v1': networkingV1,
  'policy/v1': policyV1,
  'rbac.authorization.k8s.io/v1': rbacV1,
  'monitoring.coreos.com/v1': monitoringV1,
};

/** A model class: constructed from a document, it validates against the generated schema. */
interface ModelClass {
  new (data: unknown): { validate(): void };
  readonly apiVersion: string;
  readonly kind: string;
}

/** The model class of a top-level kind; undefined for unknown kinds and for nested types. */
function modelFor(apiVersion: string, kind: string): ModelClass | undefined {
  const candidate: unknown = MODELS[apiVersion]?.[kind];
  if (typeof candidate !== 'function') return undefined;
  const model = candidate as ModelClass;
  // Nested types (`DeploymentSpec`) are classes too, but without the static kind/apiVersion of an object.
  return model.kind === kind && model.apiVersion === apiVersion ? model : undefined;
}

/** Every `apiVersion` this module can validate. */
export const KNOWN_API_VERSIONS: readonly string[] = Object.freeze(Object.keys(MODELS));

/**
 * Validates one document against its Kubernetes schema and returns it typed. Throws {@link K8sSchemaError}:
 * `NOT_AN_OBJECT` (no mapping, or no apiVersion/kind/metadata.name), `UNKNOWN_KIND`, `INVALID_OBJECT`.
 */
export function validateK8sObject(doc: unknown, source = 'document'): K8sObject {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new K8sSchemaError('NOT_AN_OBJECT', `${source}: not a mapping`);
  const { apiVersion, kind, metadata } = doc as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown } };
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') throw new K8sSchemaError('NOT_AN_OBJECT', `${source}: apiVersion and kind must be strings`);
  const where = `${source} (${apiVersion} ${kind} ${typeof metadata?.name === 'string' ? metadata.name : '?'})`;
  if (typeof metadata?.name !== 'string' || metadata.name === '') throw new K8sSchemaError('NOT_AN_OBJECT', `${where}: metadata.name is missing`);
  const Model = modelFor(apiVersion, kind);
  if (Model === undefined) {
    throw new K8sSchemaError('UNKNOWN_KIND', `${where}: no schema for kind ${JSON.stringify(kind)} in apiVersion ${JSON.stringify(apiVersion)} (known: ${KNOWN_API_VERSIONS.join(', ')})`);
  }
  try {
    new Model(doc).validate();
  } catch (err) {
    throw new K8sSchemaError('INVALID_OBJECT', `${where}: ${err instanceof Error ? err.message : String(err)}`, err);
  }
  return doc as K8sObject;
}

/**
 * Parses multi-document YAML (helm output, a manifest file) into its documents, dropping empty ones
 * (`---` followed by comments only). Throws {@link K8sSchemaError} `YAML_INVALID` naming `source`.
 */
export function parseK8sDocuments(text: string, source = 'yaml'): unknown[] {
  const docs = parseAllDocuments(text);
  const out: unknown[] = [];
  for (const [i, doc] of docs.entries()) {
    if (doc.errors.length > 0) throw new K8sSchemaError('YAML_INVALID', `${source} document ${i + 1}: ${doc.errors[0]?.message ?? 'invalid YAML'}`);
    const value: unknown = doc.toJS();
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
}

/** {@link parseK8sDocuments} then {@link validateK8sObject} on each document. */
export function validateK8sYaml(text: string, source = 'yaml'): K8sObject[] {
  return parseK8sDocuments(text, source).map((doc, i) => validateK8sObject(doc, `${source} #${i + 1}`));
}
