export { DockerTarget } from './docker-target.ts';
export type { DockerTargetOptions } from './docker-target.ts';
