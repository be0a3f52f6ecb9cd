import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasCode } from '../internal/errors.ts';
import { parseListenAddress, resolveListenAddresses, urlFor } from './address.ts';

describe('parseListenAddress', () => {
  const ok: Array<[string | number, { host: string | undefined; port: number } | undefined]> = [
    [':8080', { host: undefined, port: 8080 }],
    ['0.0.0.0:8080', { host: '0.0.0.0', port: 8080 }],
    ['127.0.0.1:0', { host: '127.0.0.1', port: 0 }],
    ['[::1]:8080', { host: '::1', port: 8080 }],
    ['[::]:9090', { host: '::', port: 9090 }],
    ['[fe80::1%eth0]:80', { host: 'fe80::1%eth0', port: 80 }],
    ['localhost:8080', { host: 'localhost', port: 8080 }],
    ['metrics.svc.cluster.local:65535', { host: 'metrics.svc.cluster.local', port: 65535 }],
    ['  :8080  ', { host: undefined, port: 8080 }], // METRICS_ADDR is trimmed upstream (§1.3)
    ['127.0.0.1:', { host: '127.0.0.1', port: 0 }], // Go: an empty port means any free port
    [':0', { host: undefined, port: 0 }],
    ['0', undefined], // disabled, as --metrics-bind-address=0
    [' 0 ', undefined],
    [0, undefined],
    [9100, { host: undefined, port: 9100 }],
  ];
  for (const [input, want] of ok) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(want) ?? 'disabled'}`, () => assert.deepEqual(parseListenAddress(input), want));
  }

  const bad: Array<[string | number, RegExp]> = [
    ['8080', /did you mean ":8080"/],
    ['localhost', /missing ":port"/],
    [':99999', /above 65535/],
    [':-1', /not a number/],
    [':http', /not a number/],
    ['::1:8080', /needs brackets/],
    ['[::1]', /missing ":port" after "]"/],
    ['[::1:8080', /missing "]"/],
    ['[127.0.0.1]:80', /not an IPv6 address/],
    ['bad host:80', /not a host name/],
    ['http://0.0.0.0:8080', /needs brackets|not a host name/],
    ['', /empty/],
    [70000, /0 to 65535/],
    [1.5, /0 to 65535/],
  ];
  for (const [input, why] of bad) {
    it(`rejects ${JSON.stringify(input)}`, () => {
      assert.throws(
        () => parseListenAddress(input, 'metrics address'),
        (err: unknown) => {
          assert.ok(hasCode(err, 'LISTEN_ADDRESS_INVALID'), `code of ${String(err)}`);
          assert.ok(err.message.startsWith(`invalid metrics address ${JSON.stringify(input)}: `), err.message);
          assert.match(err.message, why);
          return true;
        },
      );
    });
  }
});

describe('resolveListenAddresses (upstream defaults)', () => {
  it('defaults to :8080 and :8081', () => {
    assert.deepEqual(resolveListenAddresses({}), { metrics: { host: undefined, port: 8080 }, probe: { host: undefined, port: 8081 } });
  });
  it('treats a blank metrics address as the default, like controller-runtime', () => {
    assert.deepEqual(resolveListenAddresses({ metricsAddr: '  ' }).metrics, { host: undefined, port: 8080 });
  });
  it('disables metrics with "0" or 0, and probes with "0" or ""', () => {
    assert.deepEqual(resolveListenAddresses({ metricsAddr: '0', probeAddr: '0' }), { metrics: undefined, probe: undefined });
    assert.deepEqual(resolveListenAddresses({ metricsAddr: 0, probeAddr: '' }), { metrics: undefined, probe: undefined });
  });
  it('names the offending option', () => {
    assert.throws(() => resolveListenAddresses({ probeAddr: '8081' }), /invalid health probe address "8081"/);
  });
});

describe('urlFor', () => {
  it('maps unspecified addresses to loopback and brackets IPv6', () => {
    assert.equal(urlFor('0.0.0.0', 1), 'http://127.0.0.1:1');
    assert.equal(urlFor('::', 2), 'http://[::1]:2');
    assert.equal(urlFor('::1', 3), 'http://[::1]:3');
    assert.equal(urlFor('10.0.0.5', 4), 'http://10.0.0.5:4');
  });
});
