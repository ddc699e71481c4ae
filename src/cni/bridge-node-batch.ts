/**
 * The bridge plugin's ADDs (host-local IPAM) of a node's pods into their sandbox shells, as the
 * node's first read runs them (cluster/assemble/lazy-pods.ts): what bridge-batch.ts's ADDs leave
 * one by one, with the host side of a run of pods done as one kernel verb
 * (kernel/link/pod-ports.ts `addPodPorts`: each pod's veth pair, bridge port, `accept_ra`, and
 * its end coming up in the shell, which gives the host end its link-local address).
 *
 * Once the node's bridge stands as the first ADD leaves it (up, its MAC pinned, its gateway
 * address on it, forwarding on), an ADD changes three things apart from one another: host-local's
 * files (the CNI store), the host's and the shell's devices, addresses, routes and sysctls (the
 * kernel verb), and the masquerade rules (the host's netfilter). The ADD by ADD order interleaves
 * them per pod; a run does each part for all its pods in pod order, which leaves each part as the
 * interleaving does. A run takes pods while each can show its ADD is that: its veth fits
 * (`podPortFits`), its shell is open, host-local gives it addresses, and its gateway is in place
 * (address.ts `gatewayAddrsInPlace`: ensureGatewayAddrs would change nothing). The pod that stops
 * a run after host-local ran for it gets the plugin's ADD with that outcome (bridge-batch.ts
 * `addWithIpam`); any other goes ADD by ADD.
 *
 * The first ADD itself ({@link addFirst}) is a run of one on a node without the bridge: the
 * bridge made and up as one kernel verb (kernel/link/bridge-up.ts `addBridgeUp`, which is all
 * `ensureBridge` does there), the pod's host side as the run's verb on the bridge as it then
 * stands (its MAC not yet pinned: it follows the port), then `ensureGatewayAddrs` verb by verb
 * (the gateway address, the MAC pinned, forwarding), where the ADD does them: after the pod's
 * end came up, before its masquerade rules. It is taken when the pod fits the run and the
 * gateway addresses cannot be refused (address.ts `gatewayAddrsAddable`); otherwise the pod gets
 * the plugin's ADD, which finds the bridge as the verb left it (as its own `ensureBridge` would).
 * bridge-batch.property.test.ts compares the worlds.
 */
import type { Ip } from '../addr/ip.js';
import { parseMac } from '../addr/mac.js';
import { InternalError } from '../diag/diagnostic.js';
import { devAddrs } from '../kernel/addr.js';
import { inSandboxLater, isOpenShell } from '../kernel/deferred-sandbox.js';
import { addBridgeUp } from '../kernel/link/bridge-up.js';
import { addVethEnd } from '../kernel/link/link.js';
import { type PodPort, type PodPortsHost, type PodPortsPlan, planPodPorts } from '../kernel/link/pod-ports.js';
import type { Netns } from '../kernel/netns.js';
import { type Gateways, calcGateways, configureIfaceLater, ensureGatewayAddrs, gatewayAddrsAddable, gatewayAddrsInPlace } from './bridge/address.js';
import { setupIpMasq } from './bridge/ipmasq.js';
import { bridgeInPlace, sandboxPath } from './bridge/link.js';
import { bridgeResult, resultDns } from './bridge/result.js';
import { type IpamOutcome, type LoadedBatch, addWithIpam, allocateFor, loadBatch } from './bridge-batch.js';
import { formatChainName, formatComment, hostVethName } from './naming.js';
import { ok } from './outcome.js';
import type { CniRegistry } from './registry.js';
import type { CniHost, CniOutcome, CniResult, NetConf, RuntimeConf } from './types.js';

/** One pod's ADD: its runtime config (no `IP=` or `MAC=`) and the addresses it asks host-local for. */
export interface PodAdd {
  readonly rt: RuntimeConf;
  readonly requested: readonly Ip[];
}

/**
 * One pod's ADD done: its result, or what builds it when first asked for (a run's results, which
 * only `show` and the JSON output read: their formatted addresses were a tenth of a node's
 * garbage), and its IPs' addresses (what kubelet parses from the result).
 */
