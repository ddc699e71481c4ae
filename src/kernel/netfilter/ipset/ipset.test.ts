import { describe, expect, it } from 'vitest';
import { ip } from '../../../addr/index.js';
import { ipsetContains, ipsetLookup, parseIpsetSave, printIpsetSave } from './index.js';

// Real `ipset save` output (ipset v7.17), including the kernel-chosen initval and bucketsize.
const SAVE = `create myset hash:ip family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0x7923a56c
add myset 1.2.3.4
create myset2 hash:ip,port family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0xdcefbf0f
add myset2 1.2.3.5,udp:53
add myset2 1.2.3.4,tcp:80
create nets hash:net family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0x7fa24fac
add nets 10.0.0.0/8
add nets 10.1.0.0/16 nomatch
create t6 hash:ip family inet6 hashsize 1024 maxelem 65536 timeout 300 comment bucketsize 12 initval 0x6a4fe947
add t6 fd00::1 timeout 99 comment "hello x"
create ipn hash:ip,port,net family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0xebca32ee
add ipn 1.1.1.1,tcp:80,10.0.0.0/8
create bp bitmap:port range 0-65535
add bp 80
`;

describe('parseIpsetSave', () => {
  const { value: sets, diagnostics } = parseIpsetSave(SAVE, { file: 'sets' });
  const byName = new Map(sets.map((s) => [s.name, s]));

  it('reads every set without diagnostics', () => {
    expect(diagnostics).toEqual([]);
    expect(sets.map((s) => `${s.name} ${s.type} ${s.family}`)).toEqual([
      'myset hash:ip 4', 'myset2 hash:ip,port 4', 'nets hash:net 4', 't6 hash:ip 6', 'ipn hash:ip,port,net 4', 'bp bitmap:port 4',
    ]);
  });

  it('keeps members in save form, with their flags', () => {
    expect(byName.get('nets')?.members).toEqual(['10.0.0.0/8', '10.1.0.0/16 nomatch']);
    expect(byName.get('t6')?.members).toEqual(['fd00::1 timeout 99 comment "hello x"']);
    expect(byName.get('t6')?.options).toEqual(['hashsize', '1024', 'maxelem', '65536', 'timeout', '300', 'comment']);
  });

  it('canonicalises and expands elements as the kernel stores them', () => {
    const text = 'create a hash:ip\nadd a 10.0.0.0/30\nadd a 10.1.0.1-10.1.0.2\ncreate p hash:ip,port\nadd p 1.2.3.4,80\nadd p 1.2.3.4,udp:53-54\ncreate n hash:net\nadd n 10.0.0.1/32\nadd n 10.0.0.9/24\n';
    const r = parseIpsetSave(text, { file: 'x' });
    expect(r.diagnostics).toEqual([]);
    expect(r.value.map((s) => s.members)).toEqual([
      ['10.0.0.0', '10.0.0.1', '10.0.0.2', '10.0.0.3', '10.1.0.1', '10.1.0.2'],
      ['1.2.3.4,tcp:80', '1.2.3.4,udp:53', '1.2.3.4,udp:54'],
      ['10.0.0.1', '10.0.0.0/24'],
    ]);
  });

  it('prints back deterministically (no initval) and re-parses to the same sets', () => {
    const printed = printIpsetSave(sets);
    expect(printed).not.toContain('initval');
    expect(printed.split('\n')[0]).toBe('create myset hash:ip family inet hashsize 1024 maxelem 65536');
    expect(parseIpsetSave(printed, { file: 'again' }).value).toEqual(sets);
  });

  it.each([
    ['add nope 1.2.3.4', 'IPSET_UNKNOWN_SET', 1],
    ['create s hash:mac', 'IPSET_UNKNOWN_TYPE', 1],
    ['create s hash:ip\nadd s 1.2.3.4/33', 'IPSET_BAD_ELEMENT', 2],
    ['create s hash:ip\nadd s fd00::1', 'IPSET_BAD_ELEMENT', 2],
    ['create s hash:ip,port\nadd s 1.2.3.4', 'IPSET_BAD_ELEMENT', 2],
    ['create s hash:ip\ncreate s hash:ip', 'IPSET_DUPLICATE_SET', 2],
    ['flush s', 'IPSET_BAD_LINE', 1],
    ['create', 'IPSET_BAD_LINE', 1],
  ])('%j reports %s on line %d', (text, code, line) => {
    const r = parseIpsetSave(text, { file: 'f' });
    expect(r.diagnostics.map((d) => [d.code, d.pos?.line])).toEqual([[code, line]]);
    expect(r.diagnostics[0]?.message.length).toBeGreaterThan(10);
  });
});

