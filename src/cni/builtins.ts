/**
 * The CNI plugins netsim ships, for the composition root to put in a registry
 * (`createCniRegistry(BUILTIN_CNI_PLUGINS)`).
 */
import { bridgePlugin } from './bridge/plugin.js';
import { calicoIpamPlugin } from './calico/ipam/plugin.js';
import { calicoPlugin } from './calico/plugin.js';
import { flannelPlugin } from './flannel/plugin.js';
import { hostLocalPlugin } from './host-local/plugin.js';
import type { CniPlugin } from './types.js';

/** Every built-in plugin. */
export const BUILTIN_CNI_PLUGINS: readonly CniPlugin[] = [
  bridgePlugin,
  hostLocalPlugin,
  flannelPlugin,
  calicoIpamPlugin,
  calicoPlugin,
];