export interface NodeAdded {
  readonly result: CniResult | (() => CniResult);
  readonly ips: readonly Ip[];
}

/** The ADDs of a node's pods, in order; their outcomes, in the same order. */
export type NodeAdds = (pods: readonly PodAdd[]) => CniOutcome<NodeAdded>[];

/** The node batch for `raw` on `host`'s node, or undefined where bridge-batch.ts offers no batch. */
export function bridgeNodeAdds(raw: NetConf, host: CniHost, registry: CniRegistry): NodeAdds | undefined {
  const b = loadBatch(raw, host, registry);
  if (b === undefined) return undefined;
  return (pods) => {
    const out: CniOutcome<NodeAdded>[] = [];
    for (let i = 0; i < pods.length; ) {
      const next = addRun(b, pods, i, out);
      if (next > i) {
        i = next;
        continue;
      }
      const { rt, requested } = pods[i] as PodAdd;
      if (!addFirst(b, rt, requested, out)) out.push(addWithIpam(b, rt, () => allocateFor(b, rt, requested)));
      i++;
    }
    return out;
  };
}

/** A run's pod: its ADD's parts, known before any is done. */
interface RunPod {
  readonly rt: RuntimeConf;
  readonly port: PodPort;
  readonly ips: readonly Ip[];
  readonly gws: Gateways;
}

/**
 * The ADDs of the run starting at `start` (see the module comment), their outcomes pushed on
 * `out`; the index after the run, or `start` when it holds no pod (nothing done).
 */
function addRun(b: LoadedBatch, pods: readonly PodAdd[], start: number, out: CniOutcome<NodeAdded>[]): number {
  const { conf, host } = b;
  const world = host.world;
  const h = podPortsHost(b);
  const ns = world.netns[host.hostNs];
  // Pinned (the first ADD's ensureGatewayAddrs): every ADD of the run re-reads the same bridge MAC.
  const br = ns?.links[conf.bridge];
  const plan = ns !== undefined && br?.kind === 'bridge' && br.macPinned === true && bridgeInPlace(ns, conf) ? planPodPorts(world, h) : undefined;
  if (ns === undefined || plan === undefined) return start;
  // The bridge's addresses stay as they are through the run (only the veths' host ends gain any).
  const first4 = conf.isGateway ? devAddrs(ns, conf.bridge, 4)[0] : undefined;
  const run: RunPod[] = [];
  let stop: { rt: RuntimeConf; ipam: IpamOutcome } | undefined;
  for (let i = start; i < pods.length; i++) {
    const { rt, requested } = pods[i] as PodAdd;
    const port = podPort(rt);
    if (!isOpenShell(world, rt.netns) || !plan.fits(port)) break;
    const ipam = allocateFor(b, rt, requested);
    const gws = ipam.ok && ipam.value.length > 0 ? calcGateways(conf, ipam.value, b.routes) : undefined;
    if (!ipam.ok || gws === undefined || (conf.isGateway && !gatewayAddrsInPlace(ns, gws, first4))) {
      stop = { rt, ipam };
      break;
    }
    plan.take();
    const ips: Ip[] = [];
    for (const ipc of ipam.value) ips.push(ipc.address.addr);
    run.push({ rt, port, ips, gws });
  }
  if (run.length === 0 && stop === undefined) return start;
  hostSides(b, h, ns, plan, run, out);
  if (stop === undefined) return start + run.length;
  const ipam = stop.ipam;
  out.push(addWithIpam(b, stop.rt, () => ipam));
  return start + run.length + 1;
}

/** The run's host: the node's bridge, the pairs' MTU, the ports' hairpin setting. */
function podPortsHost(b: LoadedBatch): PodPortsHost {
  const { conf, host } = b;
  return { host: host.hostNs, master: conf.bridge, mtu: conf.mtu > 0 ? conf.mtu : undefined, hairpin: conf.hairpinMode };
}

/** The pod's pair: setupVeth's first name (freeHostName's attempt 0), which the plan's checks find free. */
function podPort(rt: RuntimeConf): PodPort {
  return { shell: rt.netns, name: rt.ifName, peer: hostVethName(rt.containerId, rt.ifName) };
}

