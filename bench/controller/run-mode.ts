/**
 * One measured configuration: a fresh target registry behind a counting proxy, the controller process started
 * against the fake API server, then convergence (all images mirrored), one full resync on command, the
 * status document, the controller's peak RSS, a clean stop, and a check of the target. Requests are counted
 * separately for the convergence and the resync windows.
 */
import { writeFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ControllerStatus } from '../../src/controller/index.ts';
import type { FakeKubeApiServer } from '../../test/support/kube-apiserver.ts';
import { startFaultProxy, type FaultProxy, type ProxyRequestRecord } from '../../test/support/proxy.ts';
import type { Cleanup } from '../lib/cleanup.ts';
import { round } from '../lib/stats.ts';
import { ControllerProcess } from './child.ts';
import type { ClusterPlan } from './cluster-plan.ts';
import { controllerConfigYaml, type Mode } from './modes.ts';
import { checkTargets, type Limits, type ModeResult, type PhaseRequests } from './report.ts';
import { nonSuccess, requestsPerRepository, summariseRequests, topShapes } from './requests.ts';
import type { SeededImage } from './seed.ts';
import { expectationsFor, verifyTarget } from './verify.ts';

/** What every mode shares. */
export interface ModeContext {
  cleanup: Cleanup;
  /** The counting proxy in front of the source registry (pods name images through it). */
  sourceProxy: FaultProxy;
  api: FakeKubeApiServer;
  kubeconfig: string;
  images: readonly SeededImage[];
  plan: ClusterPlan;
  /** JSON file with the image references the pods use. */
  expectFile: string;
  scratch: string;
  nodeFlags: readonly string[];
  /** Longest wait for the controller to converge, ms. */
  timeoutMs: number;
  maxConcurrentReconciles?: number | undefined;
  logLevel: string;
  limits: Limits;
  log(message: string): void;
  /** True once Ctrl-C started the cleanup: failures after that are not findings. */
  interrupted(): boolean;
}

function phase(source: readonly ProxyRequestRecord[], target: readonly ProxyRequestRecord[], images: number): PhaseRequests {
  const total = source.length + target.length;
  const labelled = [...source.map((r) => ({ ...r, method: `source ${r.method}` })), ...target.map((r) => ({ ...r, method: `target ${r.method}` }))];
  return {
    source: summariseRequests(source, images),
    target: summariseRequests(target, images),
    total,
    perImage: images > 0 ? round(total / images, 3) : 0,
    topShapes: topShapes(labelled, 10),
    perRepository: requestsPerRepository([...source, ...target]),
    nonSuccess: Object.fromEntries([...Object.entries(nonSuccess(source)).map(([k, v]) => [`source ${k}`, v]), ...Object.entries(nonSuccess(target)).map(([k, v]) => [`target ${k}`, v])]),
  };
}

/** Takes the records so far and empties the list, so the next phase counts from zero. */
function drain(proxy: FaultProxy): ProxyRequestRecord[] {
  return proxy.requests.splice(0, proxy.requests.length);
}

/** Notes on how the jobs map to images (several jobs for one image explain extra requests). */
function statusNotes(status: ControllerStatus): string[] {
  const perSource = new Map<string, number>();
  for (const img of status.images) if (img.state === 'mirrored' || img.state === 'partial') perSource.set(img.source, (perSource.get(img.source) ?? 0) + 1);
  const multi = [...perSource.values()].filter((n) => n > 1);
  const notes: string[] = [];
  if (multi.length > 0) {
    const jobs = multi.reduce((a, b) => a + b, 0);
    notes.push(`${multi.length} of ${perSource.size} images have more than one mirror job (${jobs} jobs: one per target, pull reference and platform set, e.g. one per node architecture)`);
  }
  const partial = status.images.filter((i) => i.state === 'partial').length;
  if (partial > 0) notes.push(`${partial} jobs ended 'partial': the target refused the original index without its other platforms; the node platforms are served by digest, no tag written`);
  return notes;
}

