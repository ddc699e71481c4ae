/**
 * `netsim import` against the kernel: a node built in namespaces (lab.ts) is dumped with
 * scripts/collect-node-dump.sh run inside it, imported, and then
 *
 * - every `show` view of the imported node equals what the kernel printed at the time of the
 *   dump, byte for byte: `ip addr`, `ip route show table all`, `ip rule`, `ip neigh`,
 *   `bridge fdb`, `iptables-save`, `ip6tables-save` and `ipset save` — except the lines and
 *   fields the kernel makes up per run: iptables-save's `#` comment lines (a timestamp), its
 *   chain counters (the node may send a packet between the dump and the reading), and
 *   ipset's `bucketsize`/`initval` (chosen by the kernel; netsim never prints them);
 * - `ip route get` answers the same for forwarded, local and marked lookups;
 * - packets the pod sends into the node end as netsim's trace says: the rules whose kernel
 *   counters moved are the rules the trace matched, and a MASQUERADE gives the conntrack entry
 *   the trace's packet implies.
 *
 * Needs root (namespaces); skipped with the reason otherwise. Namespaces: `nsIM-<pid>-*`.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseIp } from '../../../src/addr/ip.js';
import { importNodeDump, traceNodeDump, type ImportedNode } from '../../../src/app/node-dump.js';
import { packetFor } from '../../../src/packet/build.js';
import { routeGet } from '../../../src/kernel/text/route-get.js';
import { renderSection, type ShowSection } from '../../../src/render/netns-state.js';
import { renderSectionJson } from '../../../src/render/netns-json.js';
import { kernelAvailable } from '../harness/available.js';
import { inNs, must, run } from '../harness/sh.js';
import { python3 } from '../harness/python.js';
import { settleDad } from '../scenario/state-check.js';
import { type ImportLab, buildImportLab } from './lab.js';

const COLLECT = fileURLToPath(new URL('../../../scripts/collect-node-dump.sh', import.meta.url));
const SENDER = fileURLToPath(new URL('../harness/send_frame.py', import.meta.url));
const avail = kernelAvailable();
const hasIpset = run('sh', ['-c', 'command -v ipset']).code === 0;
const why = !avail.ok ? avail.why : !hasIpset ? 'ipset is not installed' : undefined;
if (why !== undefined) console.log(`netsim import round trip skipped: ${why}`);

/** The kernel's view for each show section, the command run in the node. */
const VIEWS: readonly [ShowSection, readonly string[]][] = [
  ['addr', ['ip', 'addr']],
  ['route', ['ip', 'route', 'show', 'table', 'all']],
  ['rule', ['ip', 'rule']],
  ['neigh', ['ip', 'neigh']],
  ['fdb', ['bridge', 'fdb']],
  ['iptables', ['iptables-save']],
  ['ip6tables', ['ip6tables-save']],
  ['ipset', ['ipset', 'save']],
];

/** What the kernel makes up per run: iptables-save's timestamp comments and chain counters, ipset's bucketsize and initval. */
function comparable(section: ShowSection, text: string): string {
  // Chain counters too: they move when the node sends anything between the dump and this reading.
  if (section === 'iptables' || section === 'ip6tables') return text.split('\n').filter((l) => !l.startsWith('#')).join('\n').replace(/ \[\d+:\d+\]$/gm, ' [0:0]');
  if (section === 'ipset') return text.replace(/ bucketsize \d+ initval 0x[0-9a-f]+/g, '');
  return text;
}

