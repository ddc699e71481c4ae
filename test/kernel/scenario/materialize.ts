/**
 * A built cluster's World made real: one network namespace per model namespace (nodes, pods and
 * the hidden node network), named by {@link realNetnsName}. What comes from where:
 *
 * - **from the World data** (no show format carries all of it): devices (`lo`, veth pairs across
 *   namespaces, bridges, dummies, VXLAN devices) with the
 *   model's names, MACs, MTUs, VXLAN id/local/dev/dstport/learning, bridge masters, hairpin
 *   flags and static FDB entries; sysctls (`ns.sysctl`, per device after the device exists,
 *   before it goes up so `accept_dad` counts);
 * - **from netsim's own show text** (`renderSection`, what `netsim show` prints): addresses from
 *   `ip addr`, non-kernel routes from `ip route show table all`, extra policy rules from
 *   `ip rule`, permanent neighbours from `ip neigh`, ipsets from `ipset save` (loaded with
 *   `ipset restore`) and the rulesets from `iptables-save` and `ip6tables-save`, loaded with
 *   `iptables-restore` and `ip6tables-restore`.
 *
 * The kernel derives the rest (proto kernel routes, local table, IPv6 link-local addresses,
 * a bridge's MAC when the model did not pin it); {@link compareState} then checks the model's
 * text against what the kernel prints. Nothing is done in the root namespace: every `ip` runs with
 * `-n`, veth peers are created inside a namespace and sent straight to the other.
 * `br_netfilter` is built into this kernel (or loaded): a fresh namespace reads
 * `bridge-nf-call-iptables=1`, and the model's value is written anyway when it sets one.
 */
import type { World } from '../../../src/kernel/world.js';
import { linksByIndex } from '../../../src/kernel/netns.js';
import type { Link } from '../../../src/kernel/link/types.js';
import { renderSection } from '../../../src/render/netns-state.js';
import { deleteNamespace } from '../harness/namespaces.js';
import { must, run } from '../harness/sh.js';
import { newScenarioPrefix, realNetnsName } from './names.js';
import { formatIp } from '../../../src/addr/ip.js';
import { addrCommands, neighCommands, routeCommands, ruleCommands, vxlanFdbCommands } from './show-text.js';

/** A materialized scenario. Call {@link Materialized.dispose} in a `finally`. */
export interface Materialized {
  readonly prefix: string;
  /** Model namespace → real namespace. */
  readonly names: Readonly<Record<string, string>>;
  /** Every command run, in order (`ip -n … …`), for failure messages. */
  readonly log: readonly string[];
  /** Deletes every namespace made; returns the errors (empty when all went). */
  dispose(): string[];
}

/** Why a world cannot be materialized here, or undefined when it can. */
export function unsupported(world: World): string | undefined {
  for (const ns of Object.values(world.netns)) {
    for (const l of Object.values(ns.links)) {
      if (l.kind === 'ipip') return `${ns.name}/${l.name} is an ipip device (not materialized yet; this VM has no ipip module)`;
    }
  }
  return undefined;
}

