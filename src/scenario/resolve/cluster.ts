/**
 * The one Cluster object: SCN_NO_CLUSTER without one, SCN_MULTIPLE_CLUSTERS for extras, and
 * SCN_CIDR_OVERLAP when the pod, Service and node networks share addresses (a packet to such
 * an address would have two meanings); the underlay's networks are checked in underlay.ts.
 */
import { type Cidr, cidrOverlaps, formatCidr } from '../../addr/index.js';
import { type Diagnostic, error } from '../../diag/diagnostic.js';
import type { ClusterConfig } from '../../cluster/objects.js';
import type { At, RawCluster } from '../raw.js';
import { child, fail, fieldName } from '../reader.js';
import type { ScenarioFile } from '../source.js';
import { resolveUnderlay } from './underlay.js';

/** Picks the Cluster object and checks its networks; undefined when there is none. */
export function resolveCluster(raw: readonly RawCluster[], files: readonly ScenarioFile[], diags: Diagnostic[]): ClusterConfig | undefined {
  const [first, ...extra] = raw;
  for (const c of extra) fail(child(c.field, 'kind'), 'SCN_MULTIPLE_CLUSTERS', `a scenario describes one cluster; this second Cluster (${c.name}) is ignored`);
  if (first === undefined) {
    const file = files[0]?.path ?? '(no files)';
    diags.push(error('SCN_NO_CLUSTER', 'no Cluster object: add a document with apiVersion netsim.dev/v1alpha1, kind Cluster', { file, line: 1, col: 1 }));
    return undefined;
  }
  // With an underlay, nodeNetwork (its default) is not used, and the networks are checked instead.
  const underlay = first.underlay === undefined ? undefined : resolveUnderlay(first.underlay, [first.clusterCIDR, first.serviceCIDR]);
  if (underlay === undefined) checkOverlaps([first.clusterCIDR, first.serviceCIDR, first.nodeNetwork]);
  const sec = first.secondary;
  if (sec !== undefined) checkOverlaps([sec.clusterCIDR, sec.serviceCIDR, sec.nodeNetwork]);
  const { clusterCIDR: proxyCIDR, ...proxy } = first.kubeProxy;
  return {
    name: first.name,
    clusterCIDR: first.clusterCIDR.value,
    serviceCIDR: first.serviceCIDR.value,
    nodeCIDRMaskSize: first.nodeCIDRMaskSize.value,
    nodeNetwork: first.nodeNetwork.value,
    ...(underlay === undefined ? {} : { underlay }),
    ...(sec === undefined ? {} : { secondary: { clusterCIDR: sec.clusterCIDR.value, serviceCIDR: sec.serviceCIDR.value, nodeNetwork: sec.nodeNetwork.value, nodeCIDRMaskSize: sec.nodeCIDRMaskSize.value } }),
    cni: first.cni,
    kubeProxy: proxyCIDR === null ? proxy : { ...proxy, clusterCIDR: proxyCIDR ?? first.clusterCIDR.value },
    networkPolicy: first.networkPolicy,
    dns: first.dns,
    ...(first.loadBalancer === undefined ? {} : { loadBalancer: first.loadBalancer }),
    ...(first.serviceNodePortRange === undefined ? {} : { serviceNodePortRange: first.serviceNodePortRange }),
    pos: first.pos,
  };
}

function checkOverlaps(nets: readonly At<Cidr>[]): void {
  nets.forEach((b, i) => {
    for (const a of nets.slice(0, i)) {
      if (!cidrOverlaps(a.value, b.value)) continue;
      fail(b.field, 'SCN_CIDR_OVERLAP', `${fieldName(b.field)} ${formatCidr(b.value)} overlaps ${fieldName(a.field)} ${formatCidr(a.value)}`);
    }
  });
}
