import { describe, expect, it } from 'vitest';
import { ifNameProblem } from './arg-checks.js';
import { parsePort, parseSeed, single } from './iptables-args.js';

describe('ifNameProblem (dev_valid_name)', () => {
  it.each(['eth0', 'abcdefghijklmno', 'cali+x', 'ééééééé', 'a.b', 'veth-1_2'])('accepts %j', (name) => {
    expect(ifNameProblem(name)).toBeUndefined();
  });
  it.each(['', 'abcdefghijklmnop', 'éééééééé', '.', '..', 'a/b', 'a:b', 'a b', 'a\tb', 'a\nb'])('refuses %j', (name) => {
    expect(ifNameProblem(name)).toBeDefined();
  });
});

describe('parsePort, parseSeed, single', () => {
  it.each([['0', 0], ['80', 80], ['65535', 65535], ['00080', 80], ['65536', undefined], ['-1', undefined], ['1e3', undefined], ['0x50', undefined], ['', undefined], [' 80', undefined], ['123456', undefined]])('parsePort(%j) = %j', (text, want) => {
    expect(parsePort(text)).toBe(want);
  });
  it.each([['1', 1], ['-7', -7], ['abc', undefined], ['1.5', undefined], ['9999999999999999', undefined]])('parseSeed(%j) = %j', (text, want) => {
    expect(parseSeed(text)).toBe(want);
  });
  it('names an option given twice', () => {
    expect(single('--in', 'eth0')).toBe('eth0');
    expect(single('--in', ['a', 'b'])).toEqual({ usage: '--in is given 2 times (a, b); give it once' });
  });
});
