/**
 * The node the `netsim import` round trip dumps, built by hand in namespaces (prefix
 * `nsIM-<pid>-`, deleted by exact name):
 *
 *   pod ──veth── node: br0 (10.1.0.1/24, fd00::1/64) ── eth1 (192.168.1.10/24) ──veth── up
 *                 vxlan0 (id 42 over eth1, 10.2.0.0/32), routes in main and table 100,
 *                 rules (from 10.1.0.0/24, fwmark 0x10/0xff), permanent neighbours, fdb
 *                 (static on a port, remote on vxlan0), an ipset, iptables nat and filter
 *                 rules, an ip6tables rule
 *
 * The pod's and the uplink's namespaces lose their names once built (a process holds each), so
 * the node's `ip addr` says `link-netnsid N` as a node whose pods' namespaces carry no name here
 * does; the dump holds no names either.
 */
import { spawn } from 'node:child_process';
import { deleteNamespace } from '../harness/namespaces.js';
import { inNs, must, run, sleep } from '../harness/sh.js';

/** The built lab. */
export interface ImportLab {
  readonly node: string;
  /** `nsenter` arguments that enter the pod's (unnamed) namespace. */
  readonly podNs: readonly string[];
  dispose(): string[];
}

const SETUP: readonly (readonly string[])[] = [
  ['link', 'set', 'lo', 'up'],
  ['link', 'add', 'br0', 'type', 'bridge'],
  ['link', 'set', 'br0', 'up'],
  ['addr', 'add', '10.1.0.1/24', 'dev', 'br0'],
  ['addr', 'add', 'fd00::1/64', 'dev', 'br0', 'nodad'],
  ['addr', 'add', '192.168.1.10/24', 'dev', 'eth1'],
  ['link', 'set', 'eth1', 'up'],
  ['link', 'add', 'vxlan0', 'type', 'vxlan', 'id', '42', 'local', '192.168.1.10', 'dev', 'eth1', 'dstport', '4789', 'nolearning'],
  ['link', 'set', 'vxlan0', 'up'],
  ['addr', 'add', '10.2.0.0/32', 'dev', 'vxlan0'],
  ['route', 'add', '10.9.0.0/16', 'via', '192.168.1.1', 'dev', 'eth1', 'table', '100', 'proto', 'static', 'metric', '5'],
  ['route', 'add', 'blackhole', '10.8.0.0/16', 'table', '100'],
  ['route', 'add', 'default', 'via', '192.168.1.1', 'dev', 'eth1'],
  ['route', 'add', '10.3.0.0/24', 'via', '10.3.0.0', 'dev', 'vxlan0', 'onlink'],
  ['-6', 'route', 'add', 'fd01::/64', 'via', 'fd00::2', 'dev', 'br0', 'metric', '10'],
  ['rule', 'add', 'from', '10.1.0.0/24', 'lookup', '100', 'priority', '100'],
  ['rule', 'add', 'fwmark', '0x10/0xff', 'lookup', '100', 'priority', '200'],
  ['neigh', 'add', '192.168.1.1', 'lladdr', '02:00:00:00:00:01', 'dev', 'eth1', 'nud', 'permanent'],
  ['neigh', 'add', '10.3.0.0', 'lladdr', '02:00:00:00:00:03', 'dev', 'vxlan0', 'nud', 'permanent'],
];

const IPTABLES = `*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A POSTROUTING -s 10.1.0.0/24 ! -o br0 -j MASQUERADE
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A FORWARD -m set --match-set kube-x src -j DROP
-A FORWARD -p tcp -m tcp --dport 22 -j REJECT --reject-with icmp-port-unreachable
COMMIT
`;

/** Starts `sleep` inside `ns` so the namespace outlives its name; returns its pid. */
function holder(ns: string): number {
  const child = spawn('ip', ['netns', 'exec', ns, 'sleep', '600'], { stdio: 'ignore', detached: false });
  if (child.pid === undefined) throw new Error(`cannot start a process in ${ns}`);
  child.unref();
  return child.pid;
}

/** Builds the node; on failure what was made is removed and the error rethrown. */
export async function buildImportLab(prefix: string): Promise<ImportLab> {
  const node = `${prefix}node`;
  const pod = `${prefix}pod`;
  const up = `${prefix}up`;
  const named = [node, pod, up];
  const pids: number[] = [];
  const dispose = (): string[] => {
    const errs = named.flatMap((n) => (run('ip', ['netns', 'list']).stdout.includes(n) ? [deleteNamespace(n) ?? ''] : []));
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    }
    return errs.filter((e) => e !== '');
  };
  try {
    for (const ns of named) must('ip', ['netns', 'add', ns]);
    must('ip', ['-n', node, 'link', 'add', 'veth0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', pod]);
    must('ip', ['-n', node, 'link', 'add', 'eth1', 'type', 'veth', 'peer', 'name', 'up0', 'netns', up]);
    for (const args of SETUP) must('ip', ['-n', node, ...args]);
    must('ip', ['-n', node, 'link', 'set', 'veth0', 'master', 'br0', 'up']);
    for (const [ns, dev] of [[pod, 'eth0'], [pod, 'lo'], [up, 'up0'], [up, 'lo']] as const) must('ip', ['-n', ns, 'link', 'set', dev, 'up']);
    must('bridge', ['-n', node, 'fdb', 'append', '02:00:00:00:00:03', 'dev', 'vxlan0', 'dst', '192.168.1.20', 'self', 'permanent']);
    must('bridge', ['-n', node, 'fdb', 'add', '02:00:00:00:00:09', 'dev', 'veth0', 'master', 'static']);
    inNs(node, 'ipset', ['restore'], 'create kube-x hash:ip family inet hashsize 1024 maxelem 65536\nadd kube-x 10.1.0.5\ncreate kube-n hash:net family inet hashsize 1024 maxelem 65536\nadd kube-n 10.9.0.0/16\nadd kube-n 10.9.9.0/24 nomatch\n');
    inNs(node, 'iptables-restore', [], IPTABLES);
    inNs(node, 'ip6tables', ['-A', 'INPUT', '-s', 'fd01::/64', '-j', 'DROP']);
    inNs(node, 'sysctl', ['-q', '-w', 'net.ipv4.ip_forward=1', 'net.ipv4.conf.all.rp_filter=0', 'net.ipv4.conf.default.rp_filter=0', 'net.ipv4.conf.br0.rp_filter=0']);
    for (const ns of [pod, up]) pids.push(holder(ns));
    await sleep(300);
    // The peers' namespaces lose their names; the processes keep them alive.
    for (const ns of [pod, up]) must('ip', ['netns', 'delete', ns]);
    return { node, podNs: [`--net=/proc/${pids[0]}/ns/net`], dispose };
  } catch (e) {
    dispose();
    throw e;
  }
}
