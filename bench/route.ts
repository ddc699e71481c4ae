/** Benchmark of longest-prefix match on a 100k-route table. */
import { type Cidr } from '../src/addr/cidr.js';
import { ipFromValue } from '../src/addr/ip.js';
import { lookupTable, addRoute } from '../src/kernel/route/table.js';
import { TABLE_MAIN } from '../src/kernel/route/types.js';
import { addVeth, setLinkUp } from '../src/kernel/link/link.js';
import { addNetns, createWorld, getNetns } from '../src/kernel/world.js';
import { seededRng } from '../src/sim/context.js';
import { type Measure, measure } from './measure.js';

/** Builds a namespace with `count` random unicast routes and measures lookups per second. */
export function benchRoutes(count = 100_000, lookups = 200_000): Measure[] {
  const world = createWorld();
  addNetns(world, 'r');
  addNetns(world, 'peer');
  addVeth(world, { ns: 'r', name: 'eth0', peer: 'eth0', peerNs: 'peer' });
  setLinkUp(world, 'r', 'eth0');
  const ns = getNetns(world, 'r');
  const rng = seededRng(42);
  const seen = new Set<string>();
  const t0 = performance.now();
  while (seen.size < count) {
    const prefix = 8 + Math.floor(rng.next() * 25);
    const raw = BigInt(Math.floor(rng.next() * 2 ** 32));
    const mask = ((1n << BigInt(prefix)) - 1n) << BigInt(32 - prefix);
    const dst: Cidr = { addr: ipFromValue(4, raw & mask), prefix };
    const key = `${dst.addr.value}/${prefix}`;
    if (seen.has(key)) continue;
    seen.add(key);
    addRoute(ns, { dst, dev: 'eth0' });
  }
  const buildMs = performance.now() - t0;
  const probes = Array.from({ length: lookups }, () => ipFromValue(4, BigInt(Math.floor(rng.next() * 2 ** 32))));
  const m = measure(`${lookups.toLocaleString('en')} LPM lookups, ${count.toLocaleString('en')}-route table`, 5, () => {
    for (const p of probes) lookupTable(ns, TABLE_MAIN, p);
  }, { unit: 'ms' });
  return [
    { name: `insert ${count.toLocaleString('en')} routes (ip route add)`, value: buildMs, unit: 'ms' },
    m,
    { name: '  = LPM lookups per second', value: (lookups / m.value) * 1000, unit: 'lookups/s' },
  ];
}
