/**
 * Reading a `metav1.LabelSelector` as ValidateLabelSelector checks it
 * (k8s.io/apimachinery/pkg/apis/meta/v1/validation): matchLabels keys and values by the label
 * rules; each matchExpressions entry with a label-name key, an operator of In, NotIn, Exists,
 * DoesNotExist, values required for In and NotIn and forbidden for the other two, each value a
 * label value. The wording is the API server's.
 */
import type { LabelSelector, SelectorOperator, SelectorRequirement } from '../cluster/objects.js';
import { LABEL_SELECTOR, SELECTOR_REQUIREMENT } from './fields.js';
import { type Field, absent, child, fail, fieldName, missing, optList, optMap, optString, wrongType } from './reader.js';
import { checkText, optLabels, quoted } from './validate/index.js';

const OPERATORS: readonly SelectorOperator[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** A selector field; undefined when absent (a nil selector, which Kubernetes tells apart from `{}`). */
export function optSelector(f: Field): LabelSelector | undefined {
  if (absent(f)) return undefined;
  if (optMap(f, LABEL_SELECTOR) === undefined) return undefined;
  const matchLabels = optLabels(child(f, 'matchLabels'), 'LabelSelector matchLabels key', 'LabelSelector matchLabels value') ?? {};
  const matchExpressions = (optList(child(f, 'matchExpressions')) ?? []).flatMap((e) => readRequirement(e) ?? []);
  return { matchLabels, matchExpressions };
}

function readRequirement(f: Field): SelectorRequirement | undefined {
  if (optMap(f, SELECTOR_REQUIREMENT) === undefined) return undefined;
  const keyField = child(f, 'key');
  const key = absent(keyField) ? missing(f, 'key') : optString(keyField);
  if (key !== undefined) checkText(keyField, 'LabelSelector matchExpressions[].key', key);
  const opField = child(f, 'operator');
  const op = absent(opField) ? missing(f, 'operator') : optString(opField);
  const valuesField = child(f, 'values');
  const values = readValues(valuesField);
  if (op === undefined || key === undefined || values === undefined) return undefined;
  if (!(OPERATORS as readonly string[]).includes(op)) {
    fail(opField, 'SCN_NETPOL_BAD_SELECTOR', `${fieldName(opField)}: Invalid value: ${quoted(op)}: not a valid selector operator (In, NotIn, Exists, DoesNotExist)`);
    return undefined;
  }
  const operator = op as SelectorOperator;
  const listed = operator === 'In' || operator === 'NotIn';
  if (listed && values.length === 0) {
    fail(absent(valuesField) ? f : valuesField, 'SCN_NETPOL_BAD_SELECTOR', `${fieldName(valuesField)}: Required value: must be specified when \`operator\` is 'In' or 'NotIn'`);
    return undefined;
  }
  if (!listed && values.length > 0) {
    fail(valuesField, 'SCN_NETPOL_BAD_SELECTOR', `${fieldName(valuesField)}: Forbidden: may not be specified when \`operator\` is 'Exists' or 'DoesNotExist'`);
    return undefined;
  }
  return { key, operator, values };
}

/** `values`: strings, each a label value. */
function readValues(f: Field): string[] | undefined {
  const items = optList(f);
  if (items === undefined) return absent(f) ? [] : undefined;
  const out: string[] = [];
  for (const item of items) {
    if (typeof item.value !== 'string') {
      wrongType(item, 'a string (quote numbers and booleans)');
      return undefined;
    }
    checkText(item, 'LabelSelector matchExpressions[].values[]', item.value);
    out.push(item.value);
  }
  return out;
}