describe.skipIf(why !== undefined)('netsim import round trip against the kernel', () => {
  let lab: ImportLab;
  let dir: string;
  const kernel = new Map<ShowSection, string>();
  let node: ImportedNode;
  let diagnostics: readonly { code: string; severity: string; message: string }[] = [];

  beforeAll(async () => {
    lab = await buildImportLab(`nsIM-${process.pid}-`);
    await settleDad([lab.node]);
    dir = mkdtempSync(join(tmpdir(), 'netsim-import-'));
    must('ip', ['netns', 'exec', lab.node, 'sh', COLLECT, dir]);
    for (const [section, argv] of VIEWS) kernel.set(section, inNs(lab.node, argv[0] as string, argv.slice(1)));
    const files = Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
    const r = importNodeDump(files, { name: 'node' });
    node = r.value;
    diagnostics = r.diagnostics;
  }, 60_000);

  afterAll(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    const errs = lab?.dispose() ?? [];
    if (errs.length > 0) console.log(`cleanup: ${errs.join('; ')}`);
  });

  it('imports without errors', () => {
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it.each(VIEWS.map(([s]) => s))('show %s is what the kernel printed', (section) => {
    const got = comparable(section, renderSection(node.world, node.ns, section));
    const want = comparable(section, kernel.get(section) ?? '');
    expect(got).toBe(want);
  });

  it.each([
    ['route', ['-j', 'route', 'show', 'table', 'all']],
    ['rule', ['-j', 'rule']],
    ['neigh', ['-j', 'neigh']],
  ] as const)('show %s -o json is what ip -j printed', (section, args) => {
    const want = JSON.parse(inNs(lab.node, 'ip', [...args])) as unknown;
    expect(JSON.parse(renderSectionJson(node.world, node.ns, section))).toEqual(want);
  });

  it('show addr -o json lists what ip -j addr lists (devices, flags, state, addresses)', () => {
    type Dev = { ifname: string; flags: string[]; operstate: string; mtu: number; master?: string; addr_info: unknown[] };
    const pick = (d: Dev) => ({ ifname: d.ifname, flags: d.flags, operstate: d.operstate, mtu: d.mtu, master: d.master, addr_info: d.addr_info });
    const want = (JSON.parse(inNs(lab.node, 'ip', ['-j', 'addr'])) as Dev[]).map(pick);
    expect((JSON.parse(renderSectionJson(node.world, node.ns, 'addr')) as Dev[]).map(pick)).toEqual(want);
  });

  it.each([
    ['10.9.1.1', { from: '10.1.0.6', iif: 'br0' }],
    ['10.8.0.1', { from: '10.1.0.6', iif: 'br0' }],
    ['10.9.1.1', {}],
    ['10.3.0.9', {}],
    ['10.1.0.1', {}],
    ['10.9.2.2', { mark: 0x10 }],
    ['192.168.1.77', { mark: 0x10 }],
  ] as const)('ip route get %s %o answers as the kernel', (dst, q) => {
    const args = ['route', 'get', dst, ...('from' in q ? ['from', q.from, 'iif', q.iif] : []), ...('mark' in q ? ['mark', String(q.mark)] : [])];
    const k = run('ip', ['-n', lab.node, ...args]);
    const want = k.code === 0 ? k.stdout : k.stderr.trim();
    const ans = routeGet(node.ns, {
      dst: parseIp(dst)!,
      ...('from' in q ? { from: parseIp(q.from)!, iif: q.iif } : {}),
      ...('mark' in q ? { mark: q.mark } : {}),
    });
    expect(ans.ok ? ans.text : ans.answer).toBe(want);
  });

  it.each([
    ['10.1.0.5', '10.9.1.1', 80],
    ['10.1.0.6', '10.9.1.1', 80],
    ['10.1.0.6', '10.9.1.1', 22],
    ['10.1.0.6', '10.8.0.1', 80],
    ['10.1.0.7', '10.3.0.9', 443],
  ] as const)('a SYN %s → %s:%d from the pod: the rules that counted it and the NAT are netsim\'s', (src, dst, dport) => {
    inNs(lab.node, 'iptables', ['-Z']);
    inNs(lab.node, 'iptables', ['-t', 'nat', '-Z']);
    run('ip', ['netns', 'exec', lab.node, 'conntrack', '-F']);
    const brMac = JSON.parse(must('ip', ['-n', lab.node, '-j', 'link', 'show', 'br0']))[0].address as string;
    const podMac = JSON.parse(must('nsenter', [...lab.podNs, 'ip', '-j', 'link', 'show', 'eth0']))[0].address as string;
    must('nsenter', [...lab.podNs, python3(), SENDER, '--mode', 'frame', '--iface', 'eth0', '--src-mac', podMac, '--dst-mac', brMac, '--src', src, '--dst', dst, '--dport', String(dport)]);
    const counted = kernelCounted(inNs(lab.node, 'iptables-save', ['-c']));
    const conntrack = run('ip', ['netns', 'exec', lab.node, 'conntrack', '-L']).stdout;

    const fresh = importAgain(dir);
    const packet = packetFor({ family: 4, proto: 'tcp', src: parseIp(src)!, dst: parseIp(dst)!, sport: 40000, dport });
    const r = traceNodeDump(fresh, packet, { inDev: 'veth0' });
    if ('problem' in r) throw new Error(r.problem);
    const matched = r.trace.hops.flatMap((h) => h.steps.flatMap((s) => (s.type === 'netfilter' ? [`${s.table}/${s.chain}#${s.position}`] : [])));
    expect(matched).toEqual(counted);
    const natSrc = r.trace.ending.packet.src;
    // A packet that left has a confirmed entry whose reply goes to the (masqueraded) source; a dropped one none.
    if (r.trace.ending.disposition === 'EXITS_NETWORK') expect(conntrack).toContain(`src=${src} dst=${dst} sport=40000 dport=${dport} [UNREPLIED] src=${dst} dst=${natSrc} sport=${dport} dport=40000`);
    else expect(conntrack).not.toContain(`src=${src} dst=${dst} sport=40000`);
  });
});

/** `TABLE/CHAIN#N` of every rule whose packet counter is not zero, in table order (`iptables-save -c`). */
function kernelCounted(save: string): string[] {
  const out: string[] = [];
  let table = '';
  const pos = new Map<string, number>();
  for (const line of save.split('\n')) {
    if (line.startsWith('*')) table = line.slice(1);
    const m = /^\[(\d+):\d+\] -A (\S+)/.exec(line);
    if (m === null) continue;
    const chain = m[2] as string;
    const n = (pos.get(`${table}/${chain}`) ?? 0) + 1;
    pos.set(`${table}/${chain}`, n);
    if (m[1] !== '0') out.push(`${table}/${chain}#${n}`);
  }
  return out.sort(hookOrder);
}

/** nat PREROUTING, filter FORWARD, nat POSTROUTING: the order a forwarded packet meets them. */
function hookOrder(a: string, b: string): number {
  const rank = (s: string): number => (s.startsWith('nat/PREROUTING') ? 0 : s.startsWith('filter/') ? 1 : 2);
  return rank(a) - rank(b);
}

function importAgain(dir: string): ImportedNode {
  const files = Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
  return importNodeDump(files, { name: 'node' }).value;
}
