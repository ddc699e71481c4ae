import { describe, expect, it } from 'vitest';
import { ip } from '../../addr/ip.js';
import { insertConfirmed } from '../../kernel/netfilter/conntrack/table.js';
import { IPPROTO } from '../../kernel/netfilter/conntrack/tuple.js';
import { createNetfilter } from '../../kernel/netfilter/state.js';
import type { ConntrackEntry } from '../../kernel/netfilter/index.js';
import type { EndpointInput, ServicePortInput } from '../../proxy/types.js';
import { cleanStaleEntries } from './conntrack-cleanup.js';
import type { KubeProxyView } from './proxy.js';

/** An entry from CLIENT:sport to DST:dport whose reply comes from REPLY_SRC (the DNAT target). */
function entry(id: number, proto: number, dst: string, dport: number, replySrc: string): ConntrackEntry {
  const t = (src: string, d: string, sp: number, dp: number) => ({ family: 4 as const, proto, src: ip(src), dst: ip(d), sport: sp, dport: dp });
  return { id, orig: t('10.244.0.2', dst, 40000 + id, dport), reply: t(replySrc, '10.244.0.2', 53, 40000 + id), confirmed: true, seenReply: true, assured: false, mark: 0, created: 0, expires: 30 };
}

const port = (protocol: 'UDP' | 'TCP', clusterIP: string, nodePort?: number): ServicePortInput =>
  ({ namespace: 'default', name: `s-${protocol}`, portName: '', protocol, clusterIP, port: 53, externalIPs: [], loadBalancerIPs: [], loadBalancerSourceRanges: [], sessionAffinity: 'None', sessionAffinityTimeoutSeconds: 10800, internalTrafficPolicy: 'Cluster', externalTrafficPolicy: 'Cluster', type: nodePort === undefined ? 'ClusterIP' : 'NodePort', ...(nodePort === undefined ? {} : { nodePort }) }) as ServicePortInput;
const ep = (addr: string): EndpointInput => ({ ip: addr, port: 53, ready: true, serving: true, terminating: false });

describe('cleanStaleEntries (kube-proxy CleanStaleEntries)', () => {
  it('deletes UDP entries of a Service IP or NodePort whose DNAT target is no serving endpoint, and nothing else', () => {
    const nf = createNetfilter();
    const entries = [
      entry(1, IPPROTO.udp, '10.96.0.4', 53, '10.244.1.3'), // UDP, endpoint gone: deleted
      entry(2, IPPROTO.udp, '10.96.0.4', 53, '10.244.0.4'), // UDP, endpoint serving: kept
      entry(3, IPPROTO.tcp, '10.96.0.5', 53, '10.244.1.3'), // TCP: kube-proxy leaves it
      entry(4, IPPROTO.udp, '192.168.56.11', 30053, '10.244.1.3'), // the NodePort, endpoint gone: deleted
      entry(5, IPPROTO.udp, '10.244.1.3', 53, '10.244.1.3'), // straight to a pod: no Service, kept
    ];
    for (const e of entries) expect(insertConfirmed(nf.conntrack, e, 0)).toBe(true);
    const view: KubeProxyView = {
      servicePorts: [port('UDP', '10.96.0.4', 30053), port('TCP', '10.96.0.5')],
      endpoints: new Map([['default/s-UDP', [ep('10.244.0.4')]], ['default/s-TCP', [ep('10.244.0.4')]]]),
    };
    expect(cleanStaleEntries(nf, 4, view).map((e) => e.id)).toEqual([1, 4]);
    expect([...nf.conntrack.entries.keys()]).toEqual([2, 3, 5]);
    expect(cleanStaleEntries(nf, 6, view)).toEqual([]);
  });
});
