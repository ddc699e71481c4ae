/**
 * The ipsets policy rules name (felix/calc/rule_scanner.go IPSetData, felix/labelindex):
 *
 * - a selector set `cali40s:<id>` (`hash:net`), id `s:` + SHA-224 of the selector's canonical
 *   text, holding the address of every workload endpoint in the cluster the selector matches;
 * - a named-port set `cali40n:<id>` (`hash:ip,port`), id `n:` + SHA-224 of
 *   `<selector id>,<proto>,<port name>`, holding `ip,proto:port` for each matching endpoint that
 *   declares a port of that name and protocol. The selector is the rule's own for that side, or
 *   `all()` when it has none (an ingress rule's destination).
 *
 * Names are NameForMainIPSet's: `cali4`/`cali6`, `0`, the id, truncated to 31 characters.
 */
import { formatIp } from '../../../addr/ip.js';
import { type IpSet, expandElement } from '../../../kernel/netfilter/ipset/index.js';
import { FELIX_MAXELEM } from './ipsets.js';
import type { FelixWorkload } from './input.js';
import { CALICO_LABELS, type FelixPolicyRule, NAMESPACE_LABEL_PREFIX } from './policy-model.js';
import { ALL, type CalicoSelector, makeUniqueId, selectorMatches, selectorUniqueId } from './selector.js';

/** MaxIPSetNameLength. */
export const MAX_IPSET_NAME_LENGTH = 31;

/** One set a rule needs (IPSetData): a selector, with a named port or not. */
export interface PolicySetData {
  readonly selector: CalicoSelector;
  readonly namedPort?: { readonly name: string; readonly protocol: 'tcp' | 'udp' | 'sctp' };
}

/** IPSetData.UniqueID. */
export function setDataId(d: PolicySetData): string {
  const sel = selectorUniqueId(d.selector);
  return d.namedPort === undefined ? sel : makeUniqueId('n', `${sel},${d.namedPort.protocol},${d.namedPort.name}`);
}

/** IPVersionConfig.NameForMainIPSet (combineAndTrunc). */
export function mainSetName(family: 4 | 6, id: string): string {
  return `cali${family}0${id}`.slice(0, MAX_IPSET_NAME_LENGTH);
}

/** The sets of one rule, as ruleToParsedRule splits them. */
export interface RuleSets {
  readonly src: readonly PolicySetData[];
  readonly dst: readonly PolicySetData[];
  readonly dstNamedPorts: readonly PolicySetData[];
}

/**
 * ruleToParsedRule: a side with named ports and no numeric port folds its selector into the
 * named-port sets (the selector set is not used); the named ports' protocol is the rule's (TCP
 * when it has none).
 */
export function ruleSets(rule: FelixPolicyRule): RuleSets {
  const named = (rule.dstPorts ?? []).flatMap((p) => ('name' in p ? [p.name] : []));
  const numeric = (rule.dstPorts ?? []).filter((p) => !('name' in p));
  const protocol = rule.protocol ?? 'tcp';
  const dstNamedPorts = named.map((name) => ({ selector: rule.dstSelector ?? ALL, namedPort: { name, protocol } }));
  const dst = rule.dstSelector !== undefined && (numeric.length > 0 || named.length === 0) ? [{ selector: rule.dstSelector }] : [];
  return { src: rule.srcSelector === undefined ? [] : [{ selector: rule.srcSelector }], dst, dstNamedPorts };
}

/**
 * The labels a workload endpoint's selectors see: the `kns.<namespace>` profile's (`pcns.`
 * + each namespace label, `pcns.projectcalico.org/name`), overridden by the endpoint's own: the
 * pod's labels and Calico's namespace, orchestrator and service account labels.
 */
export function workloadLabels(w: FelixWorkload): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(w.namespaceLabels ?? {})) out[NAMESPACE_LABEL_PREFIX + k] = v;
  out[NAMESPACE_LABEL_PREFIX + CALICO_LABELS.name] = w.namespace;
  Object.assign(out, w.labels ?? {});
  out[CALICO_LABELS.namespace] = w.namespace;
  out[CALICO_LABELS.orchestrator] = 'k8s';
  out[CALICO_LABELS.serviceAccount] = w.serviceAccount ?? 'default';
  return out;
}

/** The members of one set on a node of `family`, from every workload of the cluster. */
function members(d: PolicySetData, family: 4 | 6, workloads: readonly FelixWorkload[]): string[] {
  const out: string[] = [];
  for (const w of workloads) {
    if (!selectorMatches(d.selector, workloadLabels(w))) continue;
    const ips = w.ips.filter((a) => a.family === family).map(formatIp);
    if (d.namedPort === undefined) {
      out.push(...ips);
      continue;
    }
    const np = d.namedPort;
    for (const p of w.ports ?? []) if (p.name === np.name && p.protocol.toLowerCase() === np.protocol) out.push(...ips.map((ip) => `${ip},${np.protocol}:${p.port}`));
  }
  return [...new Set(out)];
}

/** The kernel's ipset for `d` (Felix creates them `maxelem 1048576`). */
export function policySet(d: PolicySetData, family: 4 | 6, workloads: readonly FelixWorkload[]): IpSet {
  const type = d.namedPort === undefined ? 'hash:net' : 'hash:ip,port';
  return {
    name: mainSetName(family, setDataId(d)),
    type,
    family,
    options: ['hashsize', '1024', 'maxelem', String(FELIX_MAXELEM)],
    members: [...new Set(members(d, family, workloads).flatMap((m) => expandElement(type, family, m) ?? []))],
  };
}
