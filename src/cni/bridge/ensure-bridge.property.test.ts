/**
 * Property: `ensureBridge`'s fast path (a bridge up with accept_ra 0 already: nothing to do) is
 * the straightforward path. From random node states — no bridge, a bridge up or down, a device
 * of that name that is no bridge, accept_ra unset, 0 or 1, a pinned MAC, bridge names the sysctl
 * refuses — both give the same outcome and leave the node the same, ADD after ADD.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Mac } from '../../addr/mac.js';
import { addBridge, addDummy, setLinkUp } from '../../kernel/link/link.js';
import { setSysctl } from '../../kernel/sysctl.js';
import { type World, addNetns, createWorld, getNetns } from '../../kernel/world.js';
import { cniHost, createCniRegistry } from '../registry.js';
import type { BridgeConf } from './config.js';
import { ensureBridge, ensureBridgeByVerbs } from './link.js';

interface Start {
  readonly device: 'none' | 'bridge' | 'dummy';
  readonly up: boolean;
  readonly acceptRa: '0' | '1' | undefined;
  readonly pinned: boolean;
  readonly name: string;
  readonly mtu: number;
  readonly adds: number;
}

const startArb: fc.Arbitrary<Start> = fc.record({
  device: fc.constantFrom('none', 'bridge', 'dummy'),
  up: fc.boolean(),
  acceptRa: fc.constantFrom('0' as const, '1' as const, undefined),
  pinned: fc.boolean(),
  name: fc.constantFrom('cni0', 'br0', 'br.x'),
  mtu: fc.constantFrom(0, 1450),
  adds: fc.integer({ min: 1, max: 4 }),
});

function node(s: Start): World {
  const world = createWorld();
  addNetns(world, 'node');
  const ns = getNetns(world, 'node');
  if (s.device === 'bridge') addBridge(ns, s.name, s.pinned ? { mac: '02:00:00:00:00:01' as Mac } : {});
  if (s.device === 'dummy') addDummy(ns, s.name);
  if (s.device !== 'none' && s.up) setLinkUp(world, 'node', s.name);
  // A name the sysctl refuses (a dot in it) has no accept_ra to set.
  if (s.acceptRa !== undefined && !s.name.includes('.')) setSysctl(ns, `net.ipv6.conf.${s.name}.accept_ra`, s.acceptRa);
  return world;
}

function conf(s: Start): BridgeConf {
  return { name: 'net', cniVersion: '1.0.0', bridge: s.name, isGateway: true, isDefaultGateway: false, forceAddress: false, ipMasq: false, mtu: s.mtu, hairpinMode: false, promiscMode: false, enableDad: false, ipamType: 'host-local', dns: {} };
}

/** Runs `adds` ADDs' worth of ensureBridge; the outcomes and the node's namespace after them. */
function run(s: Start, ensure: typeof ensureBridge): string {
  const world = node(s);
  const host = cniHost({ world, hostNs: 'node', registry: createCniRegistry([]) });
  const outcomes = Array.from({ length: s.adds }, () => ensure(host, conf(s)));
  return JSON.stringify({ outcomes, ns: getNetns(world, 'node') }, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v instanceof Map ? [...v] : v));
}

/** The straightforward path: the device check, then the verbs every time. */
function byVerbs(host: Parameters<typeof ensureBridge>[0], c: BridgeConf): ReturnType<typeof ensureBridge> {
  const existing = getNetns(host.world, host.hostNs).links[c.bridge];
  if (existing !== undefined && existing.kind !== 'bridge') return ensureBridge(host, c); // the refusal, before either path
  return ensureBridgeByVerbs(host, c);
}

describe('ensureBridge fast path (property)', () => {
  it('gives what the verbs give, from any node state', () => {
    fc.assert(
      fc.property(startArb, (s) => {
        expect(run(s, ensureBridge)).toBe(run(s, byVerbs));
      }),
      { numRuns: 300 },
    );
  });
});
