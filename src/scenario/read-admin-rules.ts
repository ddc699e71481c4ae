/**
 * Reading the parts AdminNetworkPolicy and BaselineAdminNetworkPolicy share: subjects, rules,
 * peers and ports, with the CRD's validation (kubernetes-sigs/network-policy-api
 * apis/v1alpha1 kubebuilder markers and CEL rules: MinProperties/MaxProperties=1 on subjects,
 * peers and ports; MinItems=1/MaxItems=100 on from, to and ports; MaxItems=25 on networks;
 * `isCIDR`; the action enum; no named port beside a networks/nodes peer). Messages are worded
 * as the API server words a CRD's OpenAPI and CEL failures.
 */
import type { AdminAction, AdminPeer, AdminPort, AdminRule, AdminSelection, NamespacedPod } from '../cluster/objects.js';
import { ADMIN_LIMITS, EVERYTHING } from '../cluster/objects.js';
import { ADMIN_EGRESS_PEER, ADMIN_EGRESS_RULE, ADMIN_INGRESS_RULE, ADMIN_NAMESPACED_POD, ADMIN_PORT, ADMIN_PORT_NUMBER, ADMIN_PORT_RANGE, ADMIN_SUBJECT } from './fields.js';
import { optCidr } from './read-addr.js';
import { PROTOCOLS } from './read-pod.js';
import { optSelector } from './read-selector.js';
import { type Field, absent, child, fail, fieldName, isMap, optList, optMap, optString, shownInteger, warn, wrongType } from './reader.js';
import { checkText, quoted } from './validate/index.js';

/** Which kind a rule belongs to: a BANP's actions are Allow and Deny only. */
export type AdminKind = 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy';

/** `subject` (required): exactly one of namespaces or pods. */
export function readSubject(spec: Field): AdminSelection | undefined {
  const f = child(spec, 'subject');
  if (absent(f)) {
    fail(spec, 'SCN_ANP_SUBJECT', `${fieldName(f)}: Required value`, 'key');
    return undefined;
  }
  return readSelection(f, ADMIN_SUBJECT, 'SCN_ANP_SUBJECT');
}

/** A mapping that must set exactly one of its fields (MinProperties=1, MaxProperties=1). */
function exactlyOne(f: Field, code: string): string | undefined {
  if (!isMap(f.value)) return undefined;
  const keys = Object.keys(f.value).filter((k) => !absent(child(f, k)));
  if (keys.length === 1) return keys[0];
  const message = keys.length === 0 ? `Invalid value: 0: ${fieldName(f)} in body should have at least 1 properties` : `Too many: ${keys.length}: must have at most 1 items`;
  fail(f, code, `${fieldName(f)}: ${message}`);
  return undefined;
}

/** `namespaces` or `pods` (a subject, or an ingress peer). */
function readSelection(f: Field, set: typeof ADMIN_SUBJECT, code: string): AdminSelection | undefined {
  if (optMap(f, set) === undefined) return undefined;
  const key = exactlyOne(f, code);
  if (key === 'namespaces') {
    const namespaces = optSelector(child(f, 'namespaces'));
    return namespaces === undefined ? undefined : { namespaces };
  }
  if (key === 'pods') {
    const pods = readNamespacedPod(child(f, 'pods'));
    return pods === undefined ? undefined : { pods };
  }
  return undefined;
}

/** `NamespacedPod`: both selectors are required by the CRD; `{}` selects everything. */
function readNamespacedPod(f: Field): NamespacedPod | undefined {
  if (optMap(f, ADMIN_NAMESPACED_POD) === undefined) return undefined;
  for (const key of ['namespaceSelector', 'podSelector']) {
    if (absent(child(f, key))) fail(f, 'SCN_ANP_SUBJECT', `${fieldName(child(f, key))}: Required value`, 'key');
  }
  return { namespaceSelector: optSelector(child(f, 'namespaceSelector')) ?? EVERYTHING, podSelector: optSelector(child(f, 'podSelector')) ?? EVERYTHING };
}

/** `spec.ingress` or `spec.egress`: at most 100 rules, each read in order. */
export function readRules(f: Field, kind: AdminKind, type: 'Ingress' | 'Egress'): AdminRule[] {
  const items = optList(f) ?? [];
  if (!tooMany(f, items.length, ADMIN_LIMITS.maxRules)) return [];
  return items.flatMap((r) => readRule(r, kind, type) ?? []);
}

