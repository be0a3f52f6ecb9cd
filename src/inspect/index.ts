export { describeImage, configPlatform } from './describe.ts';
export type { ImageDescription, PlatformEntry, AttestationEntry } from './describe.ts';
export { groupTags } from './tags.ts';
export type { TagGroup } from './tags.ts';
