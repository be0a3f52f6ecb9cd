/**
 * Entry point of the controller process the benchmark starts (see controller-process.ts). Like bin/copycat it
 * turns on Node's on-disk compile cache before loading anything, so start-up is measured as a user sees it
 * from the second start on; the work is in controller-process.ts, imported only afterwards.
 */
import module from 'node:module';

module.enableCompileCache?.();
await import('./controller-process.ts');
