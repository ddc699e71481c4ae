/**
 * The local-traffic detector (pkg/proxy/util/localdetector.go, reference note §8): the match
 * that says "this packet comes from a pod on this cluster/node". It decides which ClusterIP
 * traffic is masqueraded and which external-destination traffic is short-circuited.
 */
import { parseCidr } from '../../addr/index.js';
import type { DetectLocal, ProxierConfig } from '../types.js';

/** The two matches of a working detector. */
export interface LocalDetector {
  /** Matches pod traffic (`-s <podCIDR>`). */
  readonly ifLocal: readonly string[];
  /** Matches everything else (`! -s <podCIDR>`). */
  readonly ifNotLocal: readonly string[];
}

function resolveDetectLocal(config: ProxierConfig): DetectLocal {
  if (config.detectLocal !== undefined) return config.detectLocal;
  if (config.clusterCIDR !== undefined) return { mode: 'ClusterCIDR', value: config.clusterCIDR };
  return { mode: 'None' };
}

function byCIDR(value: string | undefined, config: ProxierConfig): LocalDetector | undefined {
  const text = (value ?? '').trim();
  const parsed = parseCidr(text);
  // A CIDR of the other family means this family's proxier has no detector (dual-stack split).
  if (parsed === undefined || parsed.addr.family !== config.family) return undefined;
  return { ifLocal: ['-s', text], ifNotLocal: ['!', '-s', text] };
}

function byInterface(name: string | undefined): LocalDetector | undefined {
  if (name === undefined || name === '') return undefined;
  return { ifLocal: ['-i', name], ifNotLocal: ['!', '-i', name] };
}

/** The configured detector, or undefined for the NoOp detector (no rule is written). */
export function localDetector(config: ProxierConfig): LocalDetector | undefined {
  const detect = resolveDetectLocal(config);
  switch (detect.mode) {
    case 'ClusterCIDR':
    case 'NodeCIDR':
      return byCIDR(detect.value, config);
    case 'BridgeInterface':
      return byInterface(detect.value);
    case 'InterfaceNamePrefix':
      // iptables' `+` suffix makes an interface name a prefix match.
      return byInterface(detect.value === undefined || detect.value === '' ? undefined : `${detect.value}+`);
    case 'None':
      return undefined;
  }
}
