/**
 * ipset sets (`ipset create`, `ipset add`, `ipset save`) as plain data, for `-m set`.
 *
 * Owns: the set values, the `ipset save` parser and printer, and membership lookups. May import
 * `addr`, `diag` and the syntax layer's tokenizer. Invariants: members are stored one element
 * each in the form `ipset save` prints; parsing never throws. Not modelled: timeouts expiring,
 * counters, `hash:net,iface`, `hash:mac`, `list:set` `before`/`after` placement, ICMP-type elements in lookups.
 */
export { type IpSet, type IpSetType, IPSET_TYPES, dimensions, expandElement } from './element.js';
export { parseIpsetSave, printIpsetSave, type IpsetParseOptions } from './parse.js';
export { ipsetContains, ipsetLookup, type IpsetFlags, type IpsetLookup, type IpsetPacket } from './contains.js';
