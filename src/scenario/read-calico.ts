/**
 * Calico's own objects, pasted as users have them: `projectcalico.org/v3` (calicoctl, the
 * Calico API server) or `crd.projectcalico.org/v1` (the CRDs `kubectl get -o yaml` shows).
 * netsim reads `IPPool` (read-ippool.ts), the `default` `IPAMConfiguration` (`IPAMConfig` in
 * the CRD group; either name is read under either apiVersion), the `default`
 * `FelixConfiguration`, and the BGP objects (read-calico-bgp.ts): the `default`
 * `BGPConfiguration`, `BGPPeer`s and Calico `Node`s. Other Calico kinds load with the warning
 * SCN_CALICO_KIND_IGNORED.
 * Whether the objects are used depends on the Cluster's CNI plugin: resolve/calico.ts.
 */
import { formatIp } from '../addr/index.js';
import type { CalicoFelixConfig, CalicoIPAMConfig } from '../cluster/objects.js';
import { CALICO_OBJECT, IPAM_CONFIG_SPEC, OBJECT_META } from './fields.js';
import { optIp } from './read-addr.js';
import { readBgpConfiguration, readBgpPeer, readCalicoNode } from './read-calico-bgp.js';
import { readIPPool } from './read-ippool.js';
import type { RawScenario } from './raw.js';
import { type Field, absent, at, child, fail, isMap, missing, optBool, optInt, optMap, reqString, warn } from './reader.js';
import { checkText } from './validate/index.js';

/** The API groups (with version) Calico objects are written in. */
export const CALICO_API_VERSIONS: readonly string[] = ['projectcalico.org/v3', 'crd.projectcalico.org/v1'];

/** The Calico kinds netsim reads. */
export const CALICO_KINDS: readonly string[] = ['IPPool', 'IPAMConfiguration', 'IPAMConfig', 'FelixConfiguration', 'BGPConfiguration', 'BGPPeer', 'Node'];

/** What an omitted IPAMConfig means (libcalico-go's GetIPAMConfig when there is none). */
export const IPAM_CONFIG_DEFAULTS: CalicoIPAMConfig = { strictAffinity: false, maxBlocksPerHost: 0 };

/** The name Calico's singleton configuration objects must have. */
const DEFAULT_NAME = 'default';

/** True for an apiVersion in one of Calico's groups. */
export function isCalicoApiVersion(apiVersion: string | undefined): boolean {
  return apiVersion !== undefined && CALICO_API_VERSIONS.includes(apiVersion);
}

/** Reads one Calico object (its apiVersion is one of CALICO_API_VERSIONS) into `out.calico`. */
export function readCalicoObject(obj: Field, kind: string, out: RawScenario): void {
  if (!CALICO_KINDS.includes(kind)) {
    warn(child(obj, 'kind'), 'SCN_CALICO_KIND_IGNORED', `netsim does not model Calico ${kind} objects; skipped (it reads ${CALICO_KINDS.join(', ')})`);
    return;
  }
  optMap(obj, CALICO_OBJECT);
  const named = readName(obj);
  if (named === undefined) return;
  const { name, nameField } = named;
  if (kind === 'BGPConfiguration') readBgpConfiguration(obj, name, nameField, out);
  else if (kind === 'BGPPeer') readBgpPeer(obj, name, nameField, out);
  else if (kind === 'Node') readCalicoNode(obj, name, nameField, out);
  else if (kind === 'IPPool') {
    out.calico.kinds.push(child(obj, 'kind'));
    const pool = readIPPool(obj, name, nameField);
    if (pool !== undefined) out.calico.pools.push(pool);
  } else if (kind === 'FelixConfiguration') {
    if (!felixReads(name, nameField)) return;
    out.calico.kinds.push(child(obj, 'kind'));
    out.calico.felix.push({ value: readFelix(obj), nameField });
  } else {
    out.calico.kinds.push(child(obj, 'kind'));
    if (name !== DEFAULT_NAME) {
      fail(nameField, 'SCN_CALICO_SINGLETON_NAME', `Cannot create an ${kind} resource with a name other than "default" (this one is "${name}")`);
      return;
    }
    out.calico.ipam.push({ value: readIpamConfig(obj), nameField });
  }
}