/**
 * The node's first ADD, onto a node without its bridge, as a run of one (see the module comment);
 * false, having done nothing, when the bridge verb declines or the pod's shell is not open (the
 * caller runs the plugin's ADD).
 */
function addFirst(b: LoadedBatch, rt: RuntimeConf, requested: readonly Ip[], out: CniOutcome<NodeAdded>[]): boolean {
  const { conf, host } = b;
  const world = host.world;
  const ns = world.netns[host.hostNs];
  if (ns === undefined || ns.links[conf.bridge] !== undefined || !isOpenShell(world, rt.netns)) return false;
  const h = podPortsHost(b);
  if (!addBridgeUp(world, host.hostNs, conf.bridge, h.mtu)) return false;
  // The bridge as ensureBridge leaves it: the ADD's bridgeMac, which ensureGatewayAddrs pins.
  const bridgeMac = parseMac(ns.links[conf.bridge]?.mac ?? '');
  const plan = planPodPorts(world, h);
  const port = podPort(rt);
  const ipam = plan !== undefined && plan.fits(port) ? allocateFor(b, rt, requested) : undefined;
  const gws = ipam?.ok === true && ipam.value.length > 0 ? calcGateways(conf, ipam.value, b.routes) : undefined;
  if (plan === undefined || ipam === undefined || gws === undefined || (conf.isGateway && !gatewayAddrsAddable(ns, conf, gws))) {
    out.push(addWithIpam(b, rt, ipam === undefined ? () => allocateFor(b, rt, requested) : () => ipam));
    return true;
  }
  plan.take();
  const ips: Ip[] = [];
  for (const ipc of gws.ips) ips.push(ipc.address.addr);
  hostSides(b, h, ns, plan, [{ rt, port, ips, gws }], out, () => {
    if (!conf.isGateway) return;
    const done = ensureGatewayAddrs(host, conf, gws, bridgeMac);
    if (!done.ok) throw new InternalError(`first ADD on ${host.hostNs}: ${done.error.msg}`);
  });
  return true;
}

/**
 * What the run's ADDs do: the shells' queued work, the kernel verb, `afterPorts` (the first ADD's
 * gateway), masquerade, the results.
 */
function hostSides(b: LoadedBatch, h: PodPortsHost, ns: Netns, plan: PodPortsPlan, run: readonly RunPod[], out: CniOutcome<NodeAdded>[], afterPorts?: () => void): void {
  const { conf, host } = b;
  const world = host.world;
  // In each shell's queue as setupVeth, then configureIface, put them there.
  for (const p of run) {
    const end = { ns: p.rt.netns, name: p.rt.ifName, peer: p.port.peer, peerNs: h.host, mtu: h.mtu, mac: undefined };
    inSandboxLater(world, p.rt.netns, () => addVethEnd(world, end));
    configureIfaceLater(host, conf, p.rt, p.gws);
  }
  plan.apply();
  afterPorts?.();
  if (conf.ipMasq) {
    for (const p of run) {
      const target = { chain: formatChainName(conf.name, p.rt.containerId), comment: formatComment(conf.name, p.rt.containerId) };
      for (const ipc of p.gws.ips) setupIpMasq(host, ipc.address, target);
    }
  }
  // What each ADD re-reads at its end: the bridge's MAC (pinned through a run; as a first ADD's gateway or port left it), the two ends' (made by the verb).
  const bridgeMac = ns.links[conf.bridge]?.mac ?? '';
  for (const p of run) {
    const peerMac = ns.links[p.port.peer]?.mac ?? '';
    const podMac = (world.netns[p.rt.netns] as Netns).links[p.rt.ifName]?.mac ?? '';
    const { rt, gws } = p;
    const result = (): CniResult => {
      const interfaces = [
        { name: conf.bridge, mac: bridgeMac },
        { name: p.port.peer, mac: peerMac },
        { name: rt.ifName, mac: podMac, sandbox: sandboxPath(rt) },
      ];
      return bridgeResult(conf.cniVersion, interfaces, gws, resultDns(conf.dns));
    };
    out.push(ok({ result, ips: p.ips }));
  }
}
