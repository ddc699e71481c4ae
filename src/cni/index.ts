/**
 * Layer `cni`: the CNI plugin interface (types.ts, shaped like the CNI spec 1.x), the registry
 * and the host a node hands its plugins (registry.ts), conflists run as libcni runs them
 * (conflist.ts), and one folder per plugin: `bridge/` and `host-local/`, modelled on
 * containernetworking/plugins v1.1 and checked against the real binaries
 * (test/golden/cni/capture.sh), and `flannel/`, the meta-plugin of flannel-io/cni-plugin that
 * turns flanneld's subnet.env into a bridge config and delegates.
 *
 * May import `addr`, `packet`, `sim`, `diag` and `kernel`. Invariants: plugins are plain objects
 * (`satisfies CniPlugin`) listed in builtins.ts, registered by the composition root, never on
 * import; they change the kernel model only through its verbs (`addVeth`, `addAddress`,
 * `addRoute`, `appendRule`, …) and keep their own state in `CniHost.store`; expected failures
 * are `CniOutcome` errors with the real plugin's code and text, never exceptions.
 */
export * from './types.js';
export { BUILTIN_CNI_PLUGINS } from './builtins.js';
export { type CniHostOptions, type CniRegistry, cniHost, createCniRegistry } from './registry.js';
export { type ChainEnv, type ConfList, addNetworkList, checkNetworkList, delNetworkList, parseConfList } from './conflist.js';
export { formatChainName, formatComment, hostVethName } from './naming.js';
export { bridgePlugin } from './bridge/plugin.js';
export { hostLocalPlugin } from './host-local/plugin.js';
export { flannelPlugin } from './flannel/plugin.js';
export { calicoPlugin } from './calico/plugin.js';
