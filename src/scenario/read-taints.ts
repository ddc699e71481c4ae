/**
 * Reading a node's `spec.taints` and a pod template's `tolerations` as the API server checks
 * them (pkg/apis/core/validation `validateNodeTaints`, `ValidateTolerations`): a taint needs a
 * key (a label name) and an effect; a toleration with an empty key must use `Exists`, and an
 * `Exists` toleration has no value.
 */
import type { Taint, TaintEffect, Toleration } from '../cluster/objects.js';
import { TAINT, TOLERATION } from './fields.js';
import { type Field, absent, child, fail, fieldName, missing, optEnum, optList, optMap, optString } from './reader.js';
import { checkText, quoted } from './validate/index.js';

/** The effects of taints and tolerations. */
export const TAINT_EFFECTS: readonly TaintEffect[] = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** `spec.taints` of a node (a list; absent: none). */
export function readTaints(f: Field): Taint[] {
  return (optList(f) ?? []).flatMap((item) => {
    if (optMap(item, TAINT) === undefined) return [];
    const keyField = child(item, 'key');
    const key = absent(keyField) ? missing(item, 'key') : optString(keyField);
    if (key !== undefined) checkText(keyField, 'Node spec.taints[].key', key);
    const value = optString(child(item, 'value')) ?? '';
    const effectField = child(item, 'effect');
    const effect = absent(effectField) ? missing(item, 'effect') : optEnum(effectField, TAINT_EFFECTS);
    return key === undefined || effect === undefined ? [] : [{ key, value, effect }];
  });
}

/** `spec.tolerations` of a pod template. */
export function readTolerations(f: Field): Toleration[] {
  return (optList(f) ?? []).flatMap((item) => {
    if (optMap(item, TOLERATION) === undefined) return [];
    const key = optString(child(item, 'key')) ?? '';
    if (key !== '') checkText(child(item, 'key'), 'Pod spec.tolerations[].key', key);
    const operatorField = child(item, 'operator');
    const operator = optEnum(operatorField, ['Exists', 'Equal']) ?? 'Equal';
    const valueField = child(item, 'value');
    const value = optString(valueField) ?? '';
    if (key === '' && operator !== 'Exists') {
      fail(operatorField.value === undefined ? item : operatorField, 'SCN_BAD_VALUE', `${fieldName(operatorField)}: Invalid value: ${quoted(operator)}: operator must be Exists when \`key\` is empty, which means "match all values and all keys"`);
    }
    if (operator === 'Exists' && value !== '') fail(valueField, 'SCN_BAD_VALUE', `${fieldName(item)}.operator: Invalid value: ${quoted(value)}: value must be empty when \`operator\` is 'Exists'`);
    const effect = optEnum(child(item, 'effect'), TAINT_EFFECTS);
    return [{ key, operator, value, ...(effect === undefined ? {} : { effect }) }];
  });
}