/** MaxItems: false (and reported) past `max`. */
function tooMany(f: Field, count: number, max: number): boolean {
  if (count <= max) return true;
  fail(f, 'SCN_ANP_TOO_MANY', `${fieldName(f)}: Too many: ${count}: must have at most ${max} items`);
  return false;
}

function readRule(f: Field, kind: AdminKind, type: 'Ingress' | 'Egress'): AdminRule | undefined {
  if (optMap(f, type === 'Ingress' ? ADMIN_INGRESS_RULE : ADMIN_EGRESS_RULE) === undefined) {
    if (absent(f)) wrongType(f, 'a rule (a mapping with action and from/to)');
    return undefined;
  }
  const nameField = child(f, 'name');
  const name = optString(nameField) ?? '';
  if ([...name].length > ADMIN_LIMITS.maxRuleName) fail(nameField, 'SCN_ANP_TOO_MANY', `${fieldName(nameField)}: Too long: may not be longer than ${ADMIN_LIMITS.maxRuleName}`);
  const action = readAction(f, kind);
  const peersField = child(f, type === 'Ingress' ? 'from' : 'to');
  const peers = readList(f, peersField, ADMIN_LIMITS.maxPeers, (p) => readPeer(p, type));
  const portsField = child(f, 'ports');
  const ports = absent(portsField) ? undefined : readList(f, portsField, ADMIN_LIMITS.maxPorts, readPort);
  if (ports?.some((p) => 'namedPort' in p) && peers?.some((p) => 'networks' in p || 'nodes' in p || 'domainNames' in p)) {
    fail(f, 'SCN_ANP_BAD_PEER', `${fieldName(f)}: Invalid value: "object": networks/nodes${kind === 'AdminNetworkPolicy' ? '/domainNames' : ''} peer cannot be set with namedPorts since there are no namedPorts for networks/nodes${kind === 'AdminNetworkPolicy' ? '/domainNames' : ''}`);
    return undefined;
  }
  if (action === undefined || peers === undefined || (ports === undefined && !absent(portsField))) return undefined;
  return { name, action, peers, ...(ports === undefined ? {} : { ports }) };
}

/** `action` (required): Allow, Deny or Pass in an ANP; Allow or Deny in a BANP. */
function readAction(rule: Field, kind: AdminKind): AdminAction | undefined {
  const f = child(rule, 'action');
  if (absent(f)) {
    fail(rule, 'SCN_ANP_ACTION', `${fieldName(f)}: Required value`, 'value');
    return undefined;
  }
  const s = optString(f);
  if (s === undefined) return undefined;
  const allowed: readonly AdminAction[] = kind === 'AdminNetworkPolicy' ? ['Allow', 'Deny', 'Pass'] : ['Allow', 'Deny'];
  if ((allowed as readonly string[]).includes(s)) return s as AdminAction;
  fail(f, 'SCN_ANP_ACTION', `${fieldName(f)}: Unsupported value: ${quoted(s)}: supported values: ${allowed.map((a) => `"${a}"`).join(', ')}`);
  return undefined;
}

/** A required list of 1 to `max` items; undefined when absent, empty or too long. */
function readList<T>(rule: Field, f: Field, max: number, read: (item: Field) => T | undefined): T[] | undefined {
  const items = optList(f);
  if (items === undefined) {
    if (absent(f)) fail(rule, 'SCN_ANP_BAD_PEER', `${fieldName(f)}: Required value`);
    return undefined;
  }
  if (items.length === 0) {
    fail(f, f.path.at(-1) === 'ports' ? 'SCN_ANP_BAD_PORT' : 'SCN_ANP_BAD_PEER', `${fieldName(f)}: Invalid value: 0: ${fieldName(f)} in body should have at least 1 items`);
    return undefined;
  }
  if (!tooMany(f, items.length, max)) return undefined;
  const out = items.map(read);
  return out.every((x) => x !== undefined) ? (out as T[]) : undefined;
}

