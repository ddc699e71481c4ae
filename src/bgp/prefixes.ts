/**
 * Prefix interning: every distinct prefix of a run gets a small integer id, so RIBs are keyed by
 * numbers (cheap map keys, no string per lookup) and a prefix value is stored once.
 */
import { type Cidr, canonicalCidr } from '../addr/index.js';

/** The prefixes seen in one run, numbered in order of first appearance. */
export class PrefixTable {
  private readonly ids = new Map<string, number>();
  private readonly list: Cidr[] = [];

  /** The id of `prefix` (its canonical network), allocating one on first sight. */
  intern(prefix: Cidr): number {
    const c = canonicalCidr(prefix);
    const key = `${c.addr.family}|${c.addr.value}|${c.prefix}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.list.length;
      this.ids.set(key, id);
      this.list.push(c);
    }
    return id;
  }

  /** The prefix of an id. */
  get(id: number): Cidr {
    const c = this.list[id];
    if (c === undefined) throw new Error(`bgp: unknown prefix id ${id}`);
    return c;
  }

  get size(): number {
    return this.list.length;
  }
}
