import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { memoryLogger, type Controller } from '../../controller/index.ts';
import type { KubeObject } from '../../kube/index.ts';
import { ControllerSlot } from './slot.ts';

/** A stand-in controller that records what the slot does with it. */
function fakeController(calls: string[], id: number): Controller {
  const name = (o: KubeObject) => o.metadata?.name ?? '?';
  return {
    observe: (o: KubeObject) => calls.push(`${id} observe ${name(o)}`),
    forget: (o: KubeObject) => calls.push(`${id} forget ${name(o)}`),
    start: () => calls.push(`${id} start`),
    stop: async () => {
      await new Promise((r) => setTimeout(r, 5));
      calls.push(`${id} stopped`);
    },
  } as unknown as Controller;
}

const pod = (name: string): KubeObject => ({ kind: 'Pod', metadata: { name, namespace: 'default' } });

describe('ControllerSlot', () => {
  it('drops events while inactive, replays the cache into each new term and routes events to it', async () => {
    const calls: string[] = [];
    let terms = 0;
    const cache = [pod('a')];
    const slot = new ControllerSlot({ build: () => fakeController(calls, ++terms), cached: () => cache, log: memoryLogger() });
    slot.onEvent({ resource: 'pods', type: 'add', object: pod('early') });
    assert.deepEqual(calls, [], 'a follower evaluates nothing');

    await slot.activate();
    slot.onEvent({ resource: 'pods', type: 'update', object: pod('b'), old: pod('b') });
    slot.onEvent({ resource: 'pods', type: 'delete', object: pod('a') });
    assert.deepEqual(calls, ['1 observe a', '1 start', '1 observe b', '1 forget a']);

    // Lost and regained at once: the second term starts only after the first stopped, from the cache.
    cache.push(pod('b'));
    const lost = slot.deactivate();
    const regained = slot.activate();
    slot.onEvent({ resource: 'pods', type: 'add', object: pod('between') });
    await Promise.all([lost, regained]);
    assert.deepEqual(calls.slice(4), ['1 stopped', '2 observe a', '2 observe b', '2 start']);
    assert.ok(slot.current !== undefined);
  });

  it('close() stops the controller and refuses later terms', async () => {
    const calls: string[] = [];
    const slot = new ControllerSlot({ build: () => fakeController(calls, 1), cached: () => [], log: memoryLogger() });
    await slot.activate();
    await slot.close();
    await slot.activate();
    assert.deepEqual(calls, ['1 start', '1 stopped']);
    assert.equal(slot.current, undefined);
  });
});
