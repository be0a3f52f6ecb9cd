/**
 * The `/status` document as the page reads it. The server may not import the controller (layer rule), so these
 * types restate the fields of `ControllerStatus` / `ReplicaStatus` the page shows; `test/status-page.test.ts`
 * assigns a real `ReplicaStatus` to {@link StatusView} so a renamed field breaks the type check, not the page.
 * Every field the page does not need to draw a row is optional: the page also has to survive an older replica.
 */

/** One platform manifest of a mirrored index. */
export interface PlatformView {
  platform: string;
  digest: string;
}

/** An object using an image (`Deployment shop/api`, container `app`). */
export interface UserView {
  kind: string;
  namespace: string;
  name: string;
  container?: string | undefined;
}

/** One image row. */
export interface ImageView {
  key: string;
  source: string;
  pull?: string | undefined;
  target?: string | undefined;
  state: string;
  running: boolean;
  digest?: string | undefined;
  mediaType?: string | undefined;
  platforms: PlatformView[];
  tagged: boolean;
  reason?: string | undefined;
  lastError?: string | undefined;
  errorCode?: string | undefined;
  /** ISO time. */
  nextRetry?: string | undefined;
  /** ISO time. */
  lastMirrored?: string | undefined;
  lastResult?: string | undefined;
  lastBytes?: number | undefined;
  pullSecrets?: string[] | undefined;
  users: UserView[];
  userCount: number;
}

/** Who leads, when the document comes from `copycat controller` (`ReplicaStatus.replica`). */
export interface ReplicaView {
  enabled?: boolean | undefined;
  identity?: string | undefined;
  leader?: boolean | undefined;
  holder?: string | undefined;
  lease?: string | undefined;
  mirroring?: boolean | undefined;
  synced?: boolean | undefined;
}

/** A source registry copycat leaves alone for now. */
export interface ThrottleView {
  registry: string;
  /** ISO time. */
  until: string;
  reason: string;
}

/** The whole document. */
export interface StatusView {
  /** ISO time on the server's clock; relative times are computed against it (the browser's clock may be off). */
  generatedAt?: string | undefined;
  dryRun: boolean;
  dryPull: boolean;
  queue: { depth: number; active: number; delayed: number };
  counts: Record<string, number>;
  throttledRegistries: ThrottleView[];
  images: ImageView[];
  replica?: ReplicaView | undefined;
}

/** What the filter box and the state buttons select; kept in the URL hash (`#q=nginx&state=failed,cooldown`). */
export interface FilterState {
  /** Free text; every whitespace-separated word must occur in the row. */
  text: string;
  /** States shown; empty shows all. */
  states: string[];
}

/** Settings the server writes into the page's script. */
export interface PageConfig {
  /** Milliseconds between two reads of `status`. */
  refreshMs: number;
  /** The states in display order (the controller's `JOB_STATES`); states the document adds are appended. */
  states: string[];
}
