import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractImages, normalizeImageID, parseImageID, podImages, podSpecImages, podTemplateOf } from './images.ts';
import type { PodLike, PodSpecLike, WorkloadLike } from './types.ts';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('podSpecImages', () => {
  // k8s-copycat TestImagesFromPodSpecIncludesContainerNames (§6.9).
  it('lists init, regular and ephemeral containers in that order, keeping duplicate images', () => {
    const spec: PodSpecLike = {
      initContainers: [{ name: 'init-db', image: 'busybox:1' }],
      containers: [
        { name: 'app', image: 'nginx:1' },
        { name: 'sidecar', image: 'busybox:1' },
      ],
      ephemeralContainers: [{ name: 'debug', image: 'alpine:3' }],
    };
    assert.deepEqual(podSpecImages(spec), [
      { image: 'busybox:1', container: 'init-db', kind: 'init' },
      { image: 'nginx:1', container: 'app', kind: 'container' },
      { image: 'busybox:1', container: 'sidecar', kind: 'container' },
      { image: 'alpine:3', container: 'debug', kind: 'ephemeral' },
    ]);
  });

  it('trims names and images and skips empty images', () => {
    const spec: PodSpecLike = { containers: [{ name: ' app ', image: ' nginx:1 ' }, { name: 'empty', image: '  ' }, { name: 'none' }] };
    assert.deepEqual(podSpecImages(spec), [{ image: 'nginx:1', container: 'app', kind: 'container' }]);
  });

  it('returns nothing for a missing spec', () => {
    assert.deepEqual(podSpecImages(undefined), []);
  });
});

describe('podImages', () => {
  // k8s-copycat TestImagesFromPodAnnotatesImageIDs (§6.9).
  it('annotates each container with its status imageID, runtime prefix stripped', () => {
    const pod: PodLike = {
      kind: 'Pod',
      spec: {
        initContainers: [{ name: 'init', image: 'registry.example.com/busybox:1' }],
        containers: [{ name: 'app', image: 'registry.example.com/nginx:1' }],
        ephemeralContainers: [{ name: 'debug', image: 'registry.example.com/alpine:3' }],
      },
      status: {
        initContainerStatuses: [{ name: 'init', imageID: 'docker://registry.example.com/busybox@sha256:abc' }],
        containerStatuses: [{ name: 'app', imageID: 'docker-pullable://registry.example.com/nginx@sha256:def' }],
        ephemeralContainerStatuses: [{ name: 'debug', imageID: 'registry.example.com/alpine@sha256:ghi' }],
      },
    };
    assert.deepEqual(
      podImages(pod).map((u) => [u.container, u.imageID]),
      [
        ['init', 'registry.example.com/busybox@sha256:abc'],
        ['app', 'registry.example.com/nginx@sha256:def'],
        ['debug', 'registry.example.com/alpine@sha256:ghi'],
      ],
    );
  });

  // k8s-copycat TestForceReconcilePodsUsesPodImageStatusAndNodePlatform, image half (§6.5).
  it('strips a containerd:// prefix', () => {
    const pod: PodLike = {
      spec: { containers: [{ name: 'app', image: 'docker.io/library/nginx:latest' }] },
      status: { containerStatuses: [{ name: 'app', imageID: 'containerd://docker.io/library/nginx@sha256:deadbeef' }] },
    };
    assert.deepEqual(extractImages(pod), [{ image: 'docker.io/library/nginx:latest', container: 'app', kind: 'container', imageID: 'docker.io/library/nginx@sha256:deadbeef' }]);
  });

  it('leaves imageID out when the status has none, is empty, or names another container', () => {
    const pod: PodLike = {
      kind: 'Pod',
      spec: { containers: [{ name: 'a', image: 'x:1' }, { name: 'b', image: 'y:1' }, { name: 'c', image: 'z:1' }] },
      status: { containerStatuses: [{ name: 'a', imageID: '' }, { name: 'other', imageID: DIGEST }, { name: 'b' }] },
    };
    for (const use of podImages(pod)) assert.equal('imageID' in use, false, use.container);
  });

  it('matches statuses within their own list (an init status never annotates a regular container)', () => {
    const pod: PodLike = {
      kind: 'Pod',
      spec: { containers: [{ name: 'app', image: 'x:1' }] },
      status: { initContainerStatuses: [{ name: 'app', imageID: DIGEST }] },
    };
    assert.equal(podImages(pod)[0]?.imageID, undefined);
  });
});