/** Builds every namespace of the world; on failure deletes what was made and rethrows. */
export function materialize(world: World): Materialized {
  const why = unsupported(world);
  if (why !== undefined) throw new Error(`cannot materialize: ${why}`);
  const prefix = newScenarioPrefix();
  const names: Record<string, string> = {};
  for (const model of Object.keys(world.netns)) names[model] = realNetnsName(prefix, model);
  for (const [model, ns] of Object.entries(world.netns)) {
    for (const l of Object.values(ns.links)) {
      if (l.kind !== 'dummy' || dummyAvailable()) continue;
      const sink = standInNetns(model, l.name);
      if (names[sink] !== undefined) throw new Error(`cannot materialize: the stand-in namespace ${sink} collides with a model namespace`);
      names[sink] = realNetnsName(prefix, sink);
    }
  }
  const made: string[] = [];
  const log: string[] = [];
  const dispose = (): string[] => made.flatMap((n) => deleteNamespace(n) ?? []).filter((e) => e !== '');
  const ip = (model: string, args: readonly string[]): void => {
    const real = names[model] as string;
    log.push(`ip -n ${real} ${args.join(' ')}`);
    must('ip', ['-n', real, ...args]);
  };
  const bridge = (model: string, args: readonly string[]): void => {
    const real = names[model] as string;
    log.push(`bridge -n ${real} ${args.join(' ')}`);
    must('bridge', ['-n', real, ...args]);
  };
  try {
    for (const real of Object.values(names)) {
      log.push(`ip netns add ${real}`);
      must('ip', ['netns', 'add', real]);
      made.push(real);
    }
    createLinks(world, names, ip);
    writeSysctls(world, names, log);
    joinBridges(world, names, ip);
    for (const ns of Object.values(world.netns)) for (const c of addrCommands(renderSection(world, ns, 'addr'))) ip(ns.name, c);
    for (const ns of Object.values(world.netns)) for (const l of linksByIndex(ns)) if (l.up) ip(ns.name, ['link', 'set', l.name, 'up']);
    for (const ns of Object.values(world.netns)) {
      for (const c of ruleCommands(renderSection(world, ns, 'rule'))) ip(ns.name, c);
      for (const c of routeCommands(renderSection(world, ns, 'route'))) ip(ns.name, c);
      for (const c of neighCommands(renderSection(world, ns, 'neigh'))) ip(ns.name, c);
      for (const c of vxlanFdbCommands(renderSection(world, ns, 'fdb'))) bridge(ns.name, c);
      // Sets first: a rule with `-m set` is refused for a set that does not exist yet.
      if (ns.netfilter.ipsets.size > 0) loadSets(renderSection(world, ns, 'ipset'), names[ns.name] as string, log);
      loadRules(renderSection(world, ns, 'iptables'), names[ns.name] as string, log, 'iptables-restore');
      loadRules(renderSection(world, ns, 'ip6tables'), names[ns.name] as string, log, 'ip6tables-restore');
    }
    return { prefix, names, log, dispose };
  } catch (e) {
    const left = dispose();
    if (left.length > 0) throw new Error(`${e instanceof Error ? e.message : String(e)}\n(and could not delete: ${left.join('; ')})`);
    throw e;
  }
}

type Ip = (model: string, args: readonly string[]) => void;

/** `ip link add` for every device, each veth pair once (from the end met first). */
function createLinks(world: World, names: Readonly<Record<string, string>>, ip: Ip): void {
  const done = new Set<string>();
  for (const ns of Object.values(world.netns)) {
    for (const l of linksByIndex(ns)) {
      if (done.has(`${ns.name}/${l.name}`)) continue;
      done.add(`${ns.name}/${l.name}`);
      const common = ['address', l.mac, 'mtu', String(l.mtu)];
      switch (l.kind) {
        case 'loopback':
          break;
        case 'bridge':
          // An unpinned bridge follows its lowest port's MAC, as the model's does: let the kernel choose.
          ip(ns.name, ['link', 'add', l.name, ...(l.macPinned === true ? ['address', l.mac] : []), 'mtu', String(l.mtu), 'type', 'bridge']);
          break;
        case 'dummy':
          if (dummyAvailable()) ip(ns.name, ['link', 'add', l.name, ...common, 'type', 'dummy']);
          else dummyStandIn(ns.name, l, names, ip);
          break;
        case 'veth': {
          const peer = world.netns[l.peer.ns]?.links[l.peer.dev];
          if (peer === undefined) throw new Error(`${ns.name}/${l.name}: veth peer ${l.peer.ns}/${l.peer.dev} missing in the model`);
          done.add(`${l.peer.ns}/${l.peer.dev}`);
          const where = l.peer.ns === ns.name ? [] : ['netns', names[l.peer.ns] as string];
          ip(ns.name, ['link', 'add', l.name, ...common, 'type', 'veth', 'peer', 'name', peer.name, 'address', peer.mac, 'mtu', String(peer.mtu), ...where]);
          break;
        }
        case 'vxlan':
          // In ifindex order like the rest; its lower device (eth0, a veth to the node network,
          // made from the network's side) exists by now.
          ip(ns.name, vxlanAdd(l));
          break;
        default:
          throw new Error(`${ns.name}/${l.name}: cannot materialize a ${l.kind} device`);
      }
    }
  }
}

/** `link add NAME address MAC mtu N type vxlan id VNI [local IP] [dev DEV] dstport P [nolearning]`. */
function vxlanAdd(l: Extract<Link, { kind: 'vxlan' }>): string[] {
  const where = [...(l.local !== undefined ? ['local', formatIp(l.local)] : []), ...(l.dev !== undefined ? ['dev', l.dev] : [])];
  return ['link', 'add', l.name, 'address', l.mac, 'mtu', String(l.mtu), 'type', 'vxlan', 'id', String(l.vni), ...where, 'dstport', String(l.dstport), ...(l.learning ? [] : ['nolearning'])];
}

