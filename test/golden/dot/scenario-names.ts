/** Node names and trace pairs of a scenario, read from the built cluster, for the diagram goldens. */
import { BUILTIN_CNI_PLUGINS } from '../../../src/cni/builtins.js';
import { createCniRegistry } from '../../../src/cni/registry.js';
import { buildCluster } from '../../../src/cluster/assemble/cluster.js';
import { loadScenario } from '../../../src/scenario/index.js';
import { simContext } from '../../../src/sim/context.js';

/** What the goldens draw for a scenario: every node and underlay router, and the first pod to each Service and to the last pod. */
export function scenarioNames(text: string): { nodes: string[]; routers: string[]; traces: [string, string][]; pods: string[]; services: string[] } {
  const spec = loadScenario([{ path: 'scenario.yaml', text }]).value;
  if (spec === undefined) throw new Error('scenario does not load');
  const built = buildCluster(spec, { cni: createCniRegistry(BUILTIN_CNI_PLUGINS), ctx: simContext(1) }).value;
  if (built === undefined) throw new Error('scenario does not build');
  // The scenario's own pods and Services: the DNS addon's (no pos) have their goldens in dns.yaml's.
  const pods = built.pods.filter((p) => !p.pod.hostNetwork && p.pod.pos !== undefined).map((p) => `${p.pod.namespace}/${p.pod.name}`);
  const services = built.spec.services.filter((s) => s.name !== 'kubernetes' && s.pos !== undefined && s.type !== 'ExternalName').map((s) => `svc/${s.namespace}/${s.name}`);
  const first = pods[0];
  const last = pods[pods.length - 1];
  const traces: [string, string][] = first === undefined ? [] : services.map((s): [string, string] => [first, s]);
  if (first !== undefined && last !== undefined && last !== first) traces.push([first, last]);
  return { nodes: built.spec.nodes.map((n) => n.name), routers: (built.spec.cluster.underlay?.routers ?? []).map((r) => r.name), traces, pods: built.pods.map((p) => p.pod.name), services: built.spec.services.map((s) => s.name) };
}
