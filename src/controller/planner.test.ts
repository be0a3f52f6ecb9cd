import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePlatform } from '../oci/index.ts';
import { nameTarget, planImage, retarget, type MirrorPlan, type PlanDecision, type UseContext } from './planner.ts';
import { defaultRules, type MirrorRules } from './rules.ts';

const D_A = `sha256:${'a'.repeat(64)}`;
const D_B = `sha256:${'b'.repeat(64)}`;
const D_0123 = `sha256:${'0123456789abcdef'.repeat(4)}`;
const D_1111 = `sha256:${'1111'.repeat(15)}0000`;
const CTX: UseContext = { namespace: 'default', owner: 'web', container: 'app' };

function rules(over: Partial<MirrorRules> = {}): MirrorRules {
  return defaultRules('example.com', over);
}

function mirror(d: PlanDecision): MirrorPlan {
  assert.equal(d.kind, 'mirror', `expected a mirror plan, got ${JSON.stringify(d)}`);
  return (d as Extract<PlanDecision, { kind: 'mirror' }>).plan;
}

describe('planImage: target naming (§3.9)', () => {
  it('TestResolveRepoPathWithMetadata: $namespace/$podname/$container_name', () => {
    const p = mirror(planImage(rules({ repoPrefix: '$namespace/$podname/$container_name' }), 'nginx', undefined, { namespace: 'team-a', owner: 'pod-1', container: 'app' }));
    assert.equal(p.targetRepository, 'team-a/pod-1/app/library/nginx');
  });

  it('TestMirrorPopulatesRegistryMetadataFromSource: $registry/$namespace renders Docker Hub as docker.io and keeps other hosts', () => {
    const r = rules({ repoPrefix: '$registry/$namespace' });
    const cases: Array<[string, string]> = [
      ['docker.io/library/nginx:1.28', 'example.com/docker.io/default/library/nginx:1.28'],
      ['ghcr.io/org/app:v1', 'example.com/ghcr.io/default/org/app:v1'],
      ['quay.io/prometheus/node-exporter:latest', 'example.com/quay.io/default/prometheus/node-exporter:latest'],
      ['index.docker.io/library/nginx:1.28', 'example.com/docker.io/default/library/nginx:1.28'],
    ];
    for (const [src, target] of cases) assert.equal(mirror(planImage(r, src, undefined, CTX)).target.toString(), target, src);
  });

  it('TestResolveRepoPathWithRegistryMetadata and TestResolveRepoPathWithArchitectureMetadata', () => {
    const naming = { namespace: 'prod', registry: 'ghcr.io' };
    assert.equal(nameTarget(rules({ repoPrefix: '$registry/$namespace' }), 'library/nginx', naming, '1').repository, 'ghcr.io/prod/library/nginx');
    assert.equal(nameTarget(rules({ repoPrefix: '$arch/$namespace' }), '', { namespace: 'prod', architecture: 'arm64' }, undefined).repository, 'arm64/prod/library/unknown');
  });

  it('examples of §3.9: bare names are latest, the registry host is dropped without $registry, tag@digest keeps its tag', () => {
    const r = defaultRules('reg:5000');
    assert.equal(mirror(planImage(r, 'nginx:1.25', undefined, CTX)).target.toString(), 'reg:5000/library/nginx:1.25');
    assert.equal(mirror(planImage(r, 'nginx', undefined, CTX)).target.toString(), 'reg:5000/library/nginx:latest');
    assert.equal(mirror(planImage(defaultRules('reg:5000', { repoPrefix: 'mirror' }), 'ghcr.io/org/app:v1', undefined, CTX)).target.toString(), 'reg:5000/mirror/org/app:v1');
    const pinned = mirror(planImage(r, `nginx:1.25@${D_A}`, undefined, CTX));
    assert.equal(pinned.target.toString(), 'reg:5000/library/nginx:1.25');
    assert.equal(pinned.pull.digest, D_A);
  });

  it('a digest-only source keeps no tag: pushed by digest, never as latest (ARCHITECTURE §2.4; upstream used latest, §7.1 item 5)', () => {
    const p = mirror(planImage(rules(), `nginx@${D_A}`, undefined, CTX));
    assert.equal(p.tag, undefined);
    assert.equal(p.target.toString(), 'example.com/library/nginx');
    assert.equal(p.pull.toString(), `docker.io/library/nginx@${D_A}`);
  });

  it('pathMap applies before the prefix; the target path prefix goes first', () => {
    const r = rules({ repoPrefix: 'mirror', pathMap: [{ from: 'group/project', to: 'prod/project' }], targetPathPrefix: 'team' });
    assert.equal(mirror(planImage(r, 'registry.gitlab.com/group/project/app:1', undefined, CTX)).targetRepository, 'team/mirror/prod/project/app');
    const re = rules({ pathMap: [{ from: '^legacy/(.*)', to: 'modern/$1', regex: true }] });
    assert.equal(mirror(planImage(re, 'example.org/legacy/service:2', undefined, CTX)).targetRepository, 'modern/service');
  });

  it('empty placeholders drop their segment (TestExpandRepoPrefixSkipsEmptySegments)', () => {
    assert.equal(mirror(planImage(rules({ repoPrefix: '$arch/$namespace' }), 'nginx', undefined, CTX)).targetRepository, 'default/library/nginx');
    assert.equal(mirror(planImage(rules({ repoPrefix: '$namespace/$podname' }), 'nginx', undefined, { namespace: 'default', owner: '', container: '' })).targetRepository, 'default/library/nginx');
  });
});

