/** The `copycat controller` command line parses as k8s-copycat's Go flags do (behaviour inventory §1.1). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildProgram, normalizeArgv } from '../main.ts';
import type { ControllerFlags } from './controller.ts';

/** Parses `copycat controller ...args` and returns the flags the command would run with (it is not run). */
async function parse(...args: string[]): Promise<ControllerFlags> {
  const program = buildProgram(() => {});
  const cmd = program.commands.find((c) => c.name() === 'controller');
  assert.ok(cmd);
  let flags: ControllerFlags | undefined;
  cmd.action((f: ControllerFlags) => {
    flags = f;
  });
  await program.parseAsync(normalizeArgv(['node', 'copycat', 'controller', ...args]));
  assert.ok(flags);
  return flags;
}

describe('copycat controller flags', () => {
  it('defaults as upstream: leader election on, probes on :8081, the upstream Lease name', async () => {
    const f = await parse();
    assert.equal(f.leaderElect, true);
    assert.equal(f.healthProbeBindAddress, ':8081');
    assert.equal(f.leaderElectionId, 'k8s-copycat.k8s-copycat');
    assert.equal(f.metricsBindAddress, undefined, 'METRICS_ADDR decides when the flag is absent');
    assert.equal(f.dryRun, undefined);
  });

  it('takes the forms upstream manifests write: --flag=false, bare booleans, --flag=value, Go single dashes', async () => {
    const f = await parse('--leader-elect=false', '--metrics-bind-address=:9090', '-health-probe-bind-address=:9091', '--dry-run', '-dry-pull=true', '-kubeconfig', '/tmp/kc', '--zap-log-level=debug', '--zap-devel=false');
    assert.equal(f.leaderElect, false);
    assert.equal(f.metricsBindAddress, ':9090');
    assert.equal(f.healthProbeBindAddress, ':9091');
    assert.equal(f.dryRun, true);
    assert.equal(f.dryPull, true);
    assert.equal(f.kubeconfig, '/tmp/kc');
    assert.equal(f.zapLogLevel, 'debug');
    assert.equal((await parse('--leader-elect')).leaderElect, true);
    assert.equal((await parse('--leader-elect=0', '--leader-election-namespace', 'ops')).leaderElectionNamespace, 'ops');
  });

  it('refuses what Go would refuse: a non-boolean value and unknown flags', async () => {
    await assert.rejects(parse('--leader-elect=maybe'), /not a boolean/);
    await assert.rejects(parse('--no-such-flag'), /unknown option/);
  });

  it('leaves other commands alone', () => {
    assert.deepEqual(normalizeArgv(['node', 'copycat', 'copy', '-kubeconfig']), ['node', 'copycat', 'copy', '-kubeconfig']);
  });
});
