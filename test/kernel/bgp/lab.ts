/**
 * The real side of the BIRD differential test: a topology's namespaces and underlay (a router
 * namespace with one bridge per rack, each node on a veth), BIRD started in every speaker's
 * namespace with netsim's exported configuration, and what BIRD and the kernel then show.
 * Namespaces are `nsBG-<pid>-<topology>-<name>`, deleted by name; BIRD is killed by its pid.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BgpSpeakerConfig } from '../../../src/bgp/types.js';
import { type BirdTimers, birdConfig } from '../../../src/render/bird-config.js';
import { must, run } from '../harness/sh.js';
import type { BestRoutes } from './netsim-side.js';
import { RACKS, type BirdTopology, rackOf } from './topologies.js';

/** Short timers: sessions up in about a second, a dead peer noticed 2–3 s after its link went down. */
export const LAB_TIMERS: BirdTimers = { hold: 3, keepalive: 1, connectDelay: 1, connectRetry: 1 };

export interface Lab {
  readonly topo: BirdTopology;
  readonly dir: string;
  /** Speaker or router name → namespace. */
  readonly ns: Record<string, string>;
  readonly pids: number[];
}

const ip = (args: readonly string[]): string => must('ip', args);

/** Creates the namespaces and the underlay; BIRD not started yet. */
export function buildLab(topo: BirdTopology): Lab {
  const lab: Lab = { topo, dir: mkdtempSync(join(tmpdir(), `nsBG-${process.pid}-${topo.key}-`)), ns: {}, pids: [] };
  const router = addNs(lab, 'tor');
  for (const r of RACKS) {
    ip(['-n', router, 'link', 'add', r.bridge, 'type', 'bridge']);
    ip(['-n', router, 'addr', 'add', `${r.router}/24`, 'dev', r.bridge]);
    ip(['-n', router, 'link', 'set', r.bridge, 'up']);
  }
  must('ip', ['netns', 'exec', router, 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
  for (const n of topo.nodes) {
    const ns = addNs(lab, n.name);
    const rack = rackOf(n.address);
    ip(['link', 'add', 'eth0', 'netns', ns, 'type', 'veth', 'peer', 'name', `v-${n.name}`, 'netns', router]);
    ip(['-n', ns, 'addr', 'add', n.address, 'dev', 'eth0']);
    ip(['-n', ns, 'link', 'set', 'eth0', 'up']);
    ip(['-n', router, 'link', 'set', `v-${n.name}`, 'master', rack.bridge, 'up']);
    ip(['-n', ns, 'route', 'add', 'default', 'via', rack.router]);
  }
  return lab;
}

function addNs(lab: Lab, name: string): string {
  const ns = `nsBG-${process.pid}-${lab.topo.key}-${name}`;
  ip(['netns', 'add', ns]);
  lab.ns[name] = ns;
  ip(['-n', ns, 'link', 'set', 'lo', 'up']);
  return ns;
}

/** Writes each speaker's `netsim export bird` configuration (short timers, a log file) and starts BIRD in its namespace. */
export function startBird(lab: Lab): void {
  lab.pids.push(...startBirds(lab.topo.speakers, (name) => nsOf(lab, name), lab.dir));
}

/** Starts BIRD for every speaker in the namespace `nsFor` names, files under `dir`; returns the pids. */
export function startBirds(speakers: readonly BgpSpeakerConfig[], nsFor: (name: string) => string, dir: string): number[] {
  const pids: number[] = [];
  for (const s of speakers) {
    const base = join(dir, s.name);
    writeFileSync(`${base}.conf`, `log "${base}.log" all;\n${birdConfig(s, { timers: LAB_TIMERS, socketPath: `${base}.ctl` })}`);
    must('ip', ['netns', 'exec', nsFor(s.name), 'bird', '-c', `${base}.conf`, '-s', `${base}.ctl`, '-P', `${base}.pid`]);
    pids.push(readPidFile(`${base}.pid`));
  }
  return pids;
}

/**
 * The pid BIRD wrote to `-P file`. BIRD creates the file before it daemonizes and writes the
 * pid only in the daemon, so the file can still be empty when `bird` returns: an empty file read
 * as `Number('')` is pid 0, and `kill(0, SIGKILL)` would kill our own process group (vitest,
 * npm, CI). Polls until the file holds a real pid, for at most 5 s.
 */
function readPidFile(file: string): number {
  const wait = new Int32Array(new SharedArrayBuffer(4));
  for (let i = 0; i < 100; i++) {
    const text = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
    const pid = /^[0-9]+$/.test(text) ? Number(text) : 0;
    if (pid > 1) return pid;
    Atomics.wait(wait, 0, 0, 50);
  }
  throw new Error(`BIRD wrote no pid to ${file} within 5 s`);
}

/** `birdc show route all` through the control socket `ctl`, parsed by {@link parseBest}. */
export function birdBestAt(ctl: string): BestRoutes {
  return parseBest(run('birdc', ['-s', ctl, 'show', 'route', 'all']).stdout);
}

/** Kills BIRD processes by pid (SIGKILL: nothing to clean up, the namespaces go next). */
export function killBirds(pids: readonly number[]): void {
  for (const pid of pids) {
    // Never 0, 1 or negative: those name process groups or init, not one BIRD.
    if (!Number.isInteger(pid) || pid <= 1) continue;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

function nsOf(lab: Lab, name: string): string {
  const ns = lab.ns[name];
  if (ns === undefined) throw new Error(`no namespace for ${name}`);
  return ns;
}

/** `ip route` lines with `proto bird`, trimmed and sorted (what BIRD's kernel protocol wrote). */
export function kernelRoutes(lab: Lab, name: string): string[] {
  return run('ip', ['-n', nsOf(lab, name), '-4', 'route', 'show'])
    .stdout.split('\n')
    .map((l) => l.trim())
    .filter((l) => /\bproto bird\b/.test(l))
    .sort();
}

/** `birdc show route all`: each prefix's best route (the `*` entry), its protocol and BGP next hop. */
export function birdBest(lab: Lab, name: string): BestRoutes {
  return birdBestAt(join(lab.dir, `${name}.ctl`));
}

/** The parser of {@link birdBest}: entry lines start with the prefix (or blanks, for another route to it). */
export function parseBest(text: string): BestRoutes {
  const out: Record<string, { protocol: string; nextHop?: string }> = {};
  let prefix = '';
  let current: { protocol: string; nextHop?: string } | undefined;
  for (const line of text.split('\n')) {
    const entry = /^(\S+)?\s+(?:unicast|blackhole|unreachable|prohibited)\s+\[(\S+)\s[^\]]*\]( \*)?/.exec(line);
    if (entry !== null) {
      prefix = entry[1] ?? prefix;
      current = entry[3] === undefined ? undefined : { protocol: entry[2] ?? '' };
      if (current !== undefined) out[prefix] = current;
      continue;
    }
    const nh = /^\s+BGP\.next_hop: (\S+)/.exec(line);
    if (nh !== null && current !== undefined) current.nextHop = nh[1] ?? '';
  }
  return out;
}

/** `birdc show protocols NAME`'s state and info columns. */
export function protocolState(lab: Lab, speaker: string, protocol: string): string {
  const lines = run('birdc', ['-s', join(lab.dir, `${speaker}.ctl`), 'show', 'protocols', protocol]).stdout.trim().split('\n');
  return (lines[lines.length - 1] ?? '').split(/\s+/).slice(3).join(' ');
}

/** `ip link set eth0 down` in the node's namespace. */
export function linkDown(lab: Lab, node: string): void {
  ip(['-n', nsOf(lab, node), 'link', 'set', 'eth0', 'down']);
}

/** Kills BIRD by pid, deletes the namespaces by name, removes the files. */
export function destroyLab(lab: Lab): void {
  killBirds(lab.pids);
  for (const ns of Object.values(lab.ns)) run('ip', ['netns', 'del', ns]);
  rmSync(lab.dir, { recursive: true, force: true });
}
