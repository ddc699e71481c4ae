import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { cli } from '../helpers/cli.js';

const KUBE_3EP = 'test/fixtures/kernel-diff/kube-3ep.rules';
const podToService = ['iptables', 'trace', '--rules', KUBE_3EP, '--in', 'eth0', '--out', 'eth1', '--src', '10.180.5.5', '--dst', '172.30.0.41', '--dport', '80', '--local-addr', '192.168.0.2'];

describe('netsim iptables trace', () => {
  it('walks a pod → ClusterIP packet through kube-proxy chains to a DNAT', async () => {
    const r = await cli([...podToService, '-o', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.schema).toBe('netsim.iptables-trace/v1');
    expect(doc.verdict).toBe('ACCEPT');
    expect(doc.hooks).toEqual(['PREROUTING', 'FORWARD', 'POSTROUTING']);
    const chains = doc.steps.map((s: { chain: string }) => s.chain);
    expect(chains.slice(0, 3)).toEqual(['PREROUTING', 'KUBE-SERVICES', 'KUBE-SVC-XPGD46QRK7WJZT7O']);
    expect(doc.steps[1].rule).toBe(
      '-A KUBE-SERVICES -d 172.30.0.41/32 -p tcp -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O',
    );
    expect(doc.steps[1].verdict).toBe('JUMP:KUBE-SVC-XPGD46QRK7WJZT7O');
    expect(['10.180.0.1', '10.180.1.2', '10.180.2.3']).toContain(doc.packet.dst);
    expect(doc.packet.dport).toBe(80);
  });

  it('is deterministic for a seed and enumerates every backend with --all-paths', async () => {
    const a = await cli([...podToService, '-o', 'json', '--seed', '7']);
    const b = await cli([...podToService, '-o', 'json', '--seed', '7']);
    expect(a.stdout).toBe(b.stdout);
    const all = JSON.parse((await cli([...podToService, '-o', 'json', '--all-paths'])).stdout);
    expect(all.paths.map((p: { packet: { dst: string } }) => p.packet.dst)).toEqual(['10.180.0.1', '10.180.1.2', '10.180.2.3']);
    const total = all.paths.reduce((s: number, p: { probability: number }) => s + p.probability, 0);
    expect(total).toBeCloseTo(1, 9);
    for (const p of all.paths) expect(p.probability).toBeCloseTo(1 / 3, 6);
  });

  it('masquerades a node-sourced packet to a ClusterIP (! -s clusterCIDR)', async () => {
    const r = await cli(['iptables', 'trace', '--rules', KUBE_3EP, '--out', 'eth0', '--src', '192.168.0.2', '--dst', '172.30.0.41', '--dport', '80', '--local-addr', '192.168.0.2', '-o', 'json']);
    const doc = JSON.parse(r.stdout);
    expect(doc.hooks).toEqual(['OUTPUT', 'POSTROUTING']);
    expect(doc.steps.some((s: { verdict?: string }) => s.verdict === 'MASQUERADE')).toBe(true);
    expect(doc.packet.src).toBe('192.168.0.2');
  });

  it('prints readable text with the verdict last', async () => {
    const r = await cli(podToService);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^packet {2}tcp 10\.180\.5\.5:40000 → 172\.30\.0\.41:80/);
    expect(r.stdout).toContain('→ JUMP:KUBE-SERVICES');
    expect(r.stdout).toMatch(/verdict ACCEPT\npacket {2}tcp 10\.180\.5\.5:40000 → 10\.180\.\d\.\d:80\n$/);
    expect(r.stdout).not.toContain('\u001b[');
  });

  it('reports a malformed rules file as FILE:LINE: error[CODE] with exit code 1 and no stack', async () => {
    const rules = '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m frobnicate --x 1 -j ACCEPT\nCOMMIT\n';
    const r = await cli(['iptables', 'trace', '--rules', 'bad.rules', '--src', '10.0.0.1', '--dst', '10.0.0.2'], { 'bad.rules': rules });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^bad\.rules:3(:\d+)?: error\[IPT_UNKNOWN_MATCH\]: .*frobnicate/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });

  it('refuses a chain loop at load, at the rule that closes it, with exit 1 instead of an internal error', async () => {
    const rules = '*filter\n:INPUT ACCEPT [0:0]\n:A - [0:0]\n:B - [0:0]\n-A INPUT -j A\n-A A -j B\n-A B -p udp -j A\nCOMMIT\n';
    const r = await cli(['iptables', 'trace', '--rules', 'loop.rules', '--in', 'eth0', '--src', '10.0.0.1', '--dst', '10.0.0.2'], { 'loop.rules': rules });
    expect(r.stderr).toMatch(/^loop\.rules:7:13: error\[IPT_CHAIN_LOOP\]: -j A: chain loop in table filter, reached from INPUT: INPUT → A → B → A/);
    expect(r.stderr).toContain('-A B -p udp -j A');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
  });

  it('reports a missing file with exit code 1', async () => {
    const r = await cli(['iptables', 'trace', '--rules', '/nonexistent/rules', '--src', '10.0.0.1', '--dst', '10.0.0.2']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error[FILE_UNREADABLE]');
  });

  it.each([
    [['iptables', 'trace', '--src', '10.0.0.1', '--dst', '10.0.0.2'], /Missing required argument: rules/],
    [['iptables', 'trace', '--rules', KUBE_3EP, '--src', '10.0.0.300', '--dst', '10.0.0.2'], /--src: not an IP address/],
    [['iptables', 'trace', '--rules', KUBE_3EP, '--src', '10.0.0.1', '--dst', 'fd00::1'], /same family/],
    [['iptables', 'trace', '--rules', KUBE_3EP, '--src', '10.0.0.1', '--dst', '10.0.0.2', '--proto', 'gre'], /Invalid values/],
    [['frobnicate'], /Unknown argument|Unknown command/],
  ])('usage error %j exits 2', async (argv, message) => {
    const r = await cli(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  const minimal = ['iptables', 'trace', '--rules', 'r.rules', '--src', '10.0.0.1', '--dst', '10.0.0.2'];
  const files = { 'r.rules': '*filter\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\nCOMMIT\n' };

  it.each([
    [['--in', 'abcdefghijklmnop'], /--in: interface name "abcdefghijklmnop" is 16 bytes long; Linux allows at most 15/],
    [['--out', 'éééééééé'], /--out: interface name "éééééééé" is 16 bytes long/],
    [['--in', 'a/b'], /--in: interface name "a\/b" contains "\/", ":" or whitespace/],
    [['--out', 'eth0:1'], /--out: .*contains/],
    [['--in', 'a b'], /--in: .*whitespace/],
    [['--in', ''], /--in: interface name "" is empty/],
    [['--out', '..'], /--out: .*is \. or \.\./],
    [['--dport', '65536'], /--dport: "65536" is not a port number \(a decimal integer, 0-65535\)/],
    [['--sport', '-1'], /--sport: "-1" is not a port number/],
    [['--dport', 'abc'], /--dport: "abc" is not a port number/],
    [['--dport', '1e3'], /--dport: "1e3" is not a port number/],
    [['--dport', '0x50'], /--dport: "0x50" is not a port number/],
    [['--dport', ''], /--dport: "" is not a port number/],
    [['--dport', '80', '--dport', '81'], /--dport was given 2 times \(80, 81\); give it once/],
    [['--proto', 'icmp', '--dport', '80'], /--dport 80: ICMP has no ports/],
    [['--proto', 'gre'], /Invalid values:[\s\S]*Choices: "tcp", "udp", "sctp", "icmp"/],
    [['--seed', 'abc'], /--seed: "abc" is not an integer/],
    [['-o', 'json', '-o', 'text'], /--output was given 2 times/],
  ])('refuses %j with a usage message and exit 2', async (extra, message) => {
    const r = await cli([...minimal, ...extra], files);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });

  it.each([
    [['--in', 'abcdefghijklmno', '--out', 'cali+x']],
    [['--dport', '0', '--sport', '65535']],
    [['--proto', 'icmp']],
    [['--seed', '-7']],
  ])('accepts %j at the limits', async (extra) => {
    const r = await cli([...minimal, ...extra], files);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('has help with examples', async () => {
    const r = await cli(['iptables', 'trace', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain('--all-paths');
  });
});

describe('netsim iptables trace --ipsets', () => {
  const SETS = 'test/fixtures/kernel-diff/ipset-list.sets';
  const RULES = 'test/fixtures/kernel-diff/ipset-list.rules';
  const fwd = (src: string, dst: string, more: string[] = []) => ['iptables', 'trace', '--rules', RULES, '--ipsets', SETS, '--in', 'eth0', '--out', 'eth1', '--src', src, '--dst', dst, ...more, '-o', 'json'];
  const lastRule = async (argv: string[], files: Record<string, string> = {}) => {
    const r = await cli(argv, files);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout);
    return `${doc.verdict} ${doc.steps.at(-1).rule ?? doc.steps.at(-1).policy}`;
  };

  it.each([
    ['hash:net,port dst,dst', '10.9.9.9', '172.20.0.1', ['--proto', 'udp', '--dport', '53'], 'PAIRS dst,dst'],
    ['hash:ip,port src,dst', '10.1.2.3', '192.0.2.1', ['--dport', '80'], 'WEB src,dst'],
    ['hash:net nomatch with --return-nomatch', '10.1.9.9', '192.0.2.1', [], 'REJECT'],
    ['list:set: a member hits', '192.0.2.7', '10.5.0.1', [], 'ALL dst,dst'],
    ['list:set: a member says nomatch, the next is asked, none hits', '192.0.2.7', '10.1.0.9', [], 'DROP'],
  ])('%s', async (_name, src, dst, more, want) => {
    expect(await lastRule(fwd(src, dst, more))).toContain(want);
  });

  it('reads the rules from standard input with --rules -', async () => {
    const rules = readFileSync(RULES, 'utf8');
    const argv = fwd('192.0.2.7', '10.5.0.1').map((w) => (w === RULES ? '-' : w));
    expect(await lastRule(argv, { '-': rules })).toContain('ALL dst,dst');
  });

  it('reads the sets from standard input with --ipsets -, and refuses both from stdin', async () => {
    const argv = fwd('192.0.2.7', '10.5.0.1').map((w) => (w === SETS ? '-' : w));
    expect(await lastRule(argv, { '-': readFileSync(SETS, 'utf8') })).toContain('ALL dst,dst');
    const both = await cli(fwd('1.1.1.1', '2.2.2.2').map((w) => (w === SETS || w === RULES ? '-' : w)), { '-': '' });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('only one of them');
  });

  it('refuses a rule naming a set that --ipsets does not define, at its line', async () => {
    const rules = '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A FORWARD -m set --match-set NOPE src -j DROP\nCOMMIT\n';
    const r = await cli(['iptables', 'trace', '--rules', 'r.rules', '--ipsets', SETS, '--src', '1.1.1.1', '--dst', '2.2.2.2'], { 'r.rules': rules });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^r\.rules:5(:\d+)?: error\[IPT_UNKNOWN_SET\]: .*NOPE/);
  });

  it('reports a bad ipset file at its line', async () => {
    const r = await cli(['iptables', 'trace', '--rules', RULES, '--ipsets', 's', '--src', '1.1.1.1', '--dst', '2.2.2.2'], { s: 'create L list:set\nadd L MISSING\n' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^s:2(:\d+)?: error\[IPSET_UNKNOWN_SET\]/);
  });
});

describe('netsim iptables trace: -m owner and the TOS byte', () => {
  const RULES = 'test/fixtures/kernel-diff/qos-owner.rules';
  const local = ['iptables', 'trace', '--rules', RULES, '--out', 'eth0', '--src', '192.168.0.2', '--dst', '10.2.2.2', '-o', 'json'];

  it('--uid names the sending socket: uid 1337 is dropped, root is not', async () => {
    const sidecar = JSON.parse((await cli([...local, '--uid', '1337'])).stdout);
    expect(sidecar.verdict).toBe('DROP');
    expect(sidecar.steps.at(-1).rule).toBe('-A OUTPUT -m owner --uid-owner 1337 -j DROP');
    const root = JSON.parse((await cli(local)).stdout);
    expect(root.verdict).toBe('ACCEPT');
  });

  it('refuses --uid for an arriving packet, which has no socket', async () => {
    const r = await cli([...local, '--in', 'eth1', '--uid', '5']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('sending socket');
  });

  it('DSCP and TOS rewrites are seen by later matches (mark 7 needs tos 0xbc)', async () => {
    const r = JSON.parse((await cli(['iptables', 'trace', '--rules', RULES, '--in', 'eth0', '--out', 'eth1', '--src', '10.1.1.1', '--dst', '10.2.2.2', '-o', 'json'])).stdout);
    expect(r.verdict).toBe('ACCEPT');
    expect(r.steps.map((s: { verdict?: string }) => s.verdict)).toEqual(expect.arrayContaining(['DSCP', 'TOS', 'MARK', 'TCPMSS', 'CLASSIFY']));
    expect(r.packet.tos).toBe(0xbc);
  });
});

describe('netsim iptables trace: matches netsim does not model', () => {
  const RULES = 'test/fixtures/kernel-diff/unmodelled-fork.rules';
  const fwd = ['iptables', 'trace', '--rules', RULES, '--in', 'eth0', '--out', 'eth1', '--src', '10.1.1.1', '--dst', '10.2.2.2'];

  it('loads the dump and follows both outcomes of each unmodelled rule the packet reaches', async () => {
    const r = await cli([...fwd, '-o', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('does not model');
    const doc = JSON.parse(r.stdout);
    const paths = doc.paths.map((p: { verdict: string; unmodelled: { match: string; matched: boolean }[] }) => `${p.verdict} ${p.unmodelled.map((u) => `${u.match}=${u.matched}`).join(' ')}`);
    expect(paths).toEqual(['DROP -m string=true', 'REJECT -m string=false -m connlimit=true', 'ACCEPT -m string=false -m connlimit=false']);
    for (const p of doc.paths) expect(p.probability).toBe(1);
  });

  it('says so in the text, and not at all when the packet never reaches such a rule', async () => {
    const text = await cli(fwd);
    expect(text.stdout).toContain('? filter/FORWARD#1: this rule may or may not match: -m string not modelled; this path assumes it matched');
    const udp = await cli(['iptables', 'trace', '--rules', RULES, '--in', 'eth0', '--out', 'eth1', '--src', '10.1.1.1', '--dst', '10.9.2.2', '--proto', 'udp', '-o', 'json']);
    expect(udp.stderr).toContain('does not model'); // -m length is reached by UDP too
    const local = await cli(['iptables', 'trace', '--rules', RULES, '--src', '10.1.1.1', '--dst', '10.2.2.2', '-o', 'json']);
    expect(local.stderr).toBe('');
    expect(JSON.parse(local.stdout).unmodelled).toBeUndefined();
  });

  it('prints the unmodelled options back as written', async () => {
    const doc = JSON.parse((await cli([...fwd, '-o', 'json'])).stdout);
    expect(doc.paths[0].steps[0].rule).toBe('-A FORWARD -p tcp -m string --string "GET /admin" --algo bm -j DROP');
  });
});

describe('netsim iptables trace: hints for what the input left out', () => {
  it('a MASQUERADE without --out asks for it', async () => {
    const r = await cli(['iptables', 'trace', '--rules', KUBE_3EP, '--src', '192.168.0.2', '--dst', '172.30.0.41', '--dport', '80', '--local-addr', '192.168.0.2', '-o', 'json']);
    const doc = JSON.parse(r.stdout);
    expect(doc.verdict).toBe('DROP');
    expect(doc.hints.join(' ')).toContain('no output device was given: pass --out IF');
  });

  it('a NodePort port without --local-addr says the destination was not taken as local', async () => {
    const r = await cli(['iptables', 'trace', '--rules', 'test/fixtures/kernel-diff/kube-1ep.rules', '--in', 'eth0', '--out', 'cni0', '--src', '192.168.0.77', '--dst', '192.168.0.2', '--dport', '30080', '-o', 'json']);
    const doc = JSON.parse(r.stdout);
    expect(doc.hints.join(' ')).toContain('--local-addr 192.168.0.2');
  });
});
