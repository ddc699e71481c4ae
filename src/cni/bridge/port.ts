/**
 * The host end of the veth as a bridge port: `ip link set VETH master BRIDGE`, then
 * `bridge link set dev VETH hairpin on|off` (the plugin sets hairpin explicitly either way).
 * Hairpin lets a frame leave through the port it came in on, which a pod needs to reach itself
 * through a Service that kube-proxy DNATs back to it on the same bridge.
 */
import { setHairpin, setMaster } from '../../kernel/link/port.js';
import { getNetns } from '../../kernel/world.js';
import { kernel } from '../outcome.js';
import type { CniHost, CniOutcome } from '../types.js';
import type { BridgeConf } from './config.js';

/** Enslaves the host veth to the bridge and sets its hairpin flag from `hairpinMode`. */
export function attachPort(host: CniHost, veth: string, conf: BridgeConf): CniOutcome<void> {
  const master = kernel(`failed to connect "${veth}" to bridge ${conf.bridge}`, () => setMaster(host.world, host.hostNs, veth, conf.bridge));
  if (!master.ok) return master;
  return kernel(`failed to setup hairpin mode for ${veth}`, () => setHairpin(getNetns(host.world, host.hostNs), veth, conf.hairpinMode));
}
