/**
 * Sockets (`ss -ltun`): what a namespace listens on, and the connections its programs opened.
 * Local delivery (stack/input.ts) looks a packet up here as __inet_lookup (net/ipv4/inet_hashtables.c)
 * and udp4_lib_lookup do: an established socket matching the 4-tuple first, then a listener bound
 * to the destination address or to the wildcard. Nothing found: tcp_v4_rcv sends a reset,
 * __udp4_lib_rcv an ICMP port unreachable.
 *
 * A namespace whose sockets were never described (`modelled: false`, as one built by hand or by
 * `iptables trace`) accepts every port, so the kernel model still works without a workload.
 */
import { type Ip, ipEquals } from '../addr/ip.js';
import { ownSockets } from './cow.js';
import type { Netns } from './netns.js';

/** The transport protocols with sockets netsim models. */
export type SocketProto = 'tcp' | 'udp' | 'sctp';

/** A bound socket: listening (`listen(2)` / a bound UDP socket) or connected (`connect(2)`). */
export type Socket =
  | { readonly kind: 'listen'; readonly proto: SocketProto; readonly port: number; readonly addr?: Ip; readonly owner: string }
  | { readonly kind: 'connected'; readonly proto: SocketProto; readonly port: number; readonly addr: Ip; readonly peer: Ip; readonly peerPort: number; readonly owner: string };

/** A namespace's socket table. */
export interface SocketTable {
  /** false: nobody said what runs here, so every port answers. */
  modelled: boolean;
  readonly list: Socket[];
}

/** An empty, unmodelled table (every port answers until someone says what listens). */
export function emptySockets(): SocketTable {
  return { modelled: false, list: [] };
}

/** Declares that the namespace's sockets are known: from now on only listed sockets answer. */
export function modelSockets(ns: Netns): void {
  if (!ns.sockets.modelled) ownSockets(ns).modelled = true;
}

type ListenSpec = Omit<Extract<Socket, { kind: 'listen' }>, 'kind'>;

function listenKey(s: { proto: SocketProto; port: number; addr?: Ip | undefined }): string {
  return `${s.proto} ${s.port} ${s.addr === undefined ? '*' : s.addr.family + ' ' + s.addr.value}`;
}

/** `bind(addr|0.0.0.0, port)` + `listen()`: a listener (the wildcard when `addr` is absent). Idempotent. */
export function listen(ns: Netns, s: ListenSpec): void {
  modelSockets(ns);
  const dup = ns.sockets.list.some((x) => x.kind === 'listen' && x.proto === s.proto && x.port === s.port && sameAddr(x.addr, s.addr));
  if (!dup) ownSockets(ns).list.push({ kind: 'listen', ...s });
}

/**
 * {@link listen} for many sockets at once (a node's kube-proxy opens a health-check server per
 * `externalTrafficPolicy: Local` Service): the same table, without rescanning it for each.
 */
export function listenAll(ns: Netns, sockets: readonly ListenSpec[]): void {
  modelSockets(ns);
  const seen = new Set(ns.sockets.list.filter((x) => x.kind === 'listen').map(listenKey));
  for (const s of sockets) {
    const k = listenKey(s);
    if (seen.has(k)) continue;
    seen.add(k);
    ownSockets(ns).list.push({ kind: 'listen', ...s });
  }
}

/** The listeners of {@link listenShared}: made once for many namespaces (immutable, so shared), first of each key only, with their keys. */
export interface SharedListeners {
  readonly entries: readonly Socket[];
  readonly keys: readonly string[];
  readonly keySet: ReadonlySet<string>;
}

/** Listeners to open in many namespaces (see {@link listenShared}). */
export function sharedListeners(sockets: readonly ListenSpec[]): SharedListeners {
  const entries: Socket[] = [];
  const keys: string[] = [];
  const keySet = new Set<string>();
  for (const s of sockets) {
    const k = listenKey(s);
    if (keySet.has(k)) continue;
    keySet.add(k);
    keys.push(k);
    entries.push({ kind: 'listen', ...s });
  }
  return { entries, keys, keySet };
}

/**
 * `listenAll(ns, [...head, ...shared, ...tail])` where `shared` is the same on many namespaces
 * (every node's kube-proxy opens a health-check server per eTP Local Service, thousands at
 * scale): the shared entries are pushed as they are, not made again per namespace.
 * socket.property.test.ts checks it against listenAll.
 */
export function listenShared(ns: Netns, head: readonly ListenSpec[], shared: SharedListeners, tail: readonly ListenSpec[]): void {
  modelSockets(ns);
  const seen = new Set<string>();
  for (const x of ns.sockets.list) if (x.kind === 'listen') seen.add(listenKey(x));
  for (const s of head) {
    const k = listenKey(s);
    if (seen.has(k)) continue;
    seen.add(k);
    ownSockets(ns).list.push({ kind: 'listen', ...s });
  }
  for (let i = 0; i < shared.entries.length; i++) {
    if (seen.has(shared.keys[i] as string)) continue;
    ownSockets(ns).list.push(shared.entries[i] as Socket);
  }
  for (const s of tail) {
    const k = listenKey(s);
    if (seen.has(k) || shared.keySet.has(k)) continue;
    seen.add(k);
    ownSockets(ns).list.push({ kind: 'listen', ...s });
  }
}

/** `connect()`: a client socket, so the answer to it finds a home. */
export function connectSocket(ns: Netns, s: Omit<Extract<Socket, { kind: 'connected' }>, 'kind'>): void {
  // A trace's client socket: its fork copies the node's table (thousands of listeners) only now (cow.ts).
  ownSockets(ns).list.push({ kind: 'connected', ...s });
}

function sameAddr(a: Ip | undefined, b: Ip | undefined): boolean {
  return a === undefined || b === undefined ? a === b : ipEquals(a, b);
}

/** What arrived, as the socket lookup sees it. */
export interface SocketKey {
  readonly proto: SocketProto;
  readonly src: Ip;
  readonly sport: number;
  readonly dst: Ip;
  readonly dport: number;
}

/** The socket that takes a packet, `'unmodelled'` when every port answers, or undefined when none does. */
export function lookupSocket(ns: Netns, k: SocketKey): Socket | 'unmodelled' | undefined {
  if (!ns.sockets.modelled) return 'unmodelled';
  const same = ns.sockets.list.filter((s) => s.proto === k.proto && s.port === k.dport);
  const established = same.find((s) => s.kind === 'connected' && ipEquals(s.addr, k.dst) && ipEquals(s.peer, k.src) && s.peerPort === k.sport);
  return established ?? same.find((s) => s.kind === 'listen' && (s.addr === undefined || ipEquals(s.addr, k.dst)));
}
