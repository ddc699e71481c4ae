/**
 * The BGP view (`--view bgp`): the speakers and their sessions as the simulation left them.
 * Speakers are nodes (Calico nodes as rounded boxes, route reflectors as double octagons with
 * their cluster id, underlay routers as octagons, peers outside the model dashed); each
 * session is one edge per pair of speakers and family, coloured by its state as BIRD's
 * `show protocols` gives it (up green, start orange, down red), styled by kind: the
 * node-to-node mesh thin, a reflector's session to a client bold with an arrow towards the
 * client, eBGP dashed with both ASes. A failed speaker (`--fail`) is red and says so; a session
 * whose far end is dead but whose hold timer has not run out stays green from the live side,
 * and its label says it is waiting on the hold timer.
 */
import { type Ip, formatIp } from '../../addr/ip.js';
import type { BgpPeerConfig, BgpResult, BgpSpeakerConfig, SessionView, SpeakerView } from '../../bgp/types.js';
import { birdTime } from '../bird-time.js';
import { FONT, digraph, edgeStmt, nodeStmt, quote } from './dot.js';

/** What the view draws: the configuration (who peers with whom) and the result (how it went). */
export interface BgpPicture {
  readonly speakers: readonly BgpSpeakerConfig[];
  readonly result: BgpResult;
}

/** Session colours: BIRD's `up`, `start`, `down` (and a dead speaker's sessions). */
export const BGP_STATE_COLOURS = { up: '#2ca02c', start: '#ff7f0e', down: '#d62728' } as const;

const FAILED = { color: '#b00020', fill: '#f4cccc' } as const;

/** One end of a session: the speaker, its `protocol bgp` block, and what the simulation says of it. */
interface End {
  readonly speaker: BgpSpeakerConfig;
  readonly peer: BgpPeerConfig;
  readonly view: SessionView | undefined;
  readonly running: boolean;
}

const speakerId = (name: string) => `speaker:${name}`;
const externalId = (addr: Ip) => `peer:${formatIp(addr)}`;

/** Speakers by each of their addresses (and router id), so a 500-node mesh finds peers in constant time. */
function ownersByAddress(speakers: readonly BgpSpeakerConfig[]): Map<string, BgpSpeakerConfig> {
  const m = new Map<string, BgpSpeakerConfig>();
  for (const s of speakers) for (const a of [s.routerId, ...s.addresses]) if (!m.has(formatIp(a))) m.set(formatIp(a), s);
  return m;
}

function speakerNode(s: BgpSpeakerConfig, view: SpeakerView | undefined): string {
  const failed = view?.running === false;
  const role = s.rrClusterId !== undefined ? [`route reflector`, `cluster ${formatIp(s.rrClusterId)}`] : [];
  const label = [s.kind === 'router' ? `router ${s.name}` : s.name, `AS ${s.asNumber}`, `router id ${formatIp(s.routerId)}`, ...role, ...(failed ? ['FAILED'] : [])].join('\n');
  const shape = s.kind === 'router' ? 'octagon' : s.rrClusterId !== undefined ? 'doubleoctagon' : 'box';
  const fill = failed ? FAILED.fill : s.kind === 'router' ? '#d9ead3' : s.rrClusterId !== undefined ? '#fff2cc' : '#e8eefc';
  return nodeStmt(speakerId(s.name), {
    label,
    shape,
    style: failed ? 'rounded,filled,dashed,bold' : 'rounded,filled',
    fillcolor: fill,
    color: failed ? FAILED.color : undefined,
    fontcolor: failed ? FAILED.color : undefined,
    class: failed ? 'bgp-speaker failed' : 'bgp-speaker',
    tooltip: `${s.kind} ${s.name}: AS ${s.asNumber}, ${s.peers.length} BGP peer${s.peers.length === 1 ? '' : 's'}${failed ? ', failed (BIRD not running)' : ''}`,
  });
}

/** A side's state word: BIRD's column, or `dead` for a speaker that is not running. */
function stateOf(e: End): 'up' | 'start' | 'down' | 'dead' {
  if (!e.running) return 'dead';
  return e.view?.state ?? 'down';
}

/**
 * The edge's colour: the worst state among the sides still running. A session with a dead end
 * is red once the live side has noticed (hold timer expired), green while it still says up.
 */
function colourOf(ends: readonly End[]): string {
  const live = ends.filter((e) => e.running).map(stateOf);
  const dead = live.length < ends.length;
  if (dead) return live.includes('up') ? BGP_STATE_COLOURS.up : BGP_STATE_COLOURS.down;
  if (live.includes('down')) return BGP_STATE_COLOURS.down;
  return live.includes('start') ? BGP_STATE_COLOURS.start : BGP_STATE_COLOURS.up;
}

function sideText(e: End, now: number): string {
  if (!e.running) return `${e.speaker.name}: not running`;
  if (e.view === undefined) return `${e.peer.protocol} on ${e.speaker.name}: not simulated`;
  return `${e.peer.protocol} on ${e.speaker.name}: ${e.view.state}, ${e.view.info} since ${birdTime(e.view.since, now)}`;
}

