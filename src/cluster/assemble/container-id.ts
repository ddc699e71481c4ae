/**
 * The container ID netsim gives a pod's sandbox (what containerd's `RunPodSandbox` returns):
 * 64 hex digits of 64-bit FNV-1a chained over the pod's key, so the same scenario always gives
 * the same IDs, veth names and CNI chains. container-id.property.test.ts checks it against the
 * bigint loop it was first written as.
 */
import { fnv64Hex, fnv64Offset, fnv64Step } from '../../hash/fnv64.js';
import type { Pod } from '../objects.js';

/**
 * The four rounds `NS/NAME#0` … `NS/NAME#3`, the state carried from round to round, each
 * round's state as 16 hex digits; one step per code point, with its first UTF-16 unit.
 */
export function containerIdOf(pod: Pick<Pod, 'namespace' | 'name'>): string {
  if (keyIdCodes(pod.namespace, pod.name)) return String.fromCharCode.apply(null, ID_CODES);
  const h = fnv64Offset();
  const seed = `${pod.namespace}/${pod.name}`;
  let out = '';
  for (let round = 0; out.length < 64; round++) {
    for (const ch of `${seed}#${round}`) fnv64Step(h, ch.charCodeAt(0));
    out += fnv64Hex(h);
  }
  return out.slice(0, 64);
}

/**
 * The rounds of a key without surrogates (one code point per UTF-16 unit, so stepped by index),
 * their digits as codes into {@link ID_CODES}; false, at the first surrogate, for the loop by
 * code point. The state is two 32-bit halves in locals, not fnv64.ts's four limbs in an array,
 * and surrogates are looked for while stepping, not by a regex per part first (a quarter of
 * hashing a key: a node's first read hashes its 30 pods' keys). Multiplying by the prime
 * 2^40 + 0x1b3 modulo 2^64 in 32-bit integer operations: the low half times 0x1b3, its bits past
 * 32 carried into the high half, with the low half shifted by 8 (the 2^40 term).
 */
function keyIdCodes(ns: string, name: string): boolean {
  let hi = 0xcbf29ce4 | 0;
  let lo = 0x84222325 | 0;
  const slash = ns.length;
  const hash = slash + 1 + name.length;
  for (let round = 0; round < 4; round++) {
    for (let i = 0; i <= hash + 1; i++) {
      const c = i < slash ? ns.charCodeAt(i) : i === slash ? 0x2f : i < hash ? name.charCodeAt(i - slash - 1) : i === hash ? 0x23 : 0x30 + round;
      if ((c & 0xf800) === 0xd800) return false;
      const l = lo ^ c;
      // The bits of l * 0x1b3 past 32, from its 16-bit halves (each product below 2^25).
      const carry = ((l >>> 16) * 0x1b3 + (((l & 0xffff) * 0x1b3) >>> 16)) >>> 16;
      hi = (Math.imul(hi, 0x1b3) + (l << 8) + carry) | 0;
      lo = Math.imul(l, 0x1b3);
    }
    hexCodes(hi, 16 * round);
    hexCodes(lo, 16 * round + 8);
  }
  return true;
}

/** The 8 hex digits of the 32-bit `w` as codes into {@link ID_CODES} from `at`. */
function hexCodes(w: number, at: number): void {
  for (let k = 0; k < 8; k++) ID_CODES[at + k] = HEX_CODE[(w >>> (28 - 4 * k)) & 15] as number;
}

/** The 64 digits of a container ID as character codes (reused: read into a string at once). */
const ID_CODES: number[] = new Array<number>(64).fill(0);

/** The character codes of the lowercase hex digits. */
const HEX_CODE = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
