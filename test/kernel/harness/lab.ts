/**
 * A namespace lab for one differential case:
 *
 *   sender ns ──veth── host ns (the node under test) ──veth── sink ns
 *    eth0        <in dev>        rules, addresses       <out dev>     eth0
 *
 * Devices that only carry addresses get a veth to the sink too. The host gets the case's addresses, `ip_forward=1`, `rp_filter=0` and `accept_local=1` (so any
 * source address is accepted on the in device), a default route through the out device to a
 * gateway that exists only as a permanent neighbour entry pointing at the sink, and the rules
 * file loaded with iptables-restore. Nothing is configured in the root namespace; the sink has
 * no address and does not forward, so nothing can leave the lab.
 */
import { deleteNamespace, newPrefix } from './namespaces.js';
import { inNs, must } from './sh.js';

/** What the lab is built from. */
export interface LabSpec {
  /** The device the packet arrives on; absent for a locally generated packet (no sender ns). */
  readonly inDev?: string;
  /** The device routes point at (always present: locally generated and forwarded packets leave through it). */
  readonly outDev: string;
  /** Addresses of the host, per device (`lo` allowed), as CIDRs. */
  readonly addrs: Readonly<Record<string, readonly string[]>>;
  /** iptables-restore input. */
  readonly rules: string;
  /** `ipset restore` input, loaded before the rules (sets are per namespace). */
  readonly ipsets?: string;
}

/** A built lab. Call {@link Lab.dispose} in a `finally`. */
export interface Lab {
  readonly prefix: string;
  readonly host: string;
  readonly sink: string;
  readonly sender?: string;
  /** MAC of the host's in device and of the sender's eth0 (frame mode). */
  readonly hostInMac?: string;
  readonly senderMac?: string;
  dispose(): string[];
}

const GATEWAY = '169.254.77.2';

/** Builds the lab; on any failure the namespaces made so far are deleted and the error rethrown. */
export function buildLab(spec: LabSpec): Lab {
  const prefix = newPrefix();
  const host = `${prefix}host`;
  const sink = `${prefix}sink`;
  const sender = spec.inDev !== undefined ? `${prefix}send` : undefined;
  const made: string[] = [];
  const dispose = (): string[] => made.flatMap((n) => deleteNamespace(n) ?? []).filter((e) => e !== '');
  try {
    for (const ns of [host, sink, ...(sender !== undefined ? [sender] : [])]) {
      must('ip', ['netns', 'add', ns]);
      made.push(ns);
      must('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    }
    wire(host, spec.outDev, sink);
    if (spec.inDev !== undefined && sender !== undefined) wire(host, spec.inDev, sender);
    const extra = Object.keys(spec.addrs).filter((d) => d !== 'lo' && d !== spec.inDev && d !== spec.outDev);
    extra.forEach((dev, i) => wire(host, dev, sink, `extra${i}`));
    for (const [dev, cidrs] of Object.entries(spec.addrs)) for (const c of cidrs) must('ip', ['-n', host, 'addr', 'add', c, 'dev', dev]);
    hostSysctls(host, spec.inDev);
    must('ip', ['-n', host, 'route', 'add', 'default', 'via', GATEWAY, 'dev', spec.outDev, 'onlink']);
    must('ip', ['-n', host, 'neigh', 'replace', GATEWAY, 'lladdr', mac(sink, 'eth0'), 'dev', spec.outDev, 'nud', 'permanent']);
    if (spec.ipsets !== undefined) inNs(host, 'ipset', ['restore'], spec.ipsets);
    inNs(host, 'iptables-restore', [], spec.rules);
    return {
      prefix,
      host,
      sink,
      ...(sender !== undefined && spec.inDev !== undefined ? { sender, hostInMac: mac(host, spec.inDev), senderMac: mac(sender, 'eth0') } : {}),
      dispose,
    };
  } catch (e) {
    dispose();
    throw e;
  }
}

/** A veth from `dev` in the host to `peerDev` in `peerNs`, both up; created inside the host ns. */
function wire(host: string, dev: string, peerNs: string, peerDev = 'eth0'): void {
  must('ip', ['-n', host, 'link', 'add', dev, 'type', 'veth', 'peer', 'name', peerDev, 'netns', peerNs]);
  must('ip', ['-n', host, 'link', 'set', dev, 'up']);
  must('ip', ['-n', peerNs, 'link', 'set', peerDev, 'up']);
}

function hostSysctls(host: string, inDev: string | undefined): void {
  const keys = ['net.ipv4.ip_forward=1', 'net.ipv4.conf.all.rp_filter=0', 'net.ipv4.conf.default.rp_filter=0', 'net.ipv4.conf.all.accept_local=1'];
  if (inDev !== undefined) keys.push(`net.ipv4.conf.${inDev}.rp_filter=0`, `net.ipv4.conf.${inDev}.accept_local=1`);
  inNs(host, 'sysctl', ['-q', '-w', ...keys]);
}

/** The MAC address of a device. */
export function mac(ns: string, dev: string): string {
  const parsed = JSON.parse(must('ip', ['-n', ns, '-j', 'link', 'show', 'dev', dev])) as { address?: string }[];
  const addr = parsed[0]?.address;
  if (addr === undefined) throw new Error(`no MAC for ${dev} in ${ns}`);
  return addr;
}
