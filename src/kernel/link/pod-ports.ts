/**
 * A node's pods' veth pairs as one verb: for each pod in turn, what
 *
 *     ip -n SHELL link add NAME type veth peer name PEER netns HOST   (veth-port.ts addVethPort:
 *         ip link set PEER up; ip link set PEER master BRIDGE; bridge link set dev PEER hairpin)
 *     sysctl -w net.ipv6.conf.PEER.accept_ra=0                           (in HOST)
 *     ip -n SHELL link set NAME up                                       (link.ts setShellLinkUp)
 *
 * leave, for the CNI bridge plugin's ADDs of a node's pods into their sandbox shells
 * (cni/bridge-node-batch.ts; kernel/deferred-sandbox.ts). Done one by one, each pod's verbs bring
 * carrier up to date three times, scanning the host for devices awaiting an IPv6 link-local
 * address; here what they would find is known: when nothing in the host awaits one (the bridge
 * has its own), the only change is the new host end gaining carrier as its pod end comes up, which
 * gives it its link-local address (addrconf) then, at the same point of the host's history
 * (sequence numbers). A plan ({@link planPodPorts}) checks each pod before the caller
 * commits to it, then makes them all. pod-ports.property.test.ts compares it with the verbs.
 */
import { InternalError } from '../../diag/diagnostic.js';
import { macFromParts } from '../../addr/mac.js';
import { devAddrs } from '../addr.js';
import type { Netns } from '../netns.js';
import { setDeviceSysctl } from '../sysctl.js';
import { addrconf } from './carrier.js';
import { awaitingLinkLocal, putLink } from './link-index.js';
import { type Namespaces, isFreeName, vethPortEnd } from './link.js';
import { joinedBridge } from './port.js';
import type { Bridge, Link } from './types.js';

/** The pods' common side: the host namespace, its bridge, the pairs' MTU and the ports' hairpin setting. */
export interface PodPortsHost {
  readonly host: string;
  readonly master: string;
  readonly mtu?: number | undefined;
  readonly hairpin: boolean;
}

/** One pod: its end `name` in the namespace `shell`, the host end `peer`. */
export interface PodPort {
  readonly shell: string;
  readonly name: string;
  readonly peer: string;
}

/**
 * The pods of one {@link addPodPorts}, checked as they are added to it: {@link planPodPorts}
 * checks the host, {@link PodPortsPlan.fits} each pod against the world and the pods before it.
 * Nothing but the plan may change the host or the shells between the checks and `apply` (the CNI
 * batch runs host-local in between, which writes only its store).
 */
export interface PodPortsPlan {
  /** Adds `pod` and says true when none of its verbs can fail and they do nothing the verb does not know; false (nothing added) otherwise. */
  fits(pod: PodPort): boolean;
  /** Adds the pod last found to fit to the pods {@link apply} makes (a caller may check, then decline). */
  take(): void;
  /** The verbs of the module comment for each pod taken, in order. */
  apply(): void;
}

/**
 * A plan of {@link addPodPorts} on `world` as it is now, or undefined when the host is not ready:
 * it and its bridge exist, the bridge is up, and no device of the host awaits its link-local
 * address (so the verbs' carrier passes find nothing but the new ends). The bridge's MAC may be
 * pinned or follow its ports (a node's first pod joins a bridge the plugin pins only after it).
 */
export function planPodPorts(world: Namespaces, h: PodPortsHost): PodPortsPlan | undefined {
  const host = world.netns[h.host];
  const br = host?.links[h.master];
  if (host === undefined || br?.kind !== 'bridge' || !br.up || awaitingLinkLocal(host).length > 0) return undefined;
  const pods: Taken[] = [];
  const taken = new Set<string>();
  const shells = new Set<string>();
  let last: Taken | undefined;
  return {
    fits: (pod) => {
      const shell = world.netns[pod.shell];
      last = shell !== undefined && fits(host, shell, pod, taken, shells) ? { pod, shell } : undefined;
      return last !== undefined;
    },
    take: () => {
      if (last === undefined) throw new InternalError(`pod ports on ${h.host}: nothing fits to take`);
      pods.push(last);
      taken.add(last.pod.peer);
      shells.add(last.pod.shell);
      last = undefined;
    },
    apply: () => addPodPorts(host, h, pods),
  };
}

/** A pod the plan took, with its shell as `fits` found it (looked up once: a cluster has 150,000). */
interface Taken {
  readonly pod: PodPort;
  readonly shell: Netns;
}

/**
 * Whether `pod` may join the plan after the pods whose host ends are in `taken` (and whose shells
 * are in `shells`): the shell exists apart from the host and from the plan's other shells and
 * holds no device; the host end's name is free, valid, new to the plan, holds no address (`up`
 * would install its routes) and has no dot (the sysctl would refuse it).
 */
function fits(host: Netns, shell: Netns, pod: PodPort, taken: ReadonlySet<string>, shells: ReadonlySet<string>): boolean {
  if (shell === host || shells.has(pod.shell)) return false;
  for (const _ in shell.links) return false;
  if (!isFreeName(shell, pod.name) || !isFreeName(host, pod.peer) || taken.has(pod.peer) || pod.peer.includes('.')) return false;
  return devAddrs(host, pod.peer).length === 0;
}

/**
 * The verbs, the pods checked. A pinned bridge is worked out again (br_add_if) after the first
 * port only: its MAC stays, `hadPort` is set from then on, and its MTU follows its smallest port,
 * which the next ports, of the first one's MTU, leave as it is. An unpinned one takes its lowest
 * port's MAC, so it is worked out after each port, as each `master` does.
 */
function addPodPorts(host: Netns, h: PodPortsHost, pods: readonly Taken[]): void {
  for (let i = 0; i < pods.length; i++) {
    const { pod, shell } = pods[i] as Taken;
    // The pod end as `link add` makes it and `link set up` leaves it (Object.assign of up, everUp).
    const end: Link = { kind: 'veth', name: pod.name, ifindex: shell.counters.ifindex++, mtu: h.mtu ?? 1500, mac: macFromParts(shell.name, pod.name), up: true, peer: { ns: h.host, dev: pod.peer }, everUp: true };
    putLink(shell, end);
    const br = host.links[h.master] as Bridge;
    const port = vethPortEnd(host, pod.peer, { ns: pod.shell, dev: pod.name }, h.mtu, h.master, h.hairpin);
    putLink(host, port);
    if (i === 0 || br.macPinned !== true) joinedBridge(host, br);
    // A device's own value: the name is checked (fits: no dot, the device's name valid).
    setDeviceSysctl(host, `net.ipv6.conf.${pod.peer}.accept_ra`, '0');
    // Its pod end is up: the host end has carrier, and is the only device awaiting its address.
    addrconf(host, port);
  }
}
