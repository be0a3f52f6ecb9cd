import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compilePathMap } from './path-map.ts';

describe('compilePathMap (inventory §3.10)', () => {
  it('keeps plain and regex rules in order, untrimmed', () => {
    const warnings: string[] = [];
    const rules = compilePathMap(
      [
        { key: 'pathMap[0]', from: 'old/', to: 'new/' },
        { key: 'pathMap[1]', from: '^legacy/(.*)', to: 'modern/$1', regex: true },
        { key: 'pathMap[2]', from: ' spaced ', to: 'x' },
      ],
      warnings,
    );
    assert.deepEqual(warnings, []);
    assert.equal(rules.length, 3);
    assert.deepEqual(rules[0], { regex: false, from: 'old/', to: 'new/' });
    const second = rules[1];
    assert.ok(second?.regex === true);
    // Upstream path_test example: legacy/service → modern/service.
    assert.equal('legacy/service'.replace(new RegExp(second.pattern.source, `${second.pattern.flags}g`), '$1'), 'service');
    assert.equal(rules[2]?.from, ' spaced ');
  });

  it('drops an invalid regex rule with a warning (upstream dropped it silently)', () => {
    const warnings: string[] = [];
    const rules = compilePathMap([{ key: 'pathMap[0]', from: '(', to: 'x', regex: true }, { key: 'pathMap[1]', from: 'a/', to: 'b/' }], warnings);
    assert.deepEqual(rules, [{ regex: false, from: 'a/', to: 'b/' }]);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /^pathMap\[0\]\.from "\(" is not a valid regular expression/);
  });

  it('warns that an empty plain from matches everything', () => {
    const warnings: string[] = [];
    compilePathMap([{ key: 'pathMap[0]', to: 'x' }], warnings);
    assert.match(warnings[0] ?? '', /matches every repository/);
  });
});
