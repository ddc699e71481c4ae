/**
 * One example input for every documented error code, in docs/errors.md order within each family.
 * errors.test.ts runs each one and writes the table of docs/errors.md from what they produce,
 * so the table's examples and messages are what netsim prints today.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cidr } from '../../src/addr/cidr.js';
import { ip } from '../../src/addr/ip.js';
import { addFlannelPeers } from '../../src/cluster/assemble/flannel.js';
import { decodeUtf8, writeUserFile } from '../../src/cli/files.js';
import type { CliIo } from '../../src/cli/io.js';
import { BUILTIN_CNI_PLUGINS } from '../../src/cni/builtins.js';
import { createCniRegistry } from '../../src/cni/registry.js';
import { buildCluster } from '../../src/cluster/assemble/cluster.js';
import type { ClusterSpec } from '../../src/cluster/objects.js';
import type { Diagnostic } from '../../src/diag/diagnostic.js';
import { defaultScenarioFiles, loadScenario } from '../../src/scenario/index.js';
import { simContext } from '../../src/sim/context.js';
import { addRoute } from '../../src/kernel/route/table.js';
import { importNodeDump } from '../../src/kernel/import/node-dump.js';
import { getNetns } from '../../src/kernel/world.js';
import { calicoTestCluster } from '../helpers/calico.js';
import type { ErrorCase } from './produce.js';
import { SCENARIO_CASES, portExhaustedCase } from './scenario-cases.js';

const filter = (body: string): string => `*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n${body}\nCOMMIT\n`;
const nat = (body: string): string => `*nat\n:PREROUTING ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n${body}\nCOMMIT\n`;

/** The diagnostic of a read, if any. */
function diagnosticOf(r: { text: string } | { diagnostic: Diagnostic }): readonly Diagnostic[] {
  return 'diagnostic' in r ? [r.diagnostic] : [];
}

/** A CLI io whose writes fail with the errno `code`, as the file system would. */
function failingWrites(code: string): CliIo {
  return {
    stdout: () => undefined,
    stderr: () => undefined,
    readFile: () => '',
    writeFile: () => {
      throw Object.assign(new Error(code), { code });
    },
    isTTY: false,
    env: {},
  };
}

/** INPUT → C1 → … → Cn: n chains below a built-in chain. */
function ladder(n: number): string {
  const chains = Array.from({ length: n }, (_, i) => `C${i + 1}`);
  return [...chains.map((c) => `:${c} - [0:0]`), ...chains.map((c, i) => `-A ${i === 0 ? 'INPUT' : chains[i - 1]} -j ${c}`)].join('\n');
}

/** `layers` layers of `width` chains, each jumping to every chain of the next layer. */
function lattice(layers: number, width: number): string {
  const name = (l: number, i: number): string => `L${l}_${i}`;
  const lines: string[] = [];
  for (let l = 0; l < layers; l++) for (let i = 0; i < width; i++) lines.push(`:${name(l, i)} - [0:0]`);
  for (let l = 0; l < layers; l++) {
    for (let i = 0; i < width; i++) {
      if (l === 0) lines.push(`-A INPUT -j ${name(l, i)}`);
      if (l + 1 < layers) for (let j = 0; j < width; j++) lines.push(`-A ${name(l, i)} -j ${name(l + 1, j)}`);
    }
  }
  return lines.join('\n');
}

/** The default scenario, changed after loading (codes the loader cannot produce, only the build); a
 * changed field may hold what its type forbids, as a bug upstream of the build would. */
function buildChanged(change: (spec: ClusterSpec) => ClusterSpec, files = defaultScenarioFiles()): readonly Diagnostic[] {
  const spec = loadScenario(files).value;
  if (spec === undefined) throw new Error('the default scenario does not load');
  return buildCluster(change(spec), { cni: createCniRegistry(BUILTIN_CNI_PLUGINS), ctx: simContext(1), eager: true }).diagnostics;
}

