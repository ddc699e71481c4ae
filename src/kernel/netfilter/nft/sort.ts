/**
 * The order `nft list` prints set elements in. nft sorts what the kernel returns
 * (`list_expr_sort`, src/expression.c): plain keys by value; concatenations by the bytes of the
 * key as laid out in registers (each field padded to 4 bytes, addresses and ports in network
 * order) read as one host-endian (little-endian) number, which is why
 * `192.168.99.22 . tcp . 80` is listed before `172.30.0.41 . tcp . 80`: the last address byte
 * weighs most. Interval sets list by the start of each interval; concatenated interval sets are
 * left in insertion order. Adding an element that exists is a no-op (the first one stays).
 */
import type { NftElement, NftType, NftValue } from './model.js';
import { PROTO_NAMES } from './values.js';

const PROTO_BY_NAME: Readonly<Record<string, number>> = Object.fromEntries([...Object.entries(PROTO_NAMES).map(([n, s]) => [s, Number(n)])]);

function numeric(v: NftValue): bigint {
  switch (v.kind) {
    case 'addr':
      return v.cidr.addr.value;
    case 'num':
      return BigInt(v.n);
    case 'sym':
      return BigInt(PROTO_BY_NAME[v.text] ?? 0);
    case 'range':
      return numeric(v.from);
    case 'str':
      return [...v.text].reduce((acc, ch) => (acc << 8n) | BigInt(ch.charCodeAt(0) & 0xff), 0n);
    case 'flags':
    case 'masked':
      return 0n;
    default: {
      const never: never = v;
      return never;
    }
  }
}

/** Register bytes of one field: [width in bytes, big-endian?]. */
const LAYOUT: Readonly<Partial<Record<NftType, readonly [number, boolean]>>> = {
  ipv4_addr: [4, true],
  ipv6_addr: [16, true],
  inet_proto: [1, true],
  inet_service: [2, true],
  mark: [4, false],
  integer: [4, false],
  ifname: [16, true],
};

function concatKey(key: readonly NftValue[], types: readonly NftType[]): bigint {
  const bytes: number[] = [];
  key.forEach((v, i) => {
    const [width, be] = LAYOUT[types[i] ?? 'integer'] ?? [4, false];
    const n = numeric(v);
    const field: number[] = [];
    for (let b = 0; b < width; b++) field.push(Number((n >> BigInt(8 * (be ? width - 1 - b : b))) & 0xffn));
    bytes.push(...field);
    while (bytes.length % 4 !== 0) bytes.push(0);
  });
  return bytes.reduceRight((acc, b) => (acc << 8n) | BigInt(b), 0n);
}

function identity(e: NftElement): string {
  return JSON.stringify(e.key, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/** Elements without duplicate keys, in `nft list` order. */
export function sortElements(elements: readonly NftElement[], types: readonly NftType[], interval: boolean): NftElement[] {
  const seen = new Set<string>();
  const unique = elements.filter((e) => {
    const id = identity(e);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  if (types.length > 1 && interval) return unique;
  const keyOf = (e: NftElement): bigint => (types.length > 1 ? concatKey(e.key, types) : numeric(e.key[0] ?? { kind: 'num', n: 0 }));
  return unique
    .map((e) => ({ e, k: keyOf(e) }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .map((x) => x.e);
}