describe('normalizeImageID', () => {
  // k8s-copycat TestNormalizeImageIDHandlesPrefixes (§6.9).
  it('strips any scheme up to the first ://, trimming before and after', () => {
    assert.equal(normalizeImageID('docker://registry.example.com/busybox@sha256:abc'), 'registry.example.com/busybox@sha256:abc');
    assert.equal(normalizeImageID('docker-pullable://registry.example.com/nginx@sha256:def'), 'registry.example.com/nginx@sha256:def');
    assert.equal(normalizeImageID('  docker-pullable://registry.example.com/nginx@sha256:def  '), 'registry.example.com/nginx@sha256:def');
    assert.equal(normalizeImageID('containerd://sha256:abcdef'), 'sha256:abcdef');
    assert.equal(normalizeImageID('cri-o:// quay.io/x@sha256:1 '), 'quay.io/x@sha256:1');
    assert.equal(normalizeImageID('registry.example.com/alpine@sha256:ghi'), 'registry.example.com/alpine@sha256:ghi');
  });

  it('keeps empty input empty', () => {
    assert.equal(normalizeImageID(''), '');
    assert.equal(normalizeImageID('   '), '');
    assert.equal(normalizeImageID(undefined), '');
  });
});

describe('parseImageID', () => {
  it('splits repository and digest, or returns a bare digest', () => {
    assert.deepEqual(parseImageID(`docker-pullable://registry.example.com:5000/team/app@${DIGEST}`), { repository: 'registry.example.com:5000/team/app', digest: DIGEST });
    assert.deepEqual(parseImageID(`containerd://${DIGEST}`), { digest: DIGEST });
  });

  it('refuses what holds no valid digest (§2.4: treated as no digest known)', () => {
    for (const bad of ['registry.example.com/nginx@sha256:def', 'sha256:abc', '', 'nginx:latest', `@${DIGEST}`, `x@sha256:${'A'.repeat(64)}`]) {
      assert.equal(parseImageID(bad), undefined, bad);
    }
  });
});

describe('podTemplateOf and extractImages for workloads', () => {
  const template = { spec: { initContainers: [{ name: 'i', image: 'init:1' }], containers: [{ name: 'c', image: 'app:1' }] } };
  const expected = [
    { image: 'init:1', container: 'i', kind: 'init' },
    { image: 'app:1', container: 'c', kind: 'container' },
  ];

  for (const kind of ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']) {
    it(`reads spec.template of a ${kind}`, () => {
      const obj: WorkloadLike = { kind, spec: { template } };
      assert.equal(podTemplateOf(kind, obj), template);
      assert.deepEqual(extractImages(obj), expected);
    });
  }

  it('reads spec.jobTemplate.spec.template of a CronJob, never spec.template', () => {
    const obj: WorkloadLike = { kind: 'CronJob', spec: { jobTemplate: { spec: { template } }, template: { spec: { containers: [{ name: 'x', image: 'wrong:1' }] } } } };
    assert.deepEqual(extractImages(obj), expected);
  });

  it('recognises list items without a kind by their shape', () => {
    assert.deepEqual(extractImages({ spec: { template } } as WorkloadLike), expected);
    assert.deepEqual(extractImages({ spec: { jobTemplate: { spec: { template } } } } as WorkloadLike), expected);
    assert.deepEqual(extractImages({ spec: { containers: [{ name: 'c', image: 'p:1' }] } } as PodLike), [{ image: 'p:1', container: 'c', kind: 'container' }]);
  });

  it('takes an explicit kind over the object’s', () => {
    const obj: WorkloadLike = { spec: { template } };
    assert.deepEqual(extractImages(obj, 'Deployment'), expected);
  });

  it('returns nothing for a workload without a template', () => {
    assert.deepEqual(extractImages({ kind: 'Deployment', spec: {} }), []);
    assert.equal(podTemplateOf('CronJob', { kind: 'CronJob' }), undefined);
  });
});
