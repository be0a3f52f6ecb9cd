/**
 * Self-signed certificate creation through the `openssl` CLI (Node can parse X.509 but not issue it).
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { X509Certificate } from 'node:crypto';

const execFileAsync = promisify(execFile);

/** A P-256 key and its self-signed certificate, as files on disk and in memory. */
export interface SelfSignedCert {
  keyPath: string;
  certPath: string;
  keyPem: string;
  certPem: string;
  /** The certificate's DER bytes, base64 (standard alphabet), as a JWS `x5c` entry wants them. */
  certDerBase64: string;
}

/**
 * Creates an EC P-256 key and a self-signed certificate for it in `dir` (valid for two days).
 * Used as the token issuer: distribution trusts the certificate through `auth.token.rootcertbundle`.
 */
export async function createSelfSignedCert(dir: string, commonName: string): Promise<SelfSignedCert> {
  const keyPath = join(dir, 'token-issuer.key');
  const certPath = join(dir, 'token-issuer.crt');
  const args = [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', keyPath, '-out', certPath, '-days', '2', '-subj', `/CN=${commonName}`,
  ];
  try {
    await execFileAsync('openssl', args, { timeout: 20_000 });
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? '';
    const hint = (err as { code?: string }).code === 'ENOENT' ? ' (openssl is not installed: run scripts/ensure-system-deps.sh)' : '';
    throw new Error(`openssl ${args.join(' ')} failed${hint}: ${stderr.trim() || String(err)}`, { cause: err });
  }
  const [keyPem, certPem] = await Promise.all([readFile(keyPath, 'utf8'), readFile(certPath, 'utf8')]);
  const certDerBase64 = new X509Certificate(certPem).raw.toString('base64');
  return { keyPath, certPath, keyPem, certPem, certDerBase64 };
}
