/**
 * Applying the rules to located fields: the readers call these with the field's key in
 * uses.ts, and a refusal is reported the way the API server words it:
 * `metadata.name: Invalid value: "Pod_A": a lowercase RFC 1123 subdomain must …`
 * (field.Invalid's `FIELD: Invalid value: VALUE: DETAIL`, one diagnostic per detail).
 */
import { assertNever } from '../../diag/diagnostic.js';
import { type Field, absent, child, fail, fieldName, isMap, optList, optMap, optString, shownInteger, wrongType } from '../reader.js';
import { ruleProblems } from './check.js';
import { RULES } from './rules.js';
import {
  ANNOTATIONS_MAX_BYTES, INT_FIELDS, type IntField, type IntRule, LIST_FIELDS, type ListField, TEXT_FIELDS, type TextField, type TextRule,
} from './uses.js';

const encoder = new TextEncoder();

/** Longer values are cut in messages (the API server prints them whole). */
const SHOWN_CHARS = 80;

/** A value as Go's `%q` prints it, cut when long. */
export function quoted(value: string): string {
  const chars = [...value];
  return JSON.stringify(chars.length > SHOWN_CHARS ? `${chars.slice(0, SHOWN_CHARS).join('')}…` : value);
}

/** Where a refusal points: the value (default) or the mapping key, and the path it names. */
export interface Where {
  readonly part?: 'key' | 'value';
  /** The field path in the message (default: the field's own); a function is called only for a refusal. */
  readonly path?: string | (() => string);
}

/** Checks a string already read from `f` against its rule; true when it obeys. */
export function checkText(f: Field, use: TextField, value: string, where: Where = {}): boolean {
  const entry: TextRule = TEXT_FIELDS[use];
  const rule = RULES[entry.rule];
  const problems = ruleProblems(entry.rule, normalized(value, entry.normalize));
  if (problems.length === 0) return true;
  const path = where.path === undefined ? fieldName(f) : typeof where.path === 'string' ? where.path : where.path();
  for (const p of problems) fail(f, rule.code, `${path}: Invalid value: ${quoted(value)}: ${p}`, where.part ?? 'value');
  return problems.length === 0;
}

function normalized(value: string, how: TextRule['normalize']): string {
  switch (how) {
    case undefined:
      return value;
    case 'lowercase':
      return value.toLowerCase();
    case 'trimTrailingDot':
      return value.endsWith('.') ? value.slice(0, -1) : value;
    default:
      return assertNever(how, 'normalization');
  }
}

/** A list field no longer than its cap; the items, or undefined when absent or not a list. */
export function optListField(f: Field, use: ListField): readonly Field[] | undefined {
  const items = optList(f);
  const { max } = LIST_FIELDS[use];
  if (items !== undefined && items.length > max) {
    fail(f, 'SCN_BAD_VALUE', `${fieldName(f)}: Too many: ${items.length}: must have at most ${max} items`);
  }
  return items;
}

/**
 * A string field that must obey its rule. A refused value is reported and still returned, so
 * that one bad name does not also make every reference to it dangle.
 */
export function optText(f: Field, use: TextField): string | undefined {
  const s = optString(f);
  if (s !== undefined) checkText(f, use, s);
  return s;
}

/** An integer field within its range; undefined when absent, refused, or the "unset" value. */
export function optIntField(f: Field, use: IntField): number | undefined {
  if (absent(f)) return undefined;
  const v = f.value;
  if (typeof v !== 'number' || !Number.isInteger(v)) return wrongType(f, 'an integer');
  const rule: IntRule = INT_FIELDS[use];
  if (v === rule.unset) return undefined;
  if (v >= rule.min && v <= rule.max) return v;
  fail(f, 'SCN_BAD_VALUE', `${fieldName(f)}: Invalid value: ${shownInteger(v)}: ${rule.message}`);
  return undefined;
}

/** A label map (metadata.labels, a Service selector): string values, keys and values by their rules. */
export function optLabels(f: Field, keyUse: TextField, valueUse: TextField): Readonly<Record<string, string>> | undefined {
  const m = optMap(f);
  if (m === undefined) return undefined;
  const out: Record<string, string> = {};
  const path = (): string => fieldName(f);
  for (const [k, v] of Object.entries(m)) {
    const item = child(f, k);
    checkText(item, keyUse, k, { part: 'key', path });
    if (typeof v !== 'string') {
      wrongType(item, 'a string (quote numbers and booleans)');
      continue;
    }
    checkText(item, valueUse, v, { path });
    out[k] = v;
  }
  return out;
}

/**
 * ValidateAnnotations: string values, keys that are qualified names once lowercased, and at
 * most TotalAnnotationSizeLimitB bytes of keys and values together.
 */
export function checkAnnotations(f: Field): void {
  if (optMap(f) === undefined || !isMap(f.value)) return;
  const path = (): string => fieldName(f);
  let size = 0;
  for (const [k, v] of Object.entries(f.value)) {
    const item = child(f, k);
    checkText(item, 'metadata.annotations key', k, { part: 'key', path });
    if (typeof v !== 'string') wrongType(item, 'a string (quote numbers and booleans)');
    size += encoder.encode(k).length + (typeof v === 'string' ? encoder.encode(v).length : 0);
  }
  if (size > ANNOTATIONS_MAX_BYTES) {
    fail(f, 'SCN_BAD_VALUE', `${path()}: Too long: may not be more than ${ANNOTATIONS_MAX_BYTES} bytes (the keys and values take ${size})`, 'key');
  }
}
