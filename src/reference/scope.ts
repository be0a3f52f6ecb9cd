import { ReferenceError, quote } from './errors.ts';
import { isValidPath } from './grammar.ts';

// Actions of the token scope grammar (distribution docs/spec/auth/scope.md): "pull", "push",
// "delete", or "*" for all.
const ACTION = /^(?:[a-z]+|\*)$/;

/**
 * The bearer-token scope for a repository, `repository:<path>:<action>[,<action>…]`, e.g.
 * `repository:library/nginx:pull,push`. Repeated actions are dropped so equal scopes compare equal.
 */
export function repositoryScope(repository: string, actions: readonly string[]): string {
  if (!isValidPath(repository)) {
    throw new ReferenceError('REFERENCE_INVALID', `invalid repository ${quote(repository)} for a token scope`);
  }
  if (actions.length === 0) {
    throw new ReferenceError('REFERENCE_INVALID', `no actions given for the token scope of ${quote(repository)}`);
  }
  for (const action of actions) {
    if (!ACTION.test(action)) {
      throw new ReferenceError(
        'REFERENCE_INVALID',
        `invalid action ${quote(action)} in the token scope of ${quote(repository)}`,
      );
    }
  }
  return `repository:${repository}:${[...new Set(actions)].join(',')}`;
}
