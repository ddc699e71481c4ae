/**
 * An EndpointSlice endpoint's `hints` (discovery/v1 EndpointHints): the zones (`forZones`) and
 * nodes (`forNodes`, since 1.33) kube-proxy may route to it from, as the EndpointSlice
 * controller writes them for `trafficDistribution` or topology-aware routing. validateHints
 * (pkg/apis/discovery/validation) caps forZones at 8 entries, forNodes likewise.
 */
import type { Endpoint } from '../cluster/objects.js';
import { ENDPOINT_HINT, ENDPOINT_HINTS } from './fields.js';
import { type Field, child, fail, fieldName, optList, optMap, reqString } from './reader.js';
import { checkText } from './validate/index.js';

/** maxZoneHints and maxNodeHints in upstream's validation. */
const MAX_HINTS = 8;

/** The hints of one endpoint; an empty object when absent. */
export function readHints(f: Field): Pick<Endpoint, 'hints'> {
  if (optMap(f, ENDPOINT_HINTS) === undefined) return {};
  // A zone is a label value (topology.kubernetes.io/zone), a node a node name.
  return { hints: { forZones: names(child(f, 'forZones'), 'metadata.labels value'), forNodes: names(child(f, 'forNodes'), 'EndpointSlice endpoints[].nodeName') } };
}

function names(f: Field, use: 'metadata.labels value' | 'EndpointSlice endpoints[].nodeName'): string[] {
  const items = optList(f) ?? [];
  if (items.length > MAX_HINTS) fail(f, 'SCN_BAD_VALUE', `${fieldName(f)}: Too many: ${items.length}: must have at most ${MAX_HINTS} items`);
  return items.flatMap((item) => {
    if (optMap(item, ENDPOINT_HINT) === undefined) return [];
    const name = reqString(item, 'name');
    if (name === undefined) return [];
    checkText(child(item, 'name'), use, name);
    return [name];
  });
}