const IPTABLES: readonly ErrorCase[] = [
  { code: 'IPT_NO_TABLE', source: { kind: 'iptables', text: '-A INPUT -j ACCEPT\n' } },
  { code: 'IPT_UNKNOWN_TABLE', source: { kind: 'iptables', text: '*bogus\n:X - [0:0]\nCOMMIT\n' } },
  { code: 'IPT_MISSING_COMMIT', source: { kind: 'iptables', text: '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j ACCEPT\n' } },
  { code: 'IPT_BAD_LINE', source: { kind: 'iptables', text: filter('-j ACCEPT -s 1.2.3.4') } },
  { code: 'IPT_UNSUPPORTED_COMMAND', source: { kind: 'iptables', text: filter('-D INPUT 1') } },
  { code: 'IPT_IGNORED_COUNTERS', source: { kind: 'iptables', text: filter(':MINE - [x:y]') } },
  { code: 'IPT_BAD_POLICY', source: { kind: 'iptables', text: '*filter\n:INPUT REJECT [0:0]\nCOMMIT\n' } },
  { code: 'IPT_USER_CHAIN_POLICY', source: { kind: 'iptables', text: filter(':MINE ACCEPT [0:0]') } },
  { code: 'IPT_BAD_CHAIN_NAME', source: { kind: 'iptables', text: filter(':ABCDEFGHIJKLMNOPQRSTUVWXYZ123 - [0:0]') } },
  { code: 'IPT_UNKNOWN_CHAIN', source: { kind: 'iptables', text: filter('-A INPUT -j KUBE-SERVICES') } },
  { code: 'IPT_CHAIN_LOOP', source: { kind: 'iptables', text: filter(':A - [0:0]\n:B - [0:0]\n-A INPUT -j A\n-A A -p tcp -j B\n-A B -p udp -j A') } },
  { code: 'IPT_CHAIN_TOO_DEEP', source: { kind: 'iptables', text: filter(ladder(16)) } },
  { code: 'IPT_CHAIN_WALK_TOO_LONG', source: { kind: 'iptables', text: filter(lattice(7, 8)) } },
  { code: 'IPT_WEIRD_INTERFACE', source: { kind: 'iptables', text: filter('-A INPUT -i eth/0 -j ACCEPT') } },
  { code: 'IPT_UNKNOWN_MATCH', source: { kind: 'iptables', text: filter('-A INPUT -m frobnicate --level 3 -j ACCEPT') } },
  { code: 'IPT_UNKNOWN_TARGET', source: { kind: 'iptables', text: filter('-A INPUT -j NFQUEUE') } },
  { code: 'IPT_BAD_OPTION', source: { kind: 'iptables', text: filter('-A INPUT -p tcp --dport 20:10 -j ACCEPT') } },
  { code: 'IPT_MISSING_ARG', source: { kind: 'iptables', text: nat('-A PREROUTING -j DNAT') } },
  { code: 'IPT_BAD_ADDRESS', source: { kind: 'iptables', text: filter('-A INPUT -s 10.0.0.300 -j ACCEPT') } },
  { code: 'IPT_UNTERMINATED_QUOTE', source: { kind: 'iptables', text: filter('-A INPUT -m comment --comment "oops -j ACCEPT') } },
  { code: 'IPT_PARAMETER_TOO_LONG', source: { kind: 'iptables', text: filter(`-A INPUT -m comment --comment ${'x'.repeat(1024)} -j ACCEPT`) } },
  { code: 'IPT_WRONG_CHAIN', source: { kind: 'iptables', text: filter('-A INPUT -p tcp -j DNAT --to-destination 1.2.3.4') } },
  { code: 'IPT_UNKNOWN_SET', source: { kind: 'iptables', text: filter('-A INPUT -m set --match-set KUBE-CLUSTER-IP dst,dst -j ACCEPT'), ipsets: ['OTHER'] } },
  { code: 'IPSET_BAD_LINE', source: { kind: 'ipset', text: 'flush s' } },
  { code: 'IPSET_UNKNOWN_TYPE', source: { kind: 'ipset', text: 'create s hash:mac' } },
  { code: 'IPSET_UNKNOWN_SET', source: { kind: 'ipset', text: 'add nope 1.2.3.4' } },
  { code: 'IPSET_DUPLICATE_SET', source: { kind: 'ipset', text: 'create s hash:ip\ncreate s hash:ip' } },
  { code: 'IPSET_BAD_ELEMENT', source: { kind: 'ipset', text: 'create s hash:ip\nadd s 1.2.3.4/33' } },
  { code: 'NFT_SYNTAX', source: { kind: 'nft', text: 'table ip t {\n  chain c {\n    ip daddr 10.0.0.1 accept )\n  }\n}\n' } },
  { code: 'NFT_UNSUPPORTED', source: { kind: 'nft', text: 'add table ip t\nadd chain ip t c\nadd rule ip t c ip ttl 1 drop\n' } },
  { code: 'NFT_BAD_VALUE', source: { kind: 'nft', text: 'add table ip t\nadd chain ip t c\nadd rule ip t c ip daddr 300.1.1.1 drop\n' } },
  { code: 'NFT_NO_SUCH_TABLE', source: { kind: 'nft', text: 'add chain ip nosuch c\n' } },
  { code: 'NFT_NO_SUCH_CHAIN', source: { kind: 'nft', text: 'add table ip t\nadd chain ip t c\nadd rule ip t c jump services\n' } },
  { code: 'NFT_NO_SUCH_SET', source: { kind: 'nft', text: 'add table ip t\nadd chain ip t c\nadd rule ip t c ip daddr @cluster-ips drop\n' } },
];

