/** Small builders for the JSON Schema in schema.ts (draft-07, what YAML editors understand). */
import type { FieldSet } from './fields.js';

/** A JSON value. */
export type Json = string | number | boolean | null | readonly Json[] | { readonly [k: string]: Json };

/** A JSON Schema node. */
export type Schema = { readonly [k: string]: Json };

/** A string property. */
export const str = (description: string, extra: Schema = {}): Schema => ({ type: 'string', description, ...extra });
/** An integer property. */
export const int = (description: string, minimum: number, maximum: number, extra: Schema = {}): Schema => ({ type: 'integer', minimum, maximum, description, ...extra });
/** A boolean property. */
export const bool = (description: string, dflt?: boolean): Schema => (dflt === undefined ? { type: 'boolean', description } : { type: 'boolean', default: dflt, description });
/** One of fixed strings. */
export const enm = (values: readonly string[], description: string, dflt?: string): Schema => ({ type: 'string', enum: [...values], description, ...(dflt === undefined ? {} : { default: dflt }) });
/** A list. */
export const list = (items: Schema, description: string): Schema => ({ type: 'array', items, description });
/** A `$ref` into definitions. */
export const ref = (name: string, description?: string): Schema => (description === undefined ? { $ref: `#/definitions/${name}` } : { $ref: `#/definitions/${name}`, description });
/** An address in text form. */
export const ipText = (description: string): Schema => str(description, { pattern: '^[0-9a-fA-F.:]+$' });
/** A prefix in text form. */
export const cidrText = (description: string, dflt?: string): Schema => str(description, { pattern: '^[0-9a-fA-F.:]+/[0-9]{1,3}$', ...(dflt === undefined ? {} : { default: dflt }) });
/** A prefix, or a dual-stack pair of prefixes separated by a comma. */
export const cidrPairText = (description: string, dflt?: string): Schema => str(description, { pattern: '^[0-9a-fA-F.:]+/[0-9]{1,3}(,[0-9a-fA-F.:]+/[0-9]{1,3})?$', ...(dflt === undefined ? {} : { default: dflt }) });
/** A field Kubernetes defines and netsim accepts without reading. */
const IGNORED: Schema = { description: 'Kubernetes field; accepted and ignored by netsim' };

/**
 * A mapping whose properties are exactly a FieldSet's: `props` must describe every read field
 * (the type says so), ignored fields accept anything, other keys are not allowed (the
 * loader's SCN_UNKNOWN_FIELD).
 */
export function object<R extends string>(set: FieldSet<R>, props: Readonly<Record<R, Schema>>, description: string, required: readonly R[] = []): Schema {
  const properties: Record<string, Json> = {};
  for (const k of set.read) properties[k] = props[k];
  for (const k of set.ignored) properties[k] = IGNORED;
  return { type: 'object', description, properties, additionalProperties: false, ...(required.length === 0 ? {} : { required: [...required] }) };
}
