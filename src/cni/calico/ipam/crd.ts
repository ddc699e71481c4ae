/**
 * The Kubernetes objects calico-ipam keeps its state in (`crd.projectcalico.org/v1`, the
 * Kubernetes datastore), by resource then object name in the cluster's {@link ClusterApi}: names
 * as libcalico-go's KDD backend derives them (`names.CIDRToName`, the block affinity's
 * `<node>-<cidr name>`, the handle lower-cased), specs with the CRDs' JSON field names.
 */
import { type Cidr, formatCidr, parseCidr } from '../../../addr/cidr.js';
import { isObject, type JsonObject } from '../../json.js';
import type { ClusterApi, JsonValue } from '../../types.js';

/** Resource names (plural.group), as `kubectl api-resources` lists them. */
export const CALICO_RESOURCE = {
  ipPools: 'ippools.crd.projectcalico.org',
  ipamConfigs: 'ipamconfigs.crd.projectcalico.org',
  blocks: 'ipamblocks.crd.projectcalico.org',
  affinities: 'blockaffinities.crd.projectcalico.org',
  handles: 'ipamhandles.crd.projectcalico.org',
  /** Calico's Node is the Kubernetes Node in the Kubernetes datastore: its labels feed `nodeSelector`. */
  nodes: 'nodes',
} as const;

/** The API version every Calico CRD object carries. */
export const CALICO_CRD_API_VERSION = 'crd.projectcalico.org/v1';

/** libcalico-go `names.CIDRToName`: `10.244.1.64/26` → `10-244-1-64-26`, `fd00::/122` → `fd00---122`. */
export function cidrToName(c: Cidr): string {
  return formatCidr(c).replaceAll('.', '-').replaceAll(':', '-').replace('/', '-');
}

/** The BlockAffinity object name: `<node>-<cidr name>` (the KDD backend's `parseKey`). */
export function affinityName(node: string, c: Cidr): string {
  return `${node}-${cidrToName(c)}`;
}

/** The IPAMHandle object name: the handle ID, lower-cased. */
export function handleName(handleId: string): string {
  return handleId.toLowerCase();
}

/** A Calico CRD object with its metadata. */
export function crdObject(kind: string, name: string, spec: JsonObject, labels?: JsonObject): JsonObject {
  const metadata: JsonObject = labels === undefined ? { name } : { name, labels };
  return { apiVersion: CALICO_CRD_API_VERSION, kind, metadata, spec };
}

/** The resource's objects, creating the map on first write. */
export function resource(api: ClusterApi, name: string): Map<string, JsonValue> {
  let r = api.get(name);
  if (r === undefined) {
    r = new Map();
    api.set(name, r);
  }
  return r;
}

/** The `spec` of an object, or undefined. */
export function specOf(obj: JsonValue | undefined): JsonObject | undefined {
  return isObject(obj) && isObject(obj.spec) ? obj.spec : undefined;
}

/** A string field of a JSON object ('' when absent or of another type). */
export function str(o: JsonObject, key: string): string {
  const v = o[key];
  return typeof v === 'string' ? v : '';
}

/** A CIDR field of a JSON object. */
export function cidrField(o: JsonObject, key: string): Cidr | undefined {
  return parseCidr(str(o, key));
}
