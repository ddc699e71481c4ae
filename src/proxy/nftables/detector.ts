/**
 * The local-traffic detector in nft words (pkg/proxy/util/localdetector.go IfLocalNFT /
 * IfNotLocalNFT): `ip saddr <cidr>`, `iifname <bridge>`, `iifname <prefix>*`, each with `!=`.
 */
import { parseCidr } from '../../addr/index.js';
import type { DetectLocal, ProxierConfig } from '../types.js';

/** The two matches of a working detector, as rule text. */
export interface NftLocalDetector {
  readonly ifLocal: string;
  readonly ifNotLocal: string;
}

function resolve(config: ProxierConfig): DetectLocal {
  if (config.detectLocal !== undefined) return config.detectLocal;
  if (config.clusterCIDR !== undefined) return { mode: 'ClusterCIDR', value: config.clusterCIDR };
  return { mode: 'None' };
}

/** The configured detector, or undefined for the NoOp detector (no rule is written). */
export function nftLocalDetector(config: ProxierConfig): NftLocalDetector | undefined {
  const d = resolve(config);
  const value = (d.value ?? '').trim();
  if (d.mode === 'None' || value === '') return undefined;
  if (d.mode === 'ClusterCIDR' || d.mode === 'NodeCIDR') {
    const parsed = parseCidr(value);
    // A CIDR of the other family: this family's proxier has no detector (dual-stack split).
    if (parsed === undefined || parsed.addr.family !== config.family) return undefined;
    const ipX = config.family === 6 ? 'ip6' : 'ip';
    return { ifLocal: `${ipX} saddr ${value}`, ifNotLocal: `${ipX} saddr != ${value}` };
  }
  const name = d.mode === 'InterfaceNamePrefix' ? `${value}*` : value;
  return { ifLocal: `iifname ${name}`, ifNotLocal: `iifname != ${name}` };
}
