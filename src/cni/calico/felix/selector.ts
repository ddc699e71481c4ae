/**
 * Calico's label selectors as the parsed tree Felix keeps (libcalico-go
 * lib/selector/parser/ast.go), with the canonical text `String()` prints and the unique id
 * `UniqueID()` hashes: the id names the selector's ipset (`cali40s:<id>`), so the text must come
 * out byte for byte as Calico's.
 *
 * The tree is built as Calico's parser would build it from the text libcalico-go writes:
 * `a && b && c` is one AND of three, a parenthesised group stays one operand (the parser does not
 * flatten across parentheses), `in`/`not in` value sets are sorted and deduplicated
 * (ConvertToStringSetInPlace). Only the node kinds a converted Kubernetes NetworkPolicy uses.
 */
import { base64RawUrl, sha224Bytes, utf8Bytes } from '../../../hash/index.js';

/** One node of a parsed selector. */
export type CalicoSelector =
  | { readonly op: 'all' }
  | { readonly op: 'has'; readonly label: string }
  | { readonly op: '=='; readonly label: string; readonly value: string }
  | { readonly op: 'in' | 'not in'; readonly label: string; readonly values: readonly string[] }
  | { readonly op: '!'; readonly operand: CalicoSelector }
  | { readonly op: '&&'; readonly operands: readonly CalicoSelector[] };

/** `all()`: matches every endpoint (an empty selector parses to it too). */
export const ALL: CalicoSelector = { op: 'all' };

/** The AND of `parts` as parseAndExpression builds it: one part stays itself. */
export function andOf(parts: readonly CalicoSelector[]): CalicoSelector {
  if (parts.length === 0) return ALL;
  if (parts.length === 1) return parts[0] as CalicoSelector;
  return { op: '&&', operands: parts };
}

/** `label in {…}` with the value set as the parser keeps it: sorted, no duplicates. */
export function inSet(op: 'in' | 'not in', label: string, values: readonly string[]): CalicoSelector {
  return { op, label, values: [...new Set(values)].sort() };
}

/** appendLabelOpAndQuotedString: double quotes unless the value holds one. */
function quoted(s: string): string {
  return s.includes('"') ? `'${s}'` : `"${s}"`;
}

/** selectorRoot.String(): the canonical text (collectFragments joined). */
export function selectorString(sel: CalicoSelector): string {
  switch (sel.op) {
    case 'all':
      return 'all()';
    case 'has':
      return `has(${sel.label})`;
    case '==':
      return `${sel.label} == ${quoted(sel.value)}`;
    case 'in':
    case 'not in':
      return `${sel.label} ${sel.op} {${sel.values.map(quoted).join(', ')}}`;
    case '!':
      return `!${selectorString(sel.operand)}`;
    case '&&':
      return `(${sel.operands.map(selectorString).join(' && ')})`;
  }
}

/** hash.MakeUniqueID: `<prefix>:` + base64url (no padding) of SHA-224 over `<prefix>:<content>`. */
export function makeUniqueId(prefix: string, content: string): string {
  return `${prefix}:${base64RawUrl(sha224Bytes(utf8Bytes(`${prefix}:${content}`)))}`;
}

/** selectorRoot.UniqueID(): `s:` + the hash of the canonical text. */
export function selectorUniqueId(sel: CalicoSelector): string {
  return makeUniqueId('s', selectorString(sel));
}

/** Evaluate against an endpoint's labels (its own and those it inherits from its profiles). */
export function selectorMatches(sel: CalicoSelector, labels: Readonly<Record<string, string>>): boolean {
  switch (sel.op) {
    case 'all':
      return true;
    case 'has':
      return Object.hasOwn(labels, sel.label);
    case '==':
      return labels[sel.label] === sel.value;
    case 'in':
      return Object.hasOwn(labels, sel.label) && sel.values.includes(labels[sel.label] as string);
    case 'not in':
      // LabelNotInSetNode: an absent label is not in the set.
      return !Object.hasOwn(labels, sel.label) || !sel.values.includes(labels[sel.label] as string);
    case '!':
      return !selectorMatches(sel.operand, labels);
    case '&&':
      return sel.operands.every((o) => selectorMatches(o, labels));
  }
}

/** PrefixVisitor: every label name gets `prefix` (namespace selectors become `pcns.<key>`). */
export function prefixLabels(sel: CalicoSelector, prefix: string): CalicoSelector {
  switch (sel.op) {
    case 'all':
      return sel;
    case 'has':
    case '==':
    case 'in':
    case 'not in':
      return { ...sel, label: prefix + sel.label };
    case '!':
      return { op: '!', operand: prefixLabels(sel.operand, prefix) };
    case '&&':
      return { op: '&&', operands: sel.operands.map((o) => prefixLabels(o, prefix)) };
  }
}
