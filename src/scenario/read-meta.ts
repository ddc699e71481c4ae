/** Reading `metadata`: name (required), namespace (default `default`), labels, deletion. */
import { OBJECT_META } from './fields.js';
import type { RawMeta } from './raw.js';
import { type Field, absent, at, child, missing, optMap, optString, optStringMap, reqString } from './reader.js';

/** Reads an object's metadata; undefined (and reported) when it has no usable name. */
export function readMeta(obj: Field, namespaced: boolean): RawMeta | undefined {
  const f = child(obj, 'metadata');
  if (absent(f)) {
    return missing(obj, 'metadata');
  }
  if (optMap(f, OBJECT_META) === undefined) return undefined;
  const name = reqString(f, 'name');
  if (name === undefined) return undefined;
  // An empty namespace means the default one, as the API server reads it.
  const namespace = namespaced ? optString(child(f, 'namespace')) || 'default' : '';
  return {
    name,
    namespace,
    labels: optStringMap(child(f, 'labels')) ?? {},
    terminating: !absent(child(f, 'deletionTimestamp')),
    pos: at(obj),
    nameField: child(f, 'name'),
  };
}
