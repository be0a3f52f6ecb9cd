import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NodePlatforms, nodePlatform } from './nodes.ts';
import type { NodeLike } from './types.ts';

const worker: NodeLike = { kind: 'Node', metadata: { name: 'worker-1' }, status: { nodeInfo: { architecture: 'amd64', operatingSystem: 'linux' } } };

describe('nodePlatform', () => {
  it('reads status.nodeInfo, trimmed', () => {
    assert.deepEqual(nodePlatform({ status: { nodeInfo: { architecture: ' arm64 ', operatingSystem: ' linux ' } } }), { os: 'linux', architecture: 'arm64' });
  });

  it('falls back to the kubernetes.io labels, then the beta labels', () => {
    assert.deepEqual(nodePlatform({ metadata: { labels: { 'kubernetes.io/os': 'windows', 'beta.kubernetes.io/arch': 'amd64' } } }), { os: 'windows', architecture: 'amd64' });
  });

  it('is undefined when the node names no platform', () => {
    assert.equal(nodePlatform({ metadata: { name: 'x' } }), undefined);
  });
});

describe('NodePlatforms', () => {
  const looked: string[] = [];
  const lookup = async (name: string): Promise<NodeLike | undefined> => {
    looked.push(name);
    return name === 'worker-1' ? worker : undefined;
  };

  // k8s-copycat TestPodReconcilerNodePlatformToggle (§6.5).
  it('answers nothing when checkNodePlatform is off, and the node platform when on', async () => {
    const pod = { spec: { nodeName: 'worker-1' } };
    looked.length = 0;
    assert.equal(await new NodePlatforms({ lookup, enabled: false }).forPod(pod), undefined);
    assert.deepEqual(looked, []);
    assert.deepEqual(await new NodePlatforms({ lookup, enabled: true }).forPod(pod), { os: 'linux', architecture: 'amd64' });
  });

  it('answers nothing for an unscheduled pod or a node that does not exist', async () => {
    const platforms = new NodePlatforms({ lookup });
    looked.length = 0;
    assert.equal(await platforms.forPod({ spec: {} }), undefined);
    assert.equal(await platforms.forNode('  '), undefined);
    assert.deepEqual(looked, []);
    assert.equal(await platforms.forNode('gone'), undefined);
  });
});
