/**
 * Network configuration lists (`/etc/cni/net.d/*.conflist`) and running them as libcni does:
 * ADD runs the plugins in list order, each given the previous plugin's result as `prevResult`
 * (none for the first), and stops at the first error; DEL runs them in reverse order, each given
 * the final ADD result; CHECK runs them in order with the final ADD result (skipped when
 * `disableCheck`). Each plugin's config is its list entry with the list's `name` and
 * `cniVersion` filled in and `capabilities` removed (netsim passes no capability arguments, so
 * no `runtimeConfig` is added). Not modelled: the result cache, GC, STATUS, VERSION.
 */
import { isObject } from './json.js';
import { fail, ok } from './outcome.js';
import type { CniRegistry } from './registry.js';
import { CNI_ERROR, type CniHost, type CniOutcome, type CniResult, type JsonValue, type NetConf, type RuntimeConf } from './types.js';

/** A validated conflist. */
export interface ConfList {
  readonly cniVersion: string;
  readonly name: string;
  readonly disableCheck: boolean;
  /** Each plugin's config as it will be handed to the plugin. */
  readonly plugins: readonly NetConf[];
}

const invalid = <T>(msg: string): CniOutcome<T> => fail(CNI_ERROR.INVALID_CONFIG, `error parsing configuration list: ${msg}`);

/** The config one list entry becomes (libcni `buildOneConfig`, without runtime capabilities). */
function pluginConf(list: { name: string; cniVersion: string }, entry: { readonly [k: string]: JsonValue }, type: string): NetConf {
  const { capabilities: _c, ...rest } = entry;
  return { ...rest, cniVersion: list.cniVersion, name: list.name, type };
}

/** Parses and validates a conflist document (a JSON value); errors have code 7 (invalid config). */
export function parseConfList(doc: JsonValue): CniOutcome<ConfList> {
  if (!isObject(doc)) return invalid('not a JSON object');
  const { name, cniVersion, plugins, disableCheck } = doc;
  if (typeof name !== 'string' || name === '') return invalid('no name');
  if (cniVersion !== undefined && typeof cniVersion !== 'string') return invalid('invalid cniVersion type');
  if (disableCheck !== undefined && typeof disableCheck !== 'boolean') return invalid('invalid disableCheck type');
  // A single plugin config (`.conf`) is a list of one, as libcni's ConfListFromConf makes it.
  if (plugins === undefined && typeof doc.type === 'string') return parseConfList({ ...doc, plugins: [doc] });
  if (plugins === undefined) return invalid("no 'plugins' key");
  if (!Array.isArray(plugins)) return invalid("error parsing 'plugins': not a list");
  const entries = plugins as readonly JsonValue[];
  if (entries.length === 0) return invalid('no plugins in list');
  const list = { name, cniVersion: cniVersion ?? '' };
  const confs: NetConf[] = [];
  for (const [i, entry] of entries.entries()) {
    if (!isObject(entry)) return invalid(`plugin ${i} is not an object`);
    if (typeof entry.type !== 'string' || entry.type === '') return invalid(`plugin ${i}: missing 'type'`);
    confs.push(pluginConf(list, entry, entry.type));
  }
  return ok({ name, cniVersion: list.cniVersion, disableCheck: disableCheck === true, plugins: confs });
}

/** What running a list needs: the node's host and the registry the plugin types are looked up in. */
export interface ChainEnv {
  readonly host: CniHost;
  readonly registry: CniRegistry;
}

function unknownPlugin<T>(type: string): CniOutcome<T> {
  return fail(CNI_ERROR.INTERNAL, `failed to find plugin "${type}" in path [/opt/cni/bin]`);
}

/** libcni `AddNetworkList`: the final result, or the first error. */
export function addNetworkList(list: ConfList, rt: RuntimeConf, env: ChainEnv): CniOutcome<CniResult> {
  let prev: CniResult | undefined;
  for (const conf of list.plugins) {
    const plugin = env.registry.get(conf.type);
    if (plugin === undefined) return unknownPlugin(conf.type);
    const r = plugin.add(conf, rt, env.host, prev);
    if (!r.ok) return r;
    prev = r.value;
  }
  if (prev === undefined) return fail(CNI_ERROR.INVALID_CONFIG, 'error parsing configuration list: no plugins in list');
  return ok(prev);
}

/** libcni `DelNetworkList`: every plugin in reverse order, given the final ADD result; the first error stops it. */
export function delNetworkList(list: ConfList, rt: RuntimeConf, env: ChainEnv, prevResult?: CniResult): CniOutcome<void> {
  for (const conf of [...list.plugins].reverse()) {
    const plugin = env.registry.get(conf.type);
    if (plugin === undefined) return unknownPlugin(conf.type);
    const r = plugin.del(conf, rt, env.host, prevResult);
    if (!r.ok) return r;
  }
  return ok(undefined);
}

/** libcni `CheckNetworkList`: every plugin in order, given the final ADD result (nothing when `disableCheck`). */
export function checkNetworkList(list: ConfList, rt: RuntimeConf, env: ChainEnv, prevResult: CniResult): CniOutcome<void> {
  if (list.disableCheck) return ok(undefined);
  for (const conf of list.plugins) {
    const plugin = env.registry.get(conf.type);
    if (plugin === undefined) return unknownPlugin(conf.type);
    const r = plugin.check(conf, rt, env.host, prevResult);
    if (!r.ok) return r;
  }
  return ok(undefined);
}