/** Runs one mode; a failure is reported in the result, not thrown. */
export async function runMode(ctx: ModeContext, mode: Mode): Promise<ModeResult> {
  const result: ModeResult = { mode: mode.name, title: mode.title, targets: [], notes: [] };
  const unique = ctx.images.length;
  const target = await ctx.cleanup.registry();
  const targetProxy = await startFaultProxy(target.url);
  const stopProxy = ctx.cleanup.add(() => targetProxy.stop());
  const configFile = join(ctx.scratch, `config-${mode.name}.yaml`);
  await writeFile(configFile, controllerConfigYaml(mode, targetProxy.host, { logLevel: ctx.logLevel, ...(ctx.maxConcurrentReconciles !== undefined ? { maxConcurrentReconciles: ctx.maxConcurrentReconciles } : {}) }));
  drain(ctx.sourceProxy);
  const kubeMark = ctx.api.requests.length;
  const logFile = join(ctx.scratch, `controller-${mode.name}.log`);
  const child = ControllerProcess.spawn({ nodeFlags: ctx.nodeFlags, args: ['--kubeconfig', ctx.kubeconfig, '--config', configFile, '--expect', ctx.expectFile], logFile });
  const release = ctx.cleanup.add(async () => child.kill());
  const since = (): number => (performance.now() - child.spawnedAt) / 1000;
  const timeline: Array<[number, number, number, number]> = [];
  const mb = (n: number | undefined): number => round((n ?? 0) / 1e6, 1);
  child.onMessage = (m) => {
    if (m.type === 'progress') {
      timeline.push([round(since(), 1), mb(m.memory.vmRSS), mb(m.memory.heapUsed), mb(m.memory.heapTotal)]);
      const counts = Object.entries(m.counts).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ');
      ctx.log(`  [${mode.name}] ${since().toFixed(1)} s: ${m.covered}/${m.expected} images mirrored; jobs: ${counts || 'none yet'}`);
    }
  };
  ctx.log(`bench: [${mode.name}] controller process ${child.pid} started (${mode.title}); log: ${logFile}`);
  try {
    const startedMessage = await child.next('started', 60_000);
    const started = since();
    const syncedMessage = await child.next('synced', ctx.timeoutMs);
    const synced = since();
    const converged = await child.next('converged', ctx.timeoutMs);
    const convergedAt = since();
    const convergence = phase(drain(ctx.sourceProxy), drain(targetProxy), unique);
    const rssAtConvergedBytes = converged.memory.vmRSS;
    result.seconds = { started: round(started, 3), synced: round(synced, 3), converged: round(convergedAt, 3) };
    result.jobs = converged.counts;
    result.convergence = convergence;
    ctx.log(`bench: [${mode.name}] all ${unique} images mirrored after ${convergedAt.toFixed(1)} s (${convergence.total} registry requests); resync`);

    child.send({ cmd: 'resync' });
    const resynced = await child.next('resynced', ctx.timeoutMs);
    result.resync = { ...phase(drain(ctx.sourceProxy), drain(targetProxy), unique), seconds: round(resynced.seconds, 4), checked: resynced.checked, requeued: resynced.requeued };
    result.cpuSeconds = { converged: round(converged.cpuSeconds, 2), resync: round(resynced.cpuSeconds - converged.cpuSeconds, 3) };

    const statusFile = join(ctx.scratch, `status-${mode.name}.json`);
    child.send({ cmd: 'status', file: statusFile });
    await child.next('status', 60_000);
    const status = JSON.parse(await readFile(statusFile, 'utf8')) as ControllerStatus;
    result.notes.push(...statusNotes(status));
    if (resynced.requeued > 0) result.notes.push(`the resync requeued ${resynced.requeued} jobs; their re-runs are in the resync's request counts`);

    // The kernel's high-water mark, read from outside just before the process stops: its whole life's peak.
    const peakRssBytes = child.peakRss();
    const largest = child.rssSamples.reduce<{ ms: number; rss: number } | undefined>((best, s) => (best === undefined || s.rss > best.rss ? s : best), undefined);
    result.memory = { peakRssBytes, rssAtStartBytes: startedMessage.memory.vmRSS, rssAtSyncedBytes: syncedMessage.memory.vmRSS, rssAtConvergedBytes, rssAfterResyncBytes: resynced.memory.vmRSS, peakSampleAtSeconds: largest ? round(largest.ms / 1000, 1) : undefined, atConverged: converged.memory, timeline };
    const kube = ctx.api.requests.slice(kubeMark);
    result.kube = { requests: kube.length, lists: kube.filter((r) => r.method === 'GET' && !r.watch && r.query['limit'] !== undefined).length, watches: kube.filter((r) => r.watch).length, gets: kube.filter((r) => r.method === 'GET' && !r.watch && r.query['limit'] === undefined).length };

    child.send({ cmd: 'exit' });
    await child.next('stopped', 30_000);
    await child.stop();

    const expectations = expectationsFor(mode, ctx.images, ctx.plan.archesByImage);
    result.verify = await verifyTarget(target.url, expectations);
    if (result.verify.ok !== result.verify.checked) result.error = `the target does not serve what the pods run: ${result.verify.checked - result.verify.ok} of ${result.verify.checked} manifests missing or different`;
    ctx.log(`bench: [${mode.name}] resync ${result.resync.total} requests (${result.resync.perImage} per image), peak RSS ${peakRssBytes === undefined ? '?' : (peakRssBytes / 1e6).toFixed(1)} MB, target check ${result.verify.ok}/${result.verify.checked}`);
  } catch (err) {
    result.error = err instanceof Error ? err.message : String(err);
    if (!ctx.interrupted()) ctx.log(`bench: [${mode.name}] failed: ${result.error}`);
  } finally {
    child.kill();
    await child.stop(1_000);
    await release();
    await stopProxy();
    await target.release();
  }
  result.targets = checkTargets(result, ctx.limits);
  return result;
}
