/**
 * Secrets are never printed (ARCHITECTURE §4): the CLI's stdout and stderr, on success, with `--json`,
 * and on failures with a wrong password, never contain the password, the Basic header built from it, or
 * a bearer token; a wrong password fails with a message naming the registry; credentials given for one
 * registry never reach the other.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pushImage, type ImageFixture } from './support/fixtures.ts';
import { sha256, skopeoInspectRaw } from './support/skopeo.ts';
import { startRegistry, type RunningRegistry } from './support/registry.ts';
import { runCli, type CliResult } from './lib/cli.ts';

const BASIC_PASSWORD = 'Sup3r-S3cret-basic-7e1f';
// A colon inside the password: only the first colon of USER:PASSWORD splits.
const TOKEN_PASSWORD = 'p4ss:with:colons-91ab';
const WRONG_PASSWORD = 'Wr0ng-Guess-4c2d';

/** Fails when any form of a secret shows up in what the CLI printed. */
function assertNoSecrets(r: CliResult, users: Array<{ username: string; password: string }>): void {
  const printed = `${r.out}\n${r.stderr}`;
  for (const { username, password } of users) {
    assert.ok(!printed.includes(password), `the password ${JSON.stringify(password)} was printed:\n${printed}`);
    const basic = Buffer.from(`${username}:${password}`).toString('base64');
    assert.ok(!printed.includes(basic), 'the Basic credential was printed');
    // Password fragments around a colon would betray a naive split too.
    for (const part of password.split(':').filter((p) => p.length >= 6)) assert.ok(!printed.includes(part), `part of the password was printed: ${part}`);
  }
  assert.doesNotMatch(printed, /eyJ[\w-]{10,}\.[\w-]{10,}/, 'a bearer token (JWT) was printed');
  assert.doesNotMatch(printed, /authorization/i, 'an Authorization header was printed');
}

describe('credentials on the command line', () => {
  let open: RunningRegistry;
  let basic: RunningRegistry;
  let token: RunningRegistry;
  let image: ImageFixture;
  let secrets: Array<{ username: string; password: string }>;

  before(async () => {
    [open, basic, token] = await Promise.all([
      startRegistry(),
      startRegistry({ auth: 'basic', password: BASIC_PASSWORD }),
      startRegistry({ auth: 'token', password: TOKEN_PASSWORD }),
    ]);
    image = await pushImage(open, 'auth/app', { tag: 'v1' });
    await pushImage(token, 'private/app', { tag: 'v1', seed: 'private' });
    secrets = [
      { username: basic.username!, password: BASIC_PASSWORD },
      { username: token.username!, password: TOKEN_PASSWORD },
      { username: basic.username!, password: WRONG_PASSWORD },
    ];
  });
  after(async () => {
    await Promise.all([open?.stop(), basic?.stop(), token?.stop()]);
  });

  it('copy into basic and token registries succeeds and prints no secret (summary line and --json)', async () => {
    const [toBasic, toToken] = await Promise.all([
      runCli(['copy', `${open.host}/auth/app:v1`, `${basic.host}/mirror/app:v1`, '--dest-creds', `${basic.username}:${BASIC_PASSWORD}`]),
      runCli(['copy', '--json', `${open.host}/auth/app:v1`, `${token.host}/mirror/app:v1`, '--dest-creds', `${token.username}:${TOKEN_PASSWORD}`]),
    ]);
    assert.equal(toBasic.code, 0, toBasic.stderr);
    assert.equal(toToken.code, 0, toToken.stderr);
    assert.match(toBasic.out, /^copied /);
    assert.equal((JSON.parse(toToken.out) as { digest: string }).digest, image.digest);
    assertNoSecrets(toBasic, secrets);
    assertNoSecrets(toToken, secrets);
    assert.equal(sha256(await skopeoInspectRaw(`${basic.host}/mirror/app:v1`, { creds: basic })), image.digest);
    assert.equal(sha256(await skopeoInspectRaw(`${token.host}/mirror/app:v1`, { creds: { username: token.username, password: TOKEN_PASSWORD } })), image.digest);
  });

  it('a wrong password fails with a message naming the registry, and prints no secret', async () => {
    const wrongBasic = `${basic.username}:${WRONG_PASSWORD}`;
    const wrongToken = `${token.username}:${WRONG_PASSWORD}`;
    const runs = await Promise.all([
      runCli(['copy', `${open.host}/auth/app:v1`, `${basic.host}/mirror/denied:v1`, '--dest-creds', wrongBasic]),
      runCli(['copy', `${token.host}/private/app:v1`, `${open.host}/out/app:v1`, '--src-creds', wrongToken]),
      runCli(['copy', '--json', `${open.host}/auth/app:v1`, `${token.host}/mirror/denied:v1`, '--dest-creds', wrongToken]),
      runCli(['inspect', `${basic.host}/mirror/app:v1`, '--creds', wrongBasic]),
      runCli(['tags', `${token.host}/private/app`, '--creds', wrongToken]),
    ]);
    const registries = [basic.host, token.host, token.host, basic.host, token.host];
    for (const [i, r] of runs.entries()) {
      assert.equal(r.code, 1, `run ${i}: ${r.stderr}`);
      assert.match(r.stderr, /^copycat: (UNAUTHORIZED|DENIED|AUTH_FAILED): /, `run ${i}`);
      assert.ok(r.stderr.includes(registries[i]!), `run ${i} names ${registries[i]}: ${r.stderr}`);
      assert.equal(r.out, '', `run ${i} printed nothing on stdout`);
      assertNoSecrets(r, secrets);
    }
  });

  it('credentials are bound to their registry: --src-creds never reach the destination', async () => {
    const before = token.tokenRequests.length;
    // The token registry is the destination here, but only the source got credentials.
    const r = await runCli(['copy', `${basic.host}/mirror/app:v1`, `${token.host}/leak/app:v1`, '--src-creds', `${basic.username}:${BASIC_PASSWORD}`]);
    assert.equal(r.code, 1);
    assert.ok(r.stderr.includes(token.host), r.stderr);
    assertNoSecrets(r, secrets);
    const seen = token.tokenRequests.slice(before);
    assert.ok(seen.length > 0, 'the destination was asked for a token');
    assert.ok(seen.every((t) => t.user === undefined), 'every token request to the destination was anonymous');
  });

  it('a malformed --dest-creds is a usage error that does not echo the value', async () => {
    const r = await runCli(['copy', `${open.host}/auth/app:v1`, `${basic.host}/mirror/x:v1`, '--dest-creds', BASIC_PASSWORD]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^copycat: CREDENTIALS_INVALID: --dest-creds must be USERNAME:PASSWORD/);
    assertNoSecrets(r, secrets);
  });
});