/** `metadata` of a cluster-scoped Calico object: a name as libcalico-go's validateObjectMeta wants it. */
function readName(obj: Field): { name: string; nameField: Field } | undefined {
  const meta = child(obj, 'metadata');
  if (absent(meta)) return missing(obj, 'metadata');
  if (optMap(meta, OBJECT_META) === undefined) return undefined;
  const name = reqString(meta, 'name');
  if (name === undefined) return undefined;
  const nameField = child(meta, 'name');
  return checkText(nameField, 'Calico metadata.name', name) ? { name, nameField } : undefined;
}

/** IPAMConfig `spec`: strictAffinity, maxBlocksPerHost (which calico-ipam only takes with strictAffinity). */
function readIpamConfig(obj: Field): CalicoIPAMConfig {
  const spec = child(obj, 'spec');
  const d = IPAM_CONFIG_DEFAULTS;
  if (optMap(spec, IPAM_CONFIG_SPEC) === undefined) return { ...d, pos: at(obj) };
  const strictAffinity = optBool(child(spec, 'strictAffinity')) ?? d.strictAffinity;
  const maxField = child(spec, 'maxBlocksPerHost');
  const maxBlocksPerHost = optInt(maxField, 0, 1000000) ?? d.maxBlocksPerHost;
  if (maxBlocksPerHost > 0 && !strictAffinity) {
    fail(maxField, 'SCN_CALICO_STRICT_AFFINITY', `spec.maxBlocksPerHost: ${maxBlocksPerHost}: MaxBlocksPerHost requires StrictAffinity to be enabled (set spec.strictAffinity: true)`);
  }
  warnIfSet(child(spec, 'autoAllocateBlocks'), (v) => v === true, 'nodes always claim blocks on demand');
  warnIfSet(child(spec, 'ipCooldownSeconds'), (v) => v === 0, 'a released address may be handed out again at once');
  return { strictAffinity, maxBlocksPerHost: maxBlocksPerHost > 0 && !strictAffinity ? 0 : maxBlocksPerHost, pos: at(obj) };
}

function warnIfSet(f: Field, harmless: (v: unknown) => boolean, why: string): void {
  if (absent(f) || harmless(f.value)) return;
  warn(f, 'SCN_CALICO_FIELD_IGNORED', `spec.${String(f.path.at(-1))} is not modelled and has no effect: ${why}`, 'key');
}

/**
 * Felix reads the `default` object and `node.<nodename>` (per-node overrides, not modelled);
 * any other name is read by nobody. False (and a warning) for those.
 */
function felixReads(name: string, nameField: Field): boolean {
  if (name === DEFAULT_NAME) return true;
  const why = name.startsWith('node.') ? `per-node FelixConfiguration (${name}) is not modelled` : `Felix reads FelixConfiguration default and node.<nodename> only, not ${name}`;
  warn(nameField, 'SCN_CALICO_KIND_IGNORED', `${why}; skipped`);
  return false;
}

/**
 * FelixConfiguration `default`: `natOutgoingAddress` (an IPv4 address, as the CRD's rule
 * says). Felix has some two hundred other settings; those set here are named in one warning,
 * since most change nothing netsim models but a few (bpfEnabled, the encapsulation switches)
 * would change the datapath.
 */
function readFelix(obj: Field): CalicoFelixConfig {
  const spec = child(obj, 'spec');
  if (optMap(spec) === undefined || !isMap(spec.value)) return { pos: at(obj) };
  const others = Object.keys(spec.value).filter((k) => k !== 'natOutgoingAddress');
  const first = others[0];
  if (first !== undefined) {
    warn(child(spec, first), 'SCN_CALICO_FIELD_IGNORED', `FelixConfiguration default: netsim models natOutgoingAddress only; ignored: ${others.join(', ')}`, 'key');
  }
  const f = child(spec, 'natOutgoingAddress');
  const addr = f.value === '' ? undefined : optIp(f);
  if (addr !== undefined && addr.family !== 4) {
    fail(f, 'SCN_BAD_ADDRESS', `spec.natOutgoingAddress: "${formatIp(addr)}": natOutgoingAddress must be a valid IPv4 address`);
    return { pos: at(obj) };
  }
  return addr === undefined ? { pos: at(obj) } : { natOutgoingAddress: addr, pos: at(obj) };
}