let dummyProbe: boolean | undefined;

/** Whether `ip link add … type dummy` works here (this VM's kernel has no dummy module). */
export function dummyAvailable(): boolean {
  if (dummyProbe !== undefined) return dummyProbe;
  const probe = `${newScenarioPrefix()}probe`;
  if (run('ip', ['netns', 'add', probe]).code !== 0) return (dummyProbe = false);
  try {
    dummyProbe = run('ip', ['-n', probe, 'link', 'add', 'd0', 'type', 'dummy']).code === 0;
  } finally {
    deleteNamespace(probe);
  }
  return dummyProbe;
}

/** The extra namespace that stands in for a dummy device's void (`dummy.NS.DEV`). */
export function standInNetns(model: string, dev: string): string {
  return `dummy.${model}.${dev}`;
}

/**
 * Without the dummy module, a dummy device (a gateway's `uplink`: carrier, discards what it
 * sends) becomes a veth of the same name, MAC and MTU whose peer sits alone, up and without
 * addresses, in a stand-in namespace: packets routed into it go nowhere (ARP is never answered)
 * and never leave our namespaces.
 */
function dummyStandIn(model: string, l: Link, names: Readonly<Record<string, string>>, ip: Ip): void {
  const sink = names[standInNetns(model, l.name)] as string;
  ip(model, ['link', 'add', l.name, 'address', l.mac, 'mtu', String(l.mtu), 'type', 'veth', 'peer', 'name', 'void', 'netns', sink]);
  must('ip', ['-n', sink, 'link', 'set', 'void', 'up']);
}

/** Bridge ports (`master`, `hairpin on`) and static FDB entries. */
function joinBridges(world: World, names: Readonly<Record<string, string>>, ip: Ip): void {
  for (const ns of Object.values(world.netns)) {
    for (const l of linksByIndex(ns)) {
      if (l.master === undefined) continue;
      ip(ns.name, ['link', 'set', l.name, 'master', l.master]);
      if (l.hairpin === true) ip(ns.name, ['link', 'set', l.name, 'type', 'bridge_slave', 'hairpin', 'on']);
    }
    for (const b of Object.values(ns.links).filter((x): x is Extract<Link, { kind: 'bridge' }> => x.kind === 'bridge')) {
      for (const f of ns.fdb.bridge.get(b.name) ?? []) {
        if (f.kind !== 'static') continue;
        const real = names[ns.name] as string;
        must('bridge', ['-n', real, 'fdb', 'add', f.mac, 'dev', f.dev, 'master', 'static']);
      }
    }
  }
}

/** The model's sysctls, written inside each namespace (all links exist, none is up yet). */
function writeSysctls(world: World, names: Readonly<Record<string, string>>, log: string[]): void {
  for (const ns of Object.values(world.netns)) {
    const keys = Object.entries(ns.sysctl).map(([k, v]) => `${k}=${v}`);
    if (keys.length === 0) continue;
    const real = names[ns.name] as string;
    log.push(`ip netns exec ${real} sysctl -w ${keys.join(' ')}`);
    must('ip', ['netns', 'exec', real, 'sysctl', '-q', '-w', ...keys]);
  }
}

/** `ipset restore` of netsim's `ipset save` text (ipsets are per network namespace). */
function loadSets(text: string, real: string, log: string[]): void {
  log.push(`ip netns exec ${real} ipset restore <<< (netsim's ipset save, ${text.split('\n').length} lines)`);
  const r = run('ip', ['netns', 'exec', real, 'ipset', 'restore'], text);
  if (r.code !== 0) throw new Error(`ipset restore in ${real} failed: ${r.stderr.trim()}\n${text}`);
}

/** `iptables-restore` (or `ip6tables-restore`) of the model's `iptables-save` text (nothing when the model has no rules). */
function loadRules(text: string, real: string, log: string[], tool: 'iptables-restore' | 'ip6tables-restore'): void {
  if (text.trim() === '' || !text.includes('COMMIT')) return;
  log.push(`ip netns exec ${real} ${tool} <<< (netsim's ${tool.replace('-restore', '-save')}, ${text.split('\n').length} lines)`);
  const r = run('ip', ['netns', 'exec', real, tool], text);
  if (r.code !== 0) throw new Error(`${tool} in ${real} failed: ${r.stderr.trim()}\n${text}`);
}
