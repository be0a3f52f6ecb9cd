import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger, named, pinoLevel, setLevel } from './logger.ts';

function capture(): { write(line: string): void; records(): Array<Record<string, unknown>> } {
  const lines: string[] = [];
  return { write: (l) => void lines.push(l), records: () => lines.join('').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('createLogger', () => {
  it("writes zap-shaped JSON lines: level name, ts, msg, logger; no pid or hostname", () => {
    const out = capture();
    const log = named(createLogger({ destination: out }), 'setup');
    log.info({ namespaces: ['a'] }, 'listing resources in configured namespaces');
    const [line] = out.records();
    assert.deepEqual(Object.keys(line ?? {}).sort(), ['level', 'logger', 'msg', 'namespaces', 'ts']);
    assert.equal(line?.['level'], 'info');
    assert.equal(line?.['logger'], 'setup');
    assert.ok(!Number.isNaN(Date.parse(String(line?.['ts']))));
  });

  it('honours logLevel (debug is upstream V(1); dpanic, panic and fatal keep only the most severe lines)', () => {
    const out = capture();
    const log = createLogger({ destination: out });
    log.debug({}, 'hidden');
    setLevel(log, 'debug');
    log.debug({}, 'shown');
    assert.deepEqual(out.records().map((r) => r['msg']), ['shown']);
    assert.equal(pinoLevel('dpanic'), 'fatal');
    assert.equal(pinoLevel('warn'), 'warn');
  });

  it('redacts secret-named fields whoever logs them', () => {
    const out = capture();
    createLogger({ destination: out }).error({ password: 'hunter2', auth: { token: 'abc123' }, user: 'me' }, 'oops');
    const text = JSON.stringify(out.records());
    assert.ok(!text.includes('hunter2') && !text.includes('abc123'), text);
    assert.match(text, /"user":"me"/);
  });
});
