/**
 * The `/status` document of a replica: the controller's own status (images, states, users, queue) when this
 * replica leads, an empty one otherwise, plus who leads and whether the watches are synced, so a follower
 * answers "I am not the one mirroring" instead of an empty list that looks like a broken mirror.
 */
import { countStates, type Controller, type ControllerStatus } from '../../controller/index.ts';
import type { LeadershipInfo } from './leader.ts';

/** What `GET /status` serialises. */
export interface ReplicaStatus extends ControllerStatus {
  replica: LeadershipInfo & {
    /** A controller runs here (it leads and its controller started). */
    mirroring: boolean;
    /** The initial lists of every watch completed. */
    synced: boolean;
  };
}

/** The status of a replica without a running controller: nothing queued, no images. */
export function idleStatus(flags: { dryRun: boolean; dryPull: boolean }, now: number = Date.now()): ControllerStatus {
  return {
    generatedAt: new Date(now).toISOString(),
    dryRun: flags.dryRun,
    dryPull: flags.dryPull,
    queue: { depth: 0, active: 0, delayed: 0 },
    counts: countStates([]),
    throttledRegistries: [],
    images: [],
  };
}

/** The document for one replica (see the file comment). */
export function replicaStatus(controller: Controller | undefined, leadership: LeadershipInfo, synced: boolean, flags: { dryRun: boolean; dryPull: boolean }): ReplicaStatus {
  const status = controller?.status() ?? idleStatus(flags);
  return { ...status, replica: { ...leadership, mirroring: controller !== undefined, synced } };
}
