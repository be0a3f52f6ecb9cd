import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { suggest } from './suggest.ts';

describe('suggest', () => {
  const candidates = [
    ['includeNamespaces', 'includeNamespaces'],
    ['accountID', 'ecr.accountID'],
  ] as const;

  it('finds close keys ignoring case, dashes and underscores', () => {
    assert.equal(suggest('include_namespaces', candidates), 'includeNamespaces');
    assert.equal(suggest('includeNamespace', candidates), 'includeNamespaces');
    assert.equal(suggest('acountId', candidates), 'ecr.accountID');
  });

  it('suggests nothing for unrelated keys', () => {
    assert.equal(suggest('frobnicate', candidates), undefined);
    assert.equal(suggest('ab', candidates), undefined);
  });
});
