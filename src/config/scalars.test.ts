import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDurationSetting, parseFileBool, parseGoBool, parseGoDuration, parseGoInt } from './scalars.ts';

describe('parseGoBool (strconv.ParseBool)', () => {
  it('accepts exactly the Go spellings', () => {
    for (const t of ['1', 't', 'T', 'TRUE', 'true', 'True']) assert.equal(parseGoBool(t), true, t);
    for (const f of ['0', 'f', 'F', 'FALSE', 'false', 'False']) assert.equal(parseGoBool(f), false, f);
  });

  it('refuses YAML words, odd case and blanks', () => {
    for (const bad of ['yes', 'no', 'on', 'off', 'tRUE', ' true', '', '2']) assert.equal(parseGoBool(bad), undefined, bad);
  });
});

describe('parseFileBool (YAML 1.1 + ParseBool)', () => {
  it('accepts the YAML 1.1 words upstream decoded as booleans, any case', () => {
    for (const t of ['yes', 'Yes', 'on', 'ON', 'y', 'true', 'True', '1', 't']) assert.equal(parseFileBool(t), true, t);
    for (const f of ['no', 'NO', 'off', 'n', 'false', '0', 'f']) assert.equal(parseFileBool(f), false, f);
  });

  it('refuses anything else', () => {
    for (const bad of ['maybe', '2', 'enabled', '']) assert.equal(parseFileBool(bad), undefined, bad);
  });
});

describe('parseGoInt (strconv.Atoi)', () => {
  it('reads an optional sign and decimal digits', () => {
    assert.equal(parseGoInt('300'), 300);
    assert.equal(parseGoInt('-5'), -5);
    assert.equal(parseGoInt('+7'), 7);
    assert.equal(parseGoInt('007'), 7);
  });

  it('refuses blanks, units, fractions, hex and out-of-range values', () => {
    for (const bad of ['', ' 1', '2m', '1.5', '0x10', '1_000', '99999999999999999999']) assert.equal(parseGoInt(bad), undefined, bad);
  });
});

describe('parseGoDuration (time.ParseDuration)', () => {
  it('reads Go durations in milliseconds', () => {
    assert.equal(parseGoDuration('90s'), 90_000);
    assert.equal(parseGoDuration('1h30m'), 5_400_000);
    assert.equal(parseGoDuration('1.5h'), 5_400_000);
    assert.equal(parseGoDuration('250ms'), 250);
    assert.equal(parseGoDuration('-2m'), -120_000);
    assert.equal(parseGoDuration('0'), 0);
    assert.equal(parseGoDuration('1500us'), 2); // rounded up to a whole millisecond
    assert.equal(parseGoDuration('1µs'), 1);
  });

  it('refuses text without units and unknown units', () => {
    for (const bad of ['', '5', '5 m', '5d', 'm', '.s', '1h-5m']) assert.equal(parseGoDuration(bad), undefined, bad);
  });
});

describe('parseDurationSetting', () => {
  it('reads whole numbers in the setting unit, and Go durations', () => {
    assert.equal(parseDurationSetting('300', 1_000), 300_000);
    assert.equal(parseDurationSetting('60', 60_000), 3_600_000);
    assert.equal(parseDurationSetting('5m', 1_000), 300_000);
    assert.equal(parseDurationSetting('-1', 60_000), -60_000);
    assert.equal(parseDurationSetting('2 minutes', 1_000), undefined);
  });
});