const COMMAND_LINE: readonly ErrorCase[] = [
  { code: 'FILE_UNREADABLE', source: { kind: 'cli', argv: ['trace', 'pod-a', 'service-b', '-f', 'no/such.yaml'] } },
  {
    code: 'FILE_NOT_UTF8',
    source: { kind: 'build', describe: 'a scenario saved as Latin-1: `# café` with é as the byte 0xE9', run: () => diagnosticOf(decodeUtf8('s.yaml', Uint8Array.from([...new TextEncoder().encode('# caf'), 0xe9, 0x0a]))) },
  },
  {
    code: 'FILE_UNWRITABLE',
    source: { kind: 'build', describe: '`netsim diagram -o nowhere/x.svg`, where the folder nowhere does not exist', run: () => [writeUserFile(failingWrites('ENOENT'), 'nowhere/x.svg', '')].flatMap((d) => (d === undefined ? [] : [d])) },
  },
  { code: 'SESSION_BAD_STEP', source: { kind: 'cli', argv: ['trace', 'pod-a', 'service-b', '--then', 'wait 1h 30m'] } },
  { code: 'SESSION_NOT_A_LIST', source: { kind: 'cli', argv: ['trace', 'pod-a', 'service-b', '--session', 'session.yaml'], files: { 'session.yaml': 'steps: [again]\n' } } },
  { code: 'SESSION_YAML_SYNTAX', source: { kind: 'cli', argv: ['trace', 'pod-a', 'service-b', '--session', 'session.yaml'], files: { 'session.yaml': '- again\n- "wait 10s\n' } } },
  { code: 'SESSION_STEP_REFUSED', source: { kind: 'cli', argv: ['trace', 'pod-a', 'service-b', '--then', 'delete pod b-9'] } },
  { code: 'CLI_BATCH_BAD_LINE', source: { kind: 'cli', argv: ['trace', '--batch', 'flows.txt'], files: { 'flows.txt': 'pod-a service-b --port 70000\n' } } },
  { code: 'CLI_BATCH_NO_FLOW', source: { kind: 'cli', argv: ['trace', '--batch', 'flows.txt'], files: { 'flows.txt': 'pod-a service-c\n' } } },
  {
    code: 'CNI_ADD_FAILED',
    source: { kind: 'build', describe: 'a pod on a node whose CNI plugin type no plugin provides (a spec changed after loading)', run: () => buildChanged((s) => ({ ...s, cluster: { ...s.cluster, cni: { ...s.cluster.cni, type: 'nosuch' } as unknown as ClusterSpec['cluster']['cni'] } })) },
  },
  {
    code: 'KUBE_PROXY_RESTORE_FAILED',
    source: {
      kind: 'build',
      describe: "a Service port kube-proxy writes but iptables refuses (port 70000, in a spec changed after loading)",
      run: () => buildChanged((s) => ({ ...s, services: s.services.map((svc, i) => (i === s.services.length - 1 ? { ...svc, ports: svc.ports.map((p) => ({ ...p, port: 70000 })) } : svc)) })),
    },
  },
];

const FLANNEL_HOST_GW = [{ path: 'scenarios/flannel-host-gw.yaml', text: readFileSync(join(import.meta.dirname, '../../scenarios/flannel-host-gw.yaml'), 'utf8') }];

const STRICT_POOL = [
  {
    path: 'scenarios/calico-pool-exhaustion.yaml',
    text: readFileSync(join(import.meta.dirname, '../../scenarios/calico-pool-exhaustion.yaml'), 'utf8').replace(/^  strictAffinity: false$/m, '  strictAffinity: true'),
  },
];
const TWO_RACKS = [{ path: 'scenarios/two-racks.yaml', text: readFileSync(join(import.meta.dirname, '../../scenarios/two-racks.yaml'), 'utf8') }];

