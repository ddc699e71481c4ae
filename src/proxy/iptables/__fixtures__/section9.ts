/**
 * The worked example of the kube-proxy reference note (§9): node test-node (192.168.0.2), pod
 * CIDR 10.0.0.0/8, default/web (ClusterIP, two endpoints), default/api (NodePort 30443) and
 * shop/front (LoadBalancer 1.2.3.4, source range 203.0.113.0/25, eTP Local, health-check node
 * port 32000). Shared by the payload test and the packet-flow tables.
 */
import type { EndpointInput, ProxierConfig, ServicePortInput } from '../../types.js';
import { ep } from './upstream.js';

export const SECTION9_CONFIG: ProxierConfig = { nodeName: 'test-node', nodeIPs: ['192.168.0.2'], family: 4, clusterCIDR: '10.0.0.0/8' };

export const SECTION9_SERVICES: readonly ServicePortInput[] = [
  { namespace: 'default', name: 'web', portName: 'http', protocol: 'TCP', clusterIP: '172.30.0.10', port: 80, type: 'ClusterIP' },
  { namespace: 'default', name: 'api', portName: '', protocol: 'TCP', clusterIP: '172.30.0.20', port: 8443, nodePort: 30443, type: 'NodePort' },
  {
    namespace: 'shop',
    name: 'front',
    portName: 'https',
    protocol: 'TCP',
    clusterIP: '172.30.0.30',
    port: 443,
    nodePort: 31443,
    type: 'LoadBalancer',
    loadBalancerIPs: ['1.2.3.4'],
    loadBalancerSourceRanges: ['203.0.113.0/25'],
    externalTrafficPolicy: 'Local',
    healthCheckNodePort: 32000,
  },
];

export const SECTION9_ENDPOINTS: ReadonlyMap<string, EndpointInput[]> = new Map<string, EndpointInput[]>([
  ['default/web:http', [ep('10.180.0.5', 8080, { nodeName: 'test-node' }), ep('10.180.1.7', 8080, { nodeName: 'node-b' })]],
  ['default/api', [ep('10.180.1.9', 8443, { nodeName: 'node-b' })]],
  ['shop/front:https', [ep('10.180.1.8', 8443, { nodeName: 'node-b' }), ep('10.180.0.8', 8443, { nodeName: 'test-node' })]],
]);
