/**
 * Reading network configurations (JSON) the way the plugins' Go structs decode them: a missing
 * key takes the zero value, a key of the wrong JSON type is a decode error. Each reader returns
 * the value or a message for a CNI error.
 */
import type { JsonValue } from './types.js';

/** A JSON object (as configurations and their sub-objects are). */
export type JsonObject = { readonly [key: string]: JsonValue };

/** The result of reading one field: the value, or why it could not be read. */
export type Read<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly msg: string };

/** True for a JSON object (not an array, not null). */
export function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeError<T>(key: string, want: string, got: JsonValue): Read<T> {
  const kind = got === null ? 'null' : Array.isArray(got) ? 'array' : typeof got;
  return { ok: false, msg: `json: cannot unmarshal ${kind} into Go struct field .${key} of type ${want}` };
}

/** A string field (absent: `fallback`). */
export function readString(o: JsonObject, key: string, fallback = ''): Read<string> {
  const v = o[key];
  if (v === undefined || v === null) return { ok: true, value: fallback };
  return typeof v === 'string' ? { ok: true, value: v } : typeError(key, 'string', v);
}

/** A boolean field (absent: false). */
export function readBool(o: JsonObject, key: string): Read<boolean> {
  const v = o[key];
  if (v === undefined || v === null) return { ok: true, value: false };
  return typeof v === 'boolean' ? { ok: true, value: v } : typeError(key, 'bool', v);
}

/** An integer field (absent: 0). */
export function readInt(o: JsonObject, key: string): Read<number> {
  const v = o[key];
  if (v === undefined || v === null) return { ok: true, value: 0 };
  return typeof v === 'number' && Number.isInteger(v) ? { ok: true, value: v } : typeError(key, 'int', v);
}

/** An optional object field. */
export function readObject(o: JsonObject, key: string): Read<JsonObject | undefined> {
  const v = o[key];
  if (v === undefined || v === null) return { ok: true, value: undefined };
  return isObject(v) ? { ok: true, value: v } : typeError(key, 'object', v);
}

/** An array field (absent: empty). */
export function readArray(o: JsonObject, key: string): Read<readonly JsonValue[]> {
  const v = o[key];
  if (v === undefined || v === null) return { ok: true, value: [] };
  return Array.isArray(v) ? { ok: true, value: v as readonly JsonValue[] } : typeError(key, 'array', v);
}