const BUILD: readonly ErrorCase[] = [
  {
    code: 'HOST_ROUTE_REFUSED',
    source: { kind: 'build', describe: 'scenarios/two-racks.yaml: the bridge CNI\'s host-gw routes to a node behind the router', run: () => buildChanged((s) => s, TWO_RACKS) },
  },
  {
    code: 'CALICO_ROUTE_REFUSED',
    source: {
      kind: 'build',
      describe: 'BIRD on node-1 learns node-3\'s block 10.244.7.0/26, but an administrator\'s static route for it is already there (File exists)',
      run: () => calicoTestCluster({ ipipMode: 'Never', vxlanMode: 'Never' }, (w) => addRoute(getNetns(w, 'node-1'), { dst: cidr('10.244.7.0/26'), via: ip('192.168.1.1'), dev: 'eth0', proto: 'static' })).routes.diagnostics,
    },
  },
  {
    code: 'CALICO_TUNNEL_ADDRESS',
    source: { kind: 'build', describe: 'scenarios/calico-pool-exhaustion.yaml with strictAffinity: true: node-3 finds no block for its tunl0 address', run: () => buildChanged((s) => s, STRICT_POOL) },
  },
  {
    code: 'POD_SANDBOX_FAILED',
    source: { kind: 'build', describe: 'scenarios/calico-pool-exhaustion.yaml with strictAffinity: true: calico-ipam has no address for the pod lonely on node-3', run: () => buildChanged((s) => s, STRICT_POOL) },
  },
  {
    code: 'FLANNEL_ROUTE_FAILED',
    source: {
      kind: 'build',
      describe: 'flannel host-gw on node-1 with a peer whose address is off node-1’s network (192.168.99.5)',
      run: () => {
        const spec = loadScenario(FLANNEL_HOST_GW).value;
        const built = spec === undefined ? undefined : buildCluster(spec, { cni: createCniRegistry(BUILTIN_CNI_PLUGINS), ctx: simContext(1) }).value;
        const first = built?.spec.nodes[0];
        if (built === undefined || first === undefined) throw new Error('scenarios/flannel-host-gw.yaml does not build');
        const far = { name: 'far', labels: {}, internalIPs: [ip('192.168.99.5')], podCIDRs: [cidr('10.244.9.0/24')] };
        return addFlannelPeers(built.world, { type: 'flannel', backend: 'host-gw', directRouting: false, ipMasq: true, mtu: 'auto' }, [first, far]).diagnostics;
      },
    },
  },
];

/** `netsim import DIR`: the dump's files as the importer sees them. */
const dump = (files: Record<string, string>): (() => readonly Diagnostic[]) => () => importNodeDump(files, { dir: 'dump' }).diagnostics;
const LO = '{"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP","LOWER_UP"],"link_type":"loopback","address":"00:00:00:00:00:00"}';

const NODE_DUMP: readonly ErrorCase[] = [
  { code: 'HOST_DUMP_JSON', source: { kind: 'build', describe: 'dump/route.json: [{"dst":"10.0.0.0/8",}]', run: dump({ 'link.json': `[${LO}]`, 'route.json': '[{"dst":"10.0.0.0/8",}]' }) } },
  { code: 'HOST_DUMP_FIELD', source: { kind: 'build', describe: 'dump/link.json: [{"ifindex":"1","ifname":"lo"}]', run: dump({ 'link.json': '[{"ifindex":"1","ifname":"lo"}]' }) } },
  { code: 'HOST_DUMP_MISSING', source: { kind: 'build', describe: 'a dump folder with route.json but neither link.json nor addr.json', run: dump({ 'route.json': '[]' }) } },
  { code: 'HOST_DUMP_UNMODELLED', source: { kind: 'build', describe: 'dump/route.json: [{"dst":"10.0.0.0/8","nexthops":[…]}] (a multipath route)', run: dump({ 'link.json': `[${LO}]`, 'route.json': '[{"dst":"10.0.0.0/8","nexthops":[{"gateway":"1.1.1.1","dev":"lo"}],"flags":[]}]' }) } },
  {
    code: 'HOST_DUMP_DUPLICATE',
    source: { kind: 'build', describe: 'an iptables-nft node: nft-ruleset.txt lists table ip filter, which iptables-save.txt holds', run: dump({ 'link.json': `[${LO}]`, 'iptables-save.txt': '*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n', 'nft-ruleset.txt': 'table ip filter {\n\tchain INPUT {\n\t\ttype filter hook input priority filter; policy accept;\n\t}\n}\n' }) },
  },
];

/** Every example, scenario codes first. */
export const ERROR_CASES: readonly ErrorCase[] = [
  ...SCENARIO_CASES.map(([code, text]) => ({ code, source: { kind: 'scenario' as const, text: (text === '' ? portExhaustedCase() : text).replace('«', '') } })),
  ...IPTABLES,
  ...NODE_DUMP,
  ...COMMAND_LINE,
  ...BUILD,
];