/** A peer: namespaces or pods; for egress also nodes, networks or domainNames. */
function readPeer(f: Field, type: 'Ingress' | 'Egress'): AdminPeer | undefined {
  if (type === 'Ingress') return readSelection(f, ADMIN_SUBJECT, 'SCN_ANP_BAD_PEER');
  if (optMap(f, ADMIN_EGRESS_PEER) === undefined) return undefined;
  const key = exactlyOne(f, 'SCN_ANP_BAD_PEER');
  if (key === 'namespaces' || key === 'pods') return readSelection(f, ADMIN_SUBJECT, 'SCN_ANP_BAD_PEER');
  if (key === 'nodes') {
    const nodes = optSelector(child(f, 'nodes'));
    return nodes === undefined ? undefined : { nodes };
  }
  if (key === 'networks') return readNetworks(child(f, 'networks'));
  if (key === 'domainNames') {
    const names = (optList(child(f, 'domainNames')) ?? []).flatMap((n) => optString(n) ?? []);
    warn(child(f, 'domainNames'), 'SCN_ANP_DOMAIN_NAMES', `${fieldName(child(f, 'domainNames'))}: netsim resolves no DNS names: this peer matches nothing`);
    return { domainNames: names };
  }
  return undefined;
}

/** `networks`: 1 to 25 CIDRs (`isCIDR`), IPv4 or IPv6. */
function readNetworks(f: Field): AdminPeer | undefined {
  const items = optList(f);
  if (items === undefined) return undefined;
  if (items.length === 0) {
    fail(f, 'SCN_ANP_BAD_PEER', `${fieldName(f)}: Invalid value: 0: ${fieldName(f)} in body should have at least 1 items`);
    return undefined;
  }
  if (!tooMany(f, items.length, ADMIN_LIMITS.maxNetworks)) return undefined;
  const networks = items.map((item) => optCidr(item));
  return networks.every((c) => c !== undefined) ? { networks } : undefined;
}

/** A port: exactly one of portNumber, namedPort or portRange. */
function readPort(f: Field): AdminPort | undefined {
  if (optMap(f, ADMIN_PORT) === undefined) return undefined;
  const key = exactlyOne(f, 'SCN_ANP_BAD_PORT');
  if (key === 'portNumber') {
    const g = child(f, 'portNumber');
    if (optMap(g, ADMIN_PORT_NUMBER) === undefined) return undefined;
    const port = portValue(g, 'port');
    return port === undefined ? undefined : { portNumber: { protocol: protocolOf(g), port } };
  }
  if (key === 'portRange') return readRange(child(f, 'portRange'));
  if (key === 'namedPort') {
    const g = child(f, 'namedPort');
    const name = optString(g);
    if (name === undefined || !checkText(g, 'AdminNetworkPolicy ports[].namedPort', name)) return undefined;
    return { namedPort: name };
  }
  return undefined;
}

/** `portRange`: start and end (1–65535), start not above end (the type's documentation). */
function readRange(g: Field): AdminPort | undefined {
  if (optMap(g, ADMIN_PORT_RANGE) === undefined) return undefined;
  const start = portValue(g, 'start');
  const end = portValue(g, 'end');
  if (start === undefined || end === undefined) return undefined;
  if (start > end) {
    fail(child(g, 'end'), 'SCN_ANP_BAD_PORT', `${fieldName(child(g, 'end'))}: Invalid value: ${end}: the end of a port range must not be below its start (${start})`);
    return undefined;
  }
  return { portRange: { protocol: protocolOf(g), start, end } };
}

/** `protocol`: TCP (the CRD's default), UDP or SCTP. */
function protocolOf(g: Field): 'TCP' | 'UDP' | 'SCTP' {
  const f = child(g, 'protocol');
  const s = optString(f);
  if (s === undefined) return 'TCP';
  if ((PROTOCOLS as readonly string[]).includes(s)) return s as 'TCP' | 'UDP' | 'SCTP';
  fail(f, 'SCN_ANP_BAD_PORT', `${fieldName(f)}: Unsupported value: ${quoted(s)}: supported values: "TCP", "UDP", "SCTP"`);
  return 'TCP';
}

/** A required port number field, 1–65535 (Minimum=1, Maximum=65535). */
function portValue(g: Field, key: string): number | undefined {
  const f = child(g, key);
  if (absent(f)) {
    fail(g, 'SCN_ANP_BAD_PORT', `${fieldName(f)}: Required value`, 'value');
    return undefined;
  }
  if (typeof f.value !== 'number' || !Number.isInteger(f.value)) return wrongType(f, 'an integer');
  const v = f.value;
  if (v >= 1 && v <= 65535) return v;
  const bound = v < 1 ? 'greater than or equal to 1' : 'less than or equal to 65535';
  fail(f, 'SCN_ANP_BAD_PORT', `${fieldName(f)}: Invalid value: ${shownInteger(v)}: ${fieldName(f)} in body should be ${bound}`);
  return undefined;
}
