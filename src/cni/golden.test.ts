/**
 * netsim's bridge + host-local against the real plugins (containernetworking-plugins 1.1.1),
 * replaying test/golden/cni/capture.sh step by step with the same container IDs, namespace
 * names and config. MACs and host veth names are normalised (test/helpers/cni.ts `normalise`);
 * everything else — results, `ip addr`, `ip route`, `iptables-save -t nat`, the host-local
 * files, forwarding, the CHECK error and host-local's duplicate error — must match exactly.
 */
import { describe, expect, it } from 'vitest';
import { GOLDEN_DATA_DIR, cniGolden, cniNode, goldenCid, goldenNetConf, normalise, normaliseJson, runtime } from '../../test/helpers/cni.js';
import { cidr } from '../addr/cidr.js';
import { delAddress } from '../kernel/addr.js';
import { getRuleset } from '../kernel/netfilter/index.js';
import { printRuleset } from '../kernel/netfilter/syntax/index.js';
import { getSysctl } from '../kernel/sysctl.js';
import { renderIpAddr } from '../kernel/text/addr.js';
import { renderIpRoute } from '../kernel/text/route.js';
import { getNetns } from '../kernel/world.js';
import { type World, addNetns } from '../kernel/world.js';
import { setLinkUp } from '../kernel/link/link.js';
import { addNetworkList, checkNetworkList, delNetworkList, parseConfList } from './conflist.js';
import { hostLocalPlugin } from './host-local/plugin.js';
import type { CniResult, NetConf } from './types.js';

const HOST = 'nsF-host';
const PODS = ['nsF-pod1', 'nsF-pod2', 'nsF-pod3'];

/** The result as the plugin prints it: no empty `interfaces`, keys as JSON has them. */
function asJson(r: CniResult): unknown {
  const { interfaces, ...rest } = r;
  return normaliseJson(interfaces.length === 0 ? rest : r);
}

function sortLines(text: string): string {
  return `${text.trimEnd().split('\n').sort().join('\n')}\n`;
}

/** The host-local directory listed as capture.sh lists it. */
function storeListing(store: Record<string, string>): string {
  const dir = `${GOLDEN_DATA_DIR}/mynet/`;
  return Object.keys(store)
    .filter((k) => k.startsWith(dir))
    .sort()
    .map((k) => `${k.slice(dir.length)}\t${(store[k] ?? '').replaceAll('\r', '\\r').replaceAll('\n', '\\n')}\n`)
    .join('');
}

/** [file, real text, netsim text, compare line sets only]. */
type Pair = [string, string, string, 'sorted'?];

/** Normalised (and for 'sorted' pairs, line-sorted) real and netsim text. */
function compared([, want, got, sorted]: Pair): [string, string] {
  const n = (t: string) => (sorted === undefined ? normalise(t) : sortLines(normalise(t)));
  return [n(got), n(want)];
}

function expectSame(pairs: readonly Pair[]): void {
  for (const pair of pairs) {
    const [got, want] = compared(pair);
    expect(got, pair[0]).toBe(want);
  }
}