describe('ipsetContains', () => {
  const sets = new Map(parseIpsetSave(SAVE, { file: 's' }).value.map((s) => [s.name, s]));
  const set = (n: string) => sets.get(n) ?? expect.unreachable(`no set ${n}`);
  const pkt = { src: ip('10.0.0.5'), dst: ip('1.2.3.4'), proto: 6, sport: 40000, dport: 80 };

  it('hash:ip on src or dst', () => {
    expect(ipsetContains(set('myset'), pkt, ['dst'])).toBe(true);
    expect(ipsetContains(set('myset'), pkt, ['src'])).toBe(false);
  });

  it('hash:ip,port needs the protocol and port of the chosen side', () => {
    expect(ipsetContains(set('myset2'), pkt, ['dst', 'dst'])).toBe(true);
    expect(ipsetContains(set('myset2'), { ...pkt, proto: 17 }, ['dst', 'dst'])).toBe(false);
    expect(ipsetContains(set('myset2'), pkt, ['dst', 'src'])).toBe(false);
  });

  it('hash:net nomatch exceptions win when more specific', () => {
    expect(ipsetLookup(set('nets'), { ...pkt, src: ip('10.2.0.1') }, ['src'])).toBe('hit');
    expect(ipsetLookup(set('nets'), { ...pkt, src: ip('10.1.2.3') }, ['src'])).toBe('nomatch');
    expect(ipsetLookup(set('nets'), { ...pkt, src: ip('11.0.0.1') }, ['src'])).toBe('miss');
  });

  it('three dimensions, bitmap:port and family mismatch', () => {
    expect(ipsetContains(set('ipn'), { src: ip('10.9.9.9'), dst: ip('1.1.1.1'), proto: 6, dport: 80 }, ['dst', 'dst', 'src'])).toBe(true);
    expect(ipsetContains(set('bp'), pkt, ['dst'])).toBe(true);
    expect(ipsetContains(set('t6'), pkt, ['dst'])).toBe(false);
    expect(ipsetContains(set('t6'), { src: ip('fd00::1'), dst: ip('fd00::2') }, ['src'])).toBe(true);
  });
});

describe('list:set', () => {
  const text = 'create a hash:net family inet\nadd a 10.0.0.0/8\nadd a 10.1.0.0/16 nomatch\ncreate b hash:ip,port family inet\nadd b 10.1.2.3,tcp:80\ncreate l list:set size 8\nadd l a\nadd l b\n';
  const { value: sets, diagnostics } = parseIpsetSave(text, { file: 's' });
  const byName = new Map(sets.map((s) => [s.name, s]));
  const l = byName.get('l');
  const pkt = (dst: string, dport = 80) => ({ src: ip('192.0.2.1'), dst: ip(dst), proto: 6, sport: 40000, dport });

  it('parses and prints as ipset save does (no family)', () => {
    expect(diagnostics).toEqual([]);
    expect(printIpsetSave(sets)).toContain('create l list:set size 8\nadd l a\nadd l b\n');
  });

  it('asks each member in order; a nomatch member passes to the next', () => {
    if (l === undefined) throw new Error('no list');
    const member = (n: string) => byName.get(n);
    expect(ipsetLookup(l, pkt('10.5.0.1'), ['dst'], member)).toBe('hit');
    expect(ipsetLookup(l, pkt('10.1.2.3'), ['dst', 'dst'], member)).toBe('hit'); // a says nomatch, b hits
    expect(ipsetLookup(l, pkt('10.1.2.4'), ['dst', 'dst'], member)).toBe('nomatch');
    expect(ipsetLookup(l, pkt('192.0.2.9'), ['dst'], member)).toBe('miss');
  });

  it('refuses a member that does not exist and a list inside a list', () => {
    const bad = parseIpsetSave('create l list:set\nadd l nope\ncreate m list:set\nadd m l\n', { file: 's' });
    expect(bad.diagnostics.map((d) => d.code)).toEqual(['IPSET_UNKNOWN_SET', 'IPSET_BAD_ELEMENT']);
  });
});
