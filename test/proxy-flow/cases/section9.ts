/**
 * The worked example of the kube-proxy reference note (shared/reference/kube-proxy.md §9): node
 * test-node (192.168.0.2), pod CIDR 10.0.0.0/8, default/web (ClusterIP, two endpoints),
 * default/api (NodePort 30443) and shop/front (LoadBalancer 1.2.3.4, source range
 * 203.0.113.0/25, eTP Local, health-check node port 32000), and its trace table.
 */
import { SECTION9_CONFIG, SECTION9_ENDPOINTS, SECTION9_SERVICES } from '../../../src/proxy/iptables/__fixtures__/section9.js';
import type { FlowCase } from '../../helpers/proxy-flow.js';

const config = SECTION9_CONFIG;
const services = SECTION9_SERVICES;
const endpoints = SECTION9_ENDPOINTS;

const web = '10.180.0.5:8080, 10.180.1.7:8080';

export const SECTION9_CASE: FlowCase = {
  name: 'reference note §9 worked example',
  config,
  services,
  endpoints,
  rows: [
    { name: 'pod to ClusterIP', sourceIP: '10.180.0.9', destIP: '172.30.0.10', destPort: 80, output: web, masq: false },
    { name: 'node to ClusterIP', sourceIP: '192.168.0.2', destIP: '172.30.0.10', destPort: 80, output: web, masq: true },
    { name: 'external to NodePort', sourceIP: '203.0.113.2', destIP: '192.168.0.2', destPort: 30443, output: '10.180.1.9:8443', masq: true },
    { name: 'allowed external to LB (eTP Local: FW, EXT, SVL)', sourceIP: '203.0.113.2', destIP: '1.2.3.4', destPort: 443, output: '10.180.0.8:8443', masq: false },
    { name: 'blocked external to LB (filter KUBE-PROXY-FIREWALL)', sourceIP: '203.0.113.130', destIP: '1.2.3.4', destPort: 443, output: 'DROP', masq: false },
    { name: 'pod to LB (source range checked before the pod short-circuit)', sourceIP: '10.180.0.9', destIP: '1.2.3.4', destPort: 443, output: 'DROP', masq: false },
    { name: 'pod to NodePort (eTP Local short-circuit to both endpoints)', sourceIP: '10.180.0.9', destIP: '192.168.0.2', destPort: 31443, output: '10.180.0.8:8443, 10.180.1.8:8443', masq: false },
    { name: 'localhost to NodePort', sourceIP: '127.0.0.1', destIP: '127.0.0.1', destPort: 30443, output: '10.180.1.9:8443', masq: true },
    { name: 'external to the health check node port', sourceIP: '203.0.113.2', destIP: '192.168.0.2', destPort: 32000, output: 'ACCEPT', masq: false },
    { name: 'UDP to a TCP-only ClusterIP port (no rule)', sourceIP: '10.180.0.9', protocol: 'UDP', destIP: '172.30.0.10', destPort: 80, output: '', masq: false },
  ],
};
