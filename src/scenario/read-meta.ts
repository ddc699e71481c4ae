/**
 * Reading `metadata` as ValidateObjectMeta checks it: the name by its kind's rule (required),
 * the namespace (default `default`) as a DNS-1123 label, labels and annotations by
 * apimachinery's rules, and whether the object is being deleted.
 */
import { OBJECT_META } from './fields.js';
import type { RawMeta } from './raw.js';
import { type Field, absent, at, child, fail, missing, optMap, optString, reqString } from './reader.js';
import { checkAnnotations, checkText, optLabels } from './validate/index.js';

/** The Kubernetes kinds netsim reads, and whether their objects live in a namespace. */
export const OBJECT_KINDS = { Pod: true, Service: true, EndpointSlice: true, NetworkPolicy: true, Deployment: true, ReplicaSet: true, StatefulSet: true, DaemonSet: true, Node: false, Namespace: false, AdminNetworkPolicy: false, BaselineAdminNetworkPolicy: false } as const;

/** A Kubernetes kind netsim reads. */
export type ObjectKind = keyof typeof OBJECT_KINDS;

/** Each kind's `metadata.name` entry of uses.ts, made once (not a new string for each object read). */
const NAME_USE = Object.fromEntries(Object.keys(OBJECT_KINDS).map((k) => [k, `${k} metadata.name`])) as { readonly [K in ObjectKind]: `${K} metadata.name` };

/** Reads an object's metadata; undefined (and reported) when it has no usable name. */
export function readMeta(obj: Field, kind: ObjectKind): RawMeta | undefined {
  const f = child(obj, 'metadata');
  if (absent(f)) {
    return missing(obj, 'metadata');
  }
  if (optMap(f, OBJECT_META) === undefined) return undefined;
  const nameField = child(f, 'name');
  const name = reqString(f, 'name');
  if (name === undefined) return undefined;
  if (name === '') {
    fail(nameField, 'SCN_MISSING_FIELD', 'metadata.name: Required value: name or generateName is required');
    return undefined;
  }
  checkText(nameField, NAME_USE[kind], name);
  checkAnnotations(child(f, 'annotations'));
  return {
    name,
    namespace: OBJECT_KINDS[kind] ? readNamespace(child(f, 'namespace')) : '',
    labels: optLabels(child(f, 'labels'), 'metadata.labels key', 'metadata.labels value') ?? {},
    terminating: !absent(child(f, 'deletionTimestamp')),
    pos: at(obj),
    nameField,
  };
}

/** `metadata.namespace`: empty or absent means the default one, as the API server reads it. */
function readNamespace(f: Field): string {
  const ns = optString(f);
  if (ns === undefined || ns === '') return 'default';
  checkText(f, 'metadata.namespace', ns);
  return ns;
}