/** The edge of one session between `a` and (when simulated) `b`. */
function sessionEdge(a: End, b: End | undefined, farId: string, now: number): string {
  const ends = b === undefined ? [a] : [a, b];
  const ebgp = a.peer.localAs !== a.peer.peerAs;
  const rrSide = a.peer.rrClient ? a : b?.peer.rrClient === true ? b : undefined;
  const states = ends.map(stateOf);
  const stateLabel = states.every((s) => s === states[0]) ? (states[0] ?? '') : ends.map((e, i) => `${e.speaker.name} ${states[i]}`).join(' / ');
  const waiting = ends.some((e) => !e.running) && ends.some((e) => e.running && e.view?.state === 'up');
  const family = a.peer.peerIp.family === 6 ? 'IPv6 ' : '';
  const kind = ebgp ? `eBGP AS ${a.peer.localAs} ⇄ AS ${a.peer.peerAs}` : rrSide !== undefined ? 'RR client' : a.peer.peerType === 'node-to-node mesh' ? '' : 'iBGP';
  const label = [`${family}${kind}`.trim(), stateLabel, ...(waiting ? ['hold timer running'] : [])].filter((l) => l !== '').join('\n');
  const from = rrSide === undefined ? speakerId(a.speaker.name) : speakerId(rrSide.speaker.name);
  const to = rrSide === undefined || rrSide === a ? farId : speakerId(a.speaker.name);
  const kindClass = ebgp ? 'ebgp' : rrSide !== undefined ? 'rr' : a.peer.peerType === 'node-to-node mesh' ? 'mesh' : 'ibgp';
  return edgeStmt(from, to, {
    label,
    color: colourOf(ends),
    fontcolor: colourOf(ends),
    style: ebgp ? 'dashed' : rrSide !== undefined ? 'bold' : undefined,
    penwidth: rrSide !== undefined ? 2 : undefined,
    dir: rrSide !== undefined ? 'forward' : 'none',
    class: `bgp-session ${kindClass} ${states.join('-')}`,
    tooltip: ends.map((e) => sideText(e, now)).join('\n'),
  });
}

/** The sessions, one edge per pair of speakers and family, in configuration order. */
function sessionEdges(p: BgpPicture): { edges: string[]; externals: Map<string, BgpPeerConfig> } {
  const edges: string[] = [];
  const externals = new Map<string, BgpPeerConfig>();
  const seen = new Set<string>();
  const owners = ownersByAddress(p.speakers);
  // Per speaker, looked up once: its sessions by protocol, its peers by (far speaker, family).
  const sessions = new Map<string, Map<string, SessionView>>();
  const peersByFar = new Map<string, Map<string, BgpPeerConfig>>();
  const end = (s: BgpSpeakerConfig, peer: BgpPeerConfig): End => {
    const view = p.result.speakers[s.name];
    let byProtocol = sessions.get(s.name);
    if (byProtocol === undefined) sessions.set(s.name, (byProtocol = new Map((view?.sessions ?? []).map((x) => [x.protocol, x]))));
    return { speaker: s, peer, view: byProtocol.get(peer.protocol), running: view?.running ?? true };
  };
  const backOf = (far: BgpSpeakerConfig, s: BgpSpeakerConfig, family: number): BgpPeerConfig | undefined => {
    let m = peersByFar.get(far.name);
    if (m === undefined) {
      m = new Map();
      for (const q of far.peers) {
        const key = `${owners.get(formatIp(q.peerIp))?.name ?? ''} ${q.peerIp.family}`;
        if (!m.has(key)) m.set(key, q);
      }
      peersByFar.set(far.name, m);
    }
    return m.get(`${s.name} ${family}`);
  };
  for (const s of p.speakers) {
    for (const peer of s.peers) {
      const far = owners.get(formatIp(peer.peerIp));
      if (far === undefined) {
        externals.set(formatIp(peer.peerIp), peer);
        edges.push(sessionEdge(end(s, peer), undefined, externalId(peer.peerIp), p.result.time));
        continue;
      }
      const key = `${[s.name, far.name].sort().join(' ')} ${peer.peerIp.family}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const back = backOf(far, s, peer.peerIp.family);
      edges.push(sessionEdge(end(s, peer), back === undefined ? undefined : end(far, back), speakerId(far.name), p.result.time));
    }
  }
  return { edges, externals };
}

/** The BGP view as DOT text; the same configuration and result always give the same bytes. */
export function bgpDot(p: BgpPicture, title: string): string {
  const { edges, externals } = sessionEdges(p);
  const nodes = p.speakers.map((s) => speakerNode(s, p.result.speakers[s.name]));
  for (const [addr, peer] of externals) {
    nodes.push(nodeStmt(externalId(peer.peerIp), { label: `peer ${addr}\nAS ${peer.peerAs}\n(not simulated)`, shape: 'box', style: 'rounded,dashed', color: '#777777', class: 'bgp-speaker external', tooltip: `BGP peer ${addr}, outside the simulation` }));
  }
  // Routers above reflectors above nodes, so reflection and ToR peering read top-down.
  const ranks = [p.speakers.filter((s) => s.kind === 'router'), p.speakers.filter((s) => s.kind === 'node' && s.rrClusterId !== undefined)]
    .filter((g) => g.length > 0)
    .map((g) => `{ rank=same; ${g.map((s) => `${quote(speakerId(s.name))};`).join(' ')} }`);
  return digraph(
    title,
    {
      graph: { rankdir: 'TB', fontname: FONT, fontsize: 12, nodesep: 0.5, ranksep: 0.9, label: `netsim: ${title} (sessions: green up, orange start, red down)`, labelloc: 't' },
      node: { fontname: FONT, fontsize: 10, shape: 'box', style: 'rounded' },
      edge: { fontname: FONT, fontsize: 9, arrowsize: 0.6 },
    },
    [...nodes, ...(ranks.length > 1 ? ranks : []), ...edges],
  );
}
