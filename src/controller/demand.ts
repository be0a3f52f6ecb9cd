/**
 * The demand index: which objects use which images. Each observed object (a Pod or a workload) contributes
 * its image uses, each resolved to a job key; many objects share a key (200 pods of a Deployment → one job).
 * Upserting an object replaces its uses, so the index always says who needs a job right now.
 */

/** One container of one object that needs a job. */
export interface UserRef {
  /** `Pod`, `Deployment`, … */
  kind: string;
  namespace: string;
  name: string;
  container: string;
}

/** An object's use of a job. */
export interface DemandEntry {
  jobKey: string;
  user: UserRef;
}

/** What an upsert or forget changed. */
export interface DemandChange {
  /** Job keys this object uses now and did not use before. */
  added: string[];
  /** Job keys nobody uses any more. */
  orphaned: string[];
}

/** See the file comment. */
export class DemandIndex {
  /** object key → its entries. */
  readonly #byObject = new Map<string, DemandEntry[]>();
  /** job key → object key → the containers of that object using it. */
  readonly #byJob = new Map<string, Map<string, UserRef[]>>();

  /** Replaces the uses of `objectKey`. */
  upsert(objectKey: string, entries: readonly DemandEntry[]): DemandChange {
    const before = new Set(this.jobsOf(objectKey));
    const orphaned = this.#remove(objectKey);
    this.#byObject.set(objectKey, [...entries]);
    const added = new Set<string>();
    for (const e of entries) {
      let users = this.#byJob.get(e.jobKey);
      if (users === undefined) {
        users = new Map();
        this.#byJob.set(e.jobKey, users);
      }
      const list = users.get(objectKey) ?? [];
      list.push(e.user);
      users.set(objectKey, list);
      if (!before.has(e.jobKey)) added.add(e.jobKey);
    }
    return { added: [...added], orphaned: orphaned.filter((k) => !this.#byJob.has(k)) };
  }

  /** Removes an object; returns the job keys nobody uses any more. */
  forget(objectKey: string): DemandChange {
    const orphaned = this.#remove(objectKey);
    this.#byObject.delete(objectKey);
    return { added: [], orphaned };
  }

  /** The job keys an object uses, each once, in first-use order. */
  jobsOf(objectKey: string): string[] {
    return [...new Set((this.#byObject.get(objectKey) ?? []).map((e) => e.jobKey))];
  }

  /** Everyone using a job. */
  users(jobKey: string): UserRef[] {
    return [...(this.#byJob.get(jobKey)?.values() ?? [])].flat();
  }

  /** How many containers use a job. */
  userCount(jobKey: string): number {
    let n = 0;
    for (const list of this.#byJob.get(jobKey)?.values() ?? []) n += list.length;
    return n;
  }

  /** True when some object uses the job. */
  used(jobKey: string): boolean {
    return this.#byJob.has(jobKey);
  }

  /** Every object key known. */
  objects(): string[] {
    return [...this.#byObject.keys()];
  }

  /** Every job key in use. */
  jobs(): string[] {
    return [...this.#byJob.keys()];
  }

  /** Removes an object's entries from the job side; returns the keys left without users. */
  #remove(objectKey: string): string[] {
    const orphaned: string[] = [];
    for (const jobKey of this.jobsOf(objectKey)) {
      const users = this.#byJob.get(jobKey);
      if (users === undefined) continue;
      users.delete(objectKey);
      if (users.size === 0) {
        this.#byJob.delete(jobKey);
        orphaned.push(jobKey);
      }
    }
    return orphaned;
  }
}