describe('planImage: digestPull and imageID (§3.2, §2.4)', () => {
  it('TestPullReferenceFromMetadataFallsBackWhenDisabled: digestPull off ignores the imageID', () => {
    const p = mirror(planImage(rules(), 'docker.io/library/nginx:1.28', `docker.io/library/nginx@${D_A}`, CTX));
    assert.equal(p.pull.toString(), 'docker.io/library/nginx:1.28');
    assert.equal(p.podDigest, undefined);
  });

  it('TestDigestReferenceFromImageIDUsesPodDigest / TestPullReferenceFromMetadataUsesPodDigest: the imageID digest with its own repository', () => {
    const p = mirror(planImage(rules({ digestPull: true }), 'docker.io/library/alpine:3.19', `docker.io/library/alpine@${D_0123}`, CTX));
    assert.equal(p.podDigest, D_0123);
    assert.equal(p.pull.toString(), `docker.io/library/alpine@${D_0123}`);
    assert.equal(p.target.toString(), 'example.com/library/alpine:3.19');
  });

  it('TestDigestReferenceFromImageIDInfersContextForBareDigests: a bare digest takes the source repository', () => {
    const p = mirror(planImage(rules({ digestPull: true }), 'ghcr.io/org/app:1.2.3', D_1111, CTX));
    assert.equal(p.pull.toString(), `ghcr.io/org/app@${D_1111}`);
  });

  it('TestNormalizeImageIDStripsRuntimePrefixes: every runtime scheme is stripped', () => {
    const r = rules({ digestPull: true });
    for (const id of [`docker-pullable://docker.io/library/nginx@${D_A}`, `  cri-o://docker.io/library/nginx@${D_A}  `, `nerdctl://docker.io/library/nginx@${D_A}`, `containerd://${D_A}`]) {
      assert.equal(mirror(planImage(r, 'nginx:1.25', id, CTX)).pull.toString(), `docker.io/library/nginx@${D_A}`, id);
    }
  });

  it('an imageID from another repository (a containerd mirror) is pulled from there', () => {
    const p = mirror(planImage(rules({ digestPull: true }), 'nginx:1.25', `mirror.example.com/library/nginx@${D_A}`, CTX));
    assert.equal(p.pull.toString(), `mirror.example.com/library/nginx@${D_A}`);
    assert.equal(p.target.toString(), 'example.com/library/nginx:1.25');
  });

  it('TestMirrorSkipsWithoutPodDigestWhenDigestPullEnabled: a tag without an imageID waits for the digest', () => {
    const d = planImage(rules({ digestPull: true, repoPrefix: '$namespace' }), 'docker.io/library/nginx:1.28', undefined, CTX);
    assert.equal(d.kind, 'skip');
    assert.equal(d.kind === 'skip' && d.reason, 'digest-pending');
    assert.ok(d.notes.some((n) => n.message === 'digest pull enabled but pod imageID digest is not available yet, skipping until it is reported'));
  });

  it('TestPullReferenceFromMetadataPropagatesErrors: an invalid imageID counts as no digest (logged), so the tag waits', () => {
    const d = planImage(rules({ digestPull: true }), 'nginx:1.25', 'not-a-digest', CTX);
    assert.equal(d.kind === 'skip' && d.reason, 'digest-pending');
    assert.ok(d.notes.some((n) => n.message === 'failed to parse digest from pod imageID'));
  });

  it('TestMirrorDigestPullIgnoredTagSkipsPodImageIDDigest: latest (and a missing tag) stay tag-based', () => {
    const r = rules({ digestPull: true });
    for (const src of ['docker.io/library/nginx:latest', 'nginx', 'nginx:LATEST']) {
      const d = planImage(r, src, `docker.io/library/nginx@${D_A}`, CTX);
      const p = mirror(d);
      assert.equal(p.podDigest, undefined, src);
      assert.equal(p.pull.digest, undefined, src);
      assert.ok(d.notes.some((n) => n.message === 'digest pull ignored for tag configured in digestPullIgnoredTags'), src);
    }
  });

  it('a digest source is never ignored; with an imageID the imageID digest is pulled, without one the source digest', () => {
    const r = rules({ digestPull: true, digestPullIgnoredTags: new Set(['latest', '1.25']) });
    assert.equal(mirror(planImage(r, `nginx:1.25@${D_A}`, `docker.io/library/nginx@${D_B}`, CTX)).pull.digest, D_B);
    const noId = mirror(planImage(r, `nginx@${D_A}`, undefined, CTX));
    assert.equal(noId.pull.digest, D_A);
    assert.equal(noId.podDigest, undefined);
  });
});

