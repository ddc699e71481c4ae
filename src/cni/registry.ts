/**
 * The plugin registry (what `CNI_PATH` is to libcni: plugin type → plugin) and the
 * {@link CniHost} a node hands its plugins. Built once at the composition root from
 * `BUILTIN_CNI_PLUGINS` (builtins.ts); plugins never register themselves.
 */
import type { World } from '../kernel/world.js';
import { InternalError } from '../diag/diagnostic.js';
import { type SimContext, simContext } from '../sim/context.js';
import { fail } from './outcome.js';
import { CNI_ERROR, type ClusterApi, type CniHost, type CniOutcome, type CniPlugin, type CniResult, type NetConf, type RuntimeConf } from './types.js';

/** Plugins by type. */
export interface CniRegistry {
  /** The plugin whose `type` this is (`CNI_PATH/<type>`), if any. */
  get(type: string): CniPlugin | undefined;
  /** Every registered type, in registration order. */
  types(): readonly string[];
}

/** A registry of the given plugins; two plugins of one type are a bug. */
export function createCniRegistry(plugins: readonly CniPlugin[]): CniRegistry {
  const byType = new Map<string, CniPlugin>();
  for (const p of plugins) {
    if (byType.has(p.type)) throw new InternalError(`two CNI plugins of type "${p.type}"`);
    byType.set(p.type, p);
  }
  return { get: (type) => byType.get(type), types: () => [...byType.keys()] };
}

/** What libcni says when `CNI_PATH` has no such binary (a plugin error, so code 999 reaches the caller). */
function missing<T>(type: string): CniOutcome<T> {
  return fail(CNI_ERROR.INTERNAL, `failed to find plugin "${type}" in path [/opt/cni/bin]`);
}

/** Options of {@link cniHost}. */
export interface CniHostOptions {
  readonly world: World;
  /** The node's namespace, where plugins run. */
  readonly hostNs: string;
  readonly registry: CniRegistry;
  /** The node's plugin state (`/var/lib/cni/…`); a fresh one when omitted. */
  readonly store?: Record<string, string>;
  /** The cluster-wide API objects (one per cluster, shared by every node); a fresh one when omitted. */
  readonly api?: ClusterApi;
  readonly ctx?: SimContext;
}

/**
 * The host for one node. `delegateAdd`/`delegateDel`/`delegateCheck` run the plugin named by
 * `conf.type` (libcni's `invoke.Delegate*` run `CNI_PATH/<ipam.type>` with the caller's whole
 * config, so callers pass their config with `type` set to the delegate's).
 */
export function cniHost(opts: CniHostOptions): CniHost {
  const { registry } = opts;
  const host: CniHost = {
    world: opts.world,
    api: opts.api ?? new Map(),
    hostNs: opts.hostNs,
    store: opts.store ?? {},
    ctx: opts.ctx ?? simContext(),
    delegateAdd: (conf: NetConf, rt: RuntimeConf): CniOutcome<CniResult> => registry.get(conf.type)?.add(conf, rt, host) ?? missing(conf.type),
    delegateDel: (conf: NetConf, rt: RuntimeConf): CniOutcome<void> => registry.get(conf.type)?.del(conf, rt, host) ?? missing(conf.type),
    delegateCheck: (conf: NetConf, rt: RuntimeConf, prev: CniResult): CniOutcome<void> => registry.get(conf.type)?.check(conf, rt, host, prev) ?? missing(conf.type),
  };
  return host;
}