function snapshot(world: World, store: Record<string, string>, step: number, pods: readonly string[]): Pair[] {
  const H = getNetns(world, HOST);
  const files: Pair[] = [
    [`${step}-host-addr.txt`, cniGolden(`${step}-host-addr.txt`), renderIpAddr(world.netns, H)],
    [`${step}-host-route.txt`, cniGolden(`${step}-host-route.txt`), renderIpRoute(H, { peers: world.netns })],
    // Sorted: on Linux a new, portless bridge has carrier, so cni0 gets fe80::/64 as soon as it
    // is up, before its first port; the kernel model gives a bridge carrier only through a port
    // (kernel/link/carrier.ts), so its route is younger and listed after the veth's. Reported.
    [`${step}-host-route6.txt`, cniGolden(`${step}-host-route6.txt`), renderIpRoute(H, { family: 6, peers: world.netns }), 'sorted'],
    [`${step}-host-iptables.txt`, cniGolden(`${step}-host-iptables.txt`), printRuleset(getRuleset(H.netfilter, 4))],
    [`${step}-host-ip_forward.txt`, cniGolden(`${step}-host-ip_forward.txt`), `${getSysctl(H, 'net.ipv4.ip_forward')}\n`],
    [`${step}-store.txt`, cniGolden(`${step}-store.txt`), storeListing(store)],
  ];
  for (const p of pods) {
    const P = getNetns(world, p);
    const short = p.replace('nsF-', '');
    files.push([`${step}-${short}-addr.txt`, cniGolden(`${step}-${short}-addr.txt`), renderIpAddr(world.netns, P)]);
    files.push([`${step}-${short}-route.txt`, cniGolden(`${step}-${short}-route.txt`), renderIpRoute(P, { peers: world.netns })]);
  }
  return files;
}

/** `ip -d link` reduced to what the model holds: name, mtu, master, hairpin. */
function linkFacts(text: string): string[] {
  const facts: string[] = [];
  for (const block of text.split(/\n(?=\d+: )/)) {
    const head = /^\d+: ([^:@]+)(?:@\S+)?: <[^>]*> mtu (\d+)/.exec(block);
    if (head === null) continue;
    const master = / master (\S+)/.exec(block)?.[1] ?? '-';
    const hairpin = / hairpin (on|off)/.exec(block)?.[1] ?? '-';
    const kind = /\n {4}(bridge|veth) /.exec(block)?.[1] ?? (block.includes('link/loopback') ? 'loopback' : '?');
    facts.push(`${head[1]} ${kind} mtu ${head[2]} master ${master} hairpin ${hairpin}`);
  }
  return facts;
}

function modelLinkFacts(world: World, ns: string): string[] {
  return Object.values(getNetns(world, ns).links)
    .sort((a, b) => a.ifindex - b.ifindex)
    .map((l) => `${l.name} ${l.kind} mtu ${l.mtu} master ${l.master ?? '-'} hairpin ${l.master === undefined ? '-' : l.hairpin === true ? 'on' : 'off'}`);
}