describe('planImage: platforms and copy mode (§3.3, §3.4, §2.7)', () => {
  const node = { os: 'linux', architecture: 'arm64' };

  it('TestShouldMirrorEntireIndex: digestPull off or no platform → full; digestPull with a platform → platforms', () => {
    assert.equal(mirror(planImage(rules({ checkNodePlatform: true }), 'nginx:1', undefined, { ...CTX, node })).mode, 'full');
    assert.equal(mirror(planImage(rules({ digestPull: true }), `nginx@${D_A}`, undefined, CTX)).mode, 'full');
    const p = mirror(planImage(rules({ digestPull: true, checkNodePlatform: true }), `nginx@${D_A}`, undefined, { ...CTX, node }));
    assert.equal(p.mode, 'platforms');
    assert.deepEqual(p.platforms, [parsePlatform('linux/arm64')]);
  });

  it('the node platform counts only with checkNodePlatform (TestPodReconcilerNodePlatformToggle)', () => {
    const off = mirror(planImage(rules({ digestPull: true, repoPrefix: '$arch' }), `nginx@${D_A}`, undefined, { ...CTX, node }));
    assert.equal(off.naming.architecture, '');
    assert.equal(off.targetRepository, 'library/nginx');
    const on = mirror(planImage(rules({ digestPull: true, checkNodePlatform: true, repoPrefix: '$arch' }), `nginx@${D_A}`, undefined, { ...CTX, node }));
    assert.equal(on.naming.architecture, 'arm64');
    assert.equal(on.targetRepository, 'arm64/library/nginx');
    assert.equal(on.archDependent, true);
  });

  it('TestDesiredPlatformsPrioritizesNode via the plan: node first, then mirrorPlatforms, deduplicated', () => {
    const r = rules({ digestPull: true, checkNodePlatform: true, mirrorPlatforms: [parsePlatform('linux/arm64'), parsePlatform('linux/amd64')] });
    const p = mirror(planImage(r, `nginx@${D_A}`, undefined, { ...CTX, node: { os: 'linux', architecture: 'amd64' } }));
    assert.deepEqual(p.platforms.map((x) => `${x.os}/${x.architecture}`), ['linux/amd64', 'linux/arm64']);
  });

  it('a node platform outside mirrorPlatforms gets upstream\'s warning and is still mirrored first', () => {
    const d = planImage(rules({ digestPull: true, checkNodePlatform: true, mirrorPlatforms: [parsePlatform('linux/amd64')] }), `nginx@${D_A}`, undefined, { ...CTX, node });
    const note = d.notes.find((n) => n.message === 'checkNodePlatform detected platform not configured in mirrorPlatforms; continuing with node-specific manifest');
    assert.ok(note);
    assert.equal(note.fields['severity'], 'warning');
    assert.equal(mirror(d).platforms[0]?.architecture, 'arm64');
  });

  it('job keys: pods of one workload on one platform share a key; another platform or digest is another job', () => {
    const r = rules({ digestPull: true, checkNodePlatform: true });
    const key = (id: string, arch: string) => mirror(planImage(r, 'nginx:1.25', `docker.io/library/nginx@${id}`, { ...CTX, node: { os: 'linux', architecture: arch } })).key;
    assert.equal(key(D_A, 'amd64'), key(D_A, 'amd64'));
    assert.notEqual(key(D_A, 'amd64'), key(D_A, 'arm64'));
    assert.notEqual(key(D_A, 'amd64'), key(D_B, 'amd64'));
  });
});

