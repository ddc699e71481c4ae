/**
 * Felix's rules as data, rendered the way Felix hands them to `iptables-restore`, with the
 * `cali:<hash>` comment it uses to recognise its own rules (felix/iptables/rules.go, table.go).
 *
 * The hash of a rule chains SHA-224 over the chain name and every rule before it, each rule
 * rendered as `-A <chain> HASH <comments> <match> <action>` in Felix's spelling (long options,
 * protocol numbers), then base64url without padding, first 16 characters (Chain.RuleHashes).
 * So a rule's hash depends on its chain and its position. Rules Felix appends to a built-in
 * chain are hashed under the name `<chain>*appends*` (expectedHashesForInsertAppendChain).
 */
import { base64RawUrl, sha224Bytes, utf8Bytes } from '../../../hash/index.js';

/** One rule as Felix builds it (iptables.Rule): its comments, match fragments and action fragment. */
export interface FelixRule {
  readonly comments?: readonly string[];
  /** MatchCriteria fragments in the order they were added (`-p 4`, `-m set --match-set … src`). */
  readonly match?: readonly string[];
  /** Action.ToFragment (`--jump ACCEPT`, `--goto cali-fw-cali1`). */
  readonly action: string;
}

/** A chain Felix owns (iptables.Chain). */
export interface FelixChain {
  readonly name: string;
  readonly rules: readonly FelixRule[];
}

/** HashLength in felix/iptables/rules.go. */
export const HASH_LENGTH = 16;

/** Felix's escapeComment: anything but shell-safe characters becomes `_`; at most 256 characters. */
export function escapeComment(text: string): string {
  return text.replace(/[^\w @%+=:,./-]/g, '_').slice(0, 256);
}

/** Rule.renderInner: the prefix fragment, each comment, the match, the action, joined by spaces. */
function renderInner(head: string, prefix: string, rule: FelixRule): string {
  const parts = [head];
  if (prefix !== '') parts.push(prefix);
  for (const c of rule.comments ?? []) parts.push(`-m comment --comment "${escapeComment(c)}"`);
  const match = (rule.match ?? []).join(' ');
  if (match !== '') parts.push(match);
  if (rule.action !== '') parts.push(rule.action);
  return parts.join(' ');
}

/** Chain.RuleHashes: one `cali:` id per rule, each chained over the rules before it. */
export function ruleHashes(chainName: string, rules: readonly FelixRule[]): string[] {
  let hash = sha224Bytes(utf8Bytes(chainName));
  return rules.map((rule) => {
    const text = utf8Bytes(renderInner(`-A ${chainName}`, 'HASH', rule));
    const buf = new Uint8Array(hash.length + text.length);
    buf.set(hash);
    buf.set(text, hash.length);
    hash = sha224Bytes(buf);
    return base64RawUrl(hash).slice(0, HASH_LENGTH);
  });
}

/**
 * The `-A` lines Felix writes for `rules` in `chain`, each with its `cali:` comment first.
 * `hashName` is the name the hashes are computed under (differs for appended rules).
 */
export function renderRules(chain: string, rules: readonly FelixRule[], hashName: string = chain): string[] {
  const hashes = ruleHashes(hashName, rules);
  return rules.map((r, i) => renderInner(`-A ${chain}`, `-m comment --comment "cali:${hashes[i] ?? ''}"`, r));
}