describe('bridge + host-local match the real plugins (test/golden/cni/capture.sh)', () => {
  const { world, host, registry } = cniNode(HOST, PODS);
  const parsed = parseConfList(goldenNetConf());
  if (!parsed.ok) throw new Error(parsed.error.msg);
  const list = parsed.value;
  const env = { host, registry };
  const results: CniResult[] = [];

  it('ADD pod1 and pod2 return the results the real plugin returned', () => {
    for (const [i, file] of [[1, '1-add-pod1.json'], [2, '2-add-pod2.json']] as const) {
      const r = addNetworkList(list, runtime(goldenCid(i), `nsF-pod${i}`), env);
      expect(r.ok ? undefined : r.error).toBeUndefined();
      if (!r.ok) return;
      results.push(r.value);
      expect(asJson(r.value)).toEqual(normaliseJson(JSON.parse(cniGolden(file)) as object));
    }
  });

  it('after two ADDs: ip addr, ip route, iptables-save, the store and forwarding match', () => {
    expectSame(snapshot(world, host.store, 2, ['nsF-pod1', 'nsF-pod2']));
  });

  it('after two ADDs: ip -d link agrees on kind, MTU, master and hairpin', () => {
    for (const ns of [HOST, 'nsF-pod1', 'nsF-pod2']) {
      const short = ns === HOST ? 'host' : ns.replace('nsF-', '');
      expect(normalise(modelLinkFacts(world, ns).join('\n'))).toBe(normalise(linkFacts(cniGolden(`2-${short}-link.txt`)).join('\n')));
    }
  });

  it('CHECK pod2 fails as the real plugin does on a route listed without gw', () => {
    const prev = results[1];
    if (prev === undefined) throw new Error('ADD pod2 did not run');
    const r = checkNetworkList(list, runtime(goldenCid(2), 'nsF-pod2'), env, prev);
    const real = JSON.parse(cniGolden('2-check-pod2.out')) as { code: number; msg: string };
    expect(r.ok ? undefined : r.error).toEqual({ code: real.code, msg: real.msg });
  });

  it('DEL pod1 removes its veth, address and chain; the rest matches', () => {
    const prev = results[0];
    expect(delNetworkList(list, runtime(goldenCid(1), 'nsF-pod1'), env, prev)).toEqual({ ok: true, value: undefined });
    expectSame(snapshot(world, host.store, 3, ['nsF-pod1']));
  });

  it('ADD pod3 gets .4 (round robin, .2 is not reused yet)', () => {
    const r = addNetworkList(list, runtime(goldenCid(3), 'nsF-pod3'), env);
    expect(r.ok ? asJson(r.value) : r.error).toEqual(normaliseJson(JSON.parse(cniGolden('4-add-pod3.json')) as object));
    expectSame(snapshot(world, host.store, 4, ['nsF-pod3']));
  });

  it('host-local refuses a second allocation for the same container with the real text', () => {
    const r = hostLocalPlugin.add(goldenNetConf(), runtime(goldenCid(3), 'nsF-pod3'), host);
    expect(r.ok ? r.value : r.error).toEqual(JSON.parse(cniGolden('5-host-local-again.json')));
  });

  it('dual stack with isGateway on its own bridge: result, addresses, routes, ip6tables, forwarding', () => {
    addNetns(world, 'nsF-dual');
    setLinkUp(world, 'nsF-dual', 'lo');
    const conf = JSON.parse(cniGolden('netconf-dual.json').replaceAll('@DATADIR@', GOLDEN_DATA_DIR)) as NetConf;
    const r = registry.get('bridge')?.add(conf, runtime(goldenCid(1), 'nsF-dual', 'net1'), host);
    expect(r?.ok === true ? asJson(r.value) : r).toEqual(normaliseJson(JSON.parse(cniGolden('7-add-dual.json')) as object));
    const H = getNetns(world, HOST);
    const D = getNetns(world, 'nsF-dual');
    expectSame([
      ['7-host-addr.txt', cniGolden('7-host-addr.txt'), renderIpAddr(world.netns, H, { dev: 'br-dual' })],
      ['7-host-route6.txt', cniGolden('7-host-route6.txt'), renderIpRoute(H, { family: 6, peers: world.netns }), 'sorted'],
      ['7-host-ip6tables.txt', cniGolden('7-host-ip6tables.txt'), printRuleset(getRuleset(H.netfilter, 6))],
      ['7-host-ipv6_forwarding.txt', cniGolden('7-host-ipv6_forwarding.txt'), `${getSysctl(H, 'net.ipv6.conf.all.forwarding')}\n`],
      ['7-dual-addr.txt', cniGolden('7-dual-addr.txt'), renderIpAddr(world.netns, D)],
      ['7-dual-route.txt', cniGolden('7-dual-route.txt'), renderIpRoute(D, { peers: world.netns })],
      ['7-dual-route6.txt', cniGolden('7-dual-route6.txt'), renderIpRoute(D, { family: 6, peers: world.netns })],
    ]);
    if (r?.ok !== true) return;
    // CHECK passes here (every route has its gw), and fails once the pod's IPv4 address is gone.
    const check = () => registry.get('bridge')?.check(conf, runtime(goldenCid(1), 'nsF-dual', 'net1'), host, r.value);
    expect(cniGolden('7-check-dual.out')).toBe('exit 0\n');
    expect(check()).toEqual({ ok: true, value: undefined });
    delAddress(D, 'net1', cidr('10.10.0.2/24'));
    expect(check()).toEqual({ ok: false, error: JSON.parse(cniGolden('7-check-dual-noaddr.out')) });
  });
});
