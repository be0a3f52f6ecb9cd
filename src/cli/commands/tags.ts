import { groupTags } from '../../inspect/index.ts';
import { parseRepository } from '../../reference/index.ts';
import { makeClients, type ConnectionFlags } from '../clients.ts';
import { ExitCode } from '../exit-codes.ts';
import { shortDigest, table } from '../format.ts';

/** Flags of `copycat tags`. */
export interface TagsFlags extends ConnectionFlags {
  json?: boolean;
}

/** `copycat tags REPO`: tags grouped by the digest they point to; returns the exit code. */
export async function runTags(repoArg: string, flags: TagsFlags, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const repo = parseRepository(repoArg);
  const clients = makeClients(flags, repo.registry);
  try {
    const groups = await groupTags(clients.source, repo);
    if (flags.json) out.write(`${JSON.stringify(groups, null, 2)}\n`);
    else out.write(`${table(['DIGEST', 'TAGS', 'PLATFORMS'], groups.map((g) => [shortDigest(g.digest), g.tags.join(', '), g.platforms.join(', ') || '-']))}\n`);
    return ExitCode.ok;
  } finally {
    await clients.close();
  }
}