describe('planImage: exclusions and bad input', () => {
  it('TestMirrorSkipsExcludedRegistry: an excluded source is skipped before parsing', () => {
    const d = planImage(rules({ excludeRegistries: ['example.com'] }), 'example.com/repo:tag', undefined, CTX);
    assert.equal(d.kind === 'skip' && d.reason, 'excluded');
    assert.ok(d.notes.some((n) => n.message === 'source matches excluded registry prefix, skipping' && n.fields['excludedPrefix'] === 'example.com'));
  });

  it('an invalid reference is an IMAGE_REFERENCE_INVALID decision naming it (upstream `parse source:`)', () => {
    for (const bad of ['Nginx:1', 'http://example.com/app:1', 'nginx@sha256:abc', 'nginx:']) {
      const d = planImage(rules(), bad, undefined, CTX);
      assert.equal(d.kind, 'invalid', bad);
      assert.equal(d.kind === 'invalid' && d.error.code, 'IMAGE_REFERENCE_INVALID');
      assert.match(d.kind === 'invalid' ? d.error.message : '', /^parse source: /);
    }
  });
});

describe('retarget ($arch known from the source, §3.9)', () => {
  it('re-aims the repository and keeps the job key', () => {
    const r = rules({ repoPrefix: '$arch/$namespace' });
    const p = mirror(planImage(r, 'alpine:3.19', undefined, CTX));
    assert.equal(p.targetRepository, 'default/library/alpine');
    const q = retarget(r, p, '386-amd64-arm-arm64-ppc64le-riscv64-s390x');
    assert.equal(q.target.toString(), 'example.com/386-amd64-arm-arm64-ppc64le-riscv64-s390x/default/library/alpine:3.19');
    assert.equal(q.key, p.key);
    assert.equal(retarget(r, p, ''), p);
  });
});
