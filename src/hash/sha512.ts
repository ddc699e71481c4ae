/**
 * SHA-512 (FIPS 180-4 §6.4) of an ASCII string, without allocating: every pod's CNI ADD hashes
 * its container ID for the host veth name (naming.ts hostVethName), and `@noble/hashes` made a
 * hasher, its block buffer, a view, the input bytes and the digest for each of them, a tenth of
 * a node's deferred build with the garbage counted. The words are kept as 32-bit halves (high,
 * low) in preallocated arrays; the constants are derived at load (the first 64 bits of the
 * fractional parts of the square roots of the first 8 primes and the cube roots of the first 80),
 * so none is typed by hand. index.ts hands anything not ASCII to `@noble/hashes`;
 * sha512.property.test.ts checks the digests against it.
 */

/** The first `n` primes. */
function primes(n: number): number[] {
  const out: number[] = [];
  for (let c = 2; out.length < n; c++) if (out.every((p) => c % p !== 0)) out.push(c);
  return out;
}

/** floor(x^(1/k)) of a positive bigint, by Newton's method from above. */
function iroot(x: bigint, k: bigint): bigint {
  let r = 1n << BigInt(Math.ceil(x.toString(2).length / Number(k)) + 1);
  for (;;) {
    const next = ((k - 1n) * r + x / r ** (k - 1n)) / k;
    if (next >= r) return r;
    r = next;
  }
}

/** The first 64 fractional bits of the k-th root of each prime, as high and low halves. */
function fractions(ps: readonly number[], k: bigint): Int32Array {
  const out = new Int32Array(2 * ps.length);
  ps.forEach((p, i) => {
    const f = iroot(BigInt(p) << (64n * k), k) & 0xffffffffffffffffn;
    out[2 * i] = Number(f >> 32n) | 0;
    out[2 * i + 1] = Number(f & 0xffffffffn) | 0;
  });
  return out;
}

const P80 = primes(80);
const K = fractions(P80, 3n);
const IV = fractions(P80.slice(0, 8), 2n);
const W = new Int32Array(160);
const H = new Int32Array(16);
const BLOCK = new Uint8Array(128);
const TWO32 = 0x100000000;

/** Whether `text` is all ASCII (one byte per code unit in UTF-8). */
export function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return false;
  return true;
}

/** One 128-byte block of `BLOCK` into `H`. */
function compress(): void {
  for (let t = 0; t < 16; t++) {
    const b = 8 * t;
    W[2 * t] = (BLOCK[b]! << 24) | (BLOCK[b + 1]! << 16) | (BLOCK[b + 2]! << 8) | BLOCK[b + 3]!;
    W[2 * t + 1] = (BLOCK[b + 4]! << 24) | (BLOCK[b + 5]! << 16) | (BLOCK[b + 6]! << 8) | BLOCK[b + 7]!;
  }
  for (let t = 16; t < 80; t++) {
    // σ0 = ROTR1 ^ ROTR8 ^ SHR7 of W[t-15]; σ1 = ROTR19 ^ ROTR61 ^ SHR6 of W[t-2].
    const xh = W[2 * (t - 15)]!;
    const xl = W[2 * (t - 15) + 1]!;
    const s0h = ((xh >>> 1) | (xl << 31)) ^ ((xh >>> 8) | (xl << 24)) ^ (xh >>> 7);
    const s0l = ((xl >>> 1) | (xh << 31)) ^ ((xl >>> 8) | (xh << 24)) ^ ((xl >>> 7) | (xh << 25));
    const yh = W[2 * (t - 2)]!;
    const yl = W[2 * (t - 2) + 1]!;
    const s1h = ((yh >>> 19) | (yl << 13)) ^ ((yl >>> 29) | (yh << 3)) ^ (yh >>> 6);
    const s1l = ((yl >>> 19) | (yh << 13)) ^ ((yh >>> 29) | (yl << 3)) ^ ((yl >>> 6) | (yh << 26));
    const lo = (W[2 * (t - 16) + 1]! >>> 0) + (s0l >>> 0) + (W[2 * (t - 7) + 1]! >>> 0) + (s1l >>> 0);
    W[2 * t] = W[2 * (t - 16)]! + s0h + W[2 * (t - 7)]! + s1h + ((lo / TWO32) | 0);
    W[2 * t + 1] = lo | 0;
  }
  let ah = H[0]!, al = H[1]!, bh = H[2]!, bl = H[3]!, ch = H[4]!, cl = H[5]!, dh = H[6]!, dl = H[7]!;
  let eh = H[8]!, el = H[9]!, fh = H[10]!, fl = H[11]!, gh = H[12]!, gl = H[13]!, hh = H[14]!, hl = H[15]!;
  for (let t = 0; t < 80; t++) {
    // Σ1(e) = ROTR14 ^ ROTR18 ^ ROTR41; Ch(e,f,g); T1 = h + Σ1 + Ch + K[t] + W[t].
    const S1h = ((eh >>> 14) | (el << 18)) ^ ((eh >>> 18) | (el << 14)) ^ ((el >>> 9) | (eh << 23));
    const S1l = ((el >>> 14) | (eh << 18)) ^ ((el >>> 18) | (eh << 14)) ^ ((eh >>> 9) | (el << 23));
    const chh = (eh & fh) ^ (~eh & gh);
    const chl = (el & fl) ^ (~el & gl);
    const t1lo = (hl >>> 0) + (S1l >>> 0) + (chl >>> 0) + (K[2 * t + 1]! >>> 0) + (W[2 * t + 1]! >>> 0);
    const t1h = (hh + S1h + chh + K[2 * t]! + W[2 * t]! + ((t1lo / TWO32) | 0)) | 0;
    const t1l = t1lo | 0;
    // Σ0(a) = ROTR28 ^ ROTR34 ^ ROTR39; Maj(a,b,c); T2 = Σ0 + Maj.
    const S0h = ((ah >>> 28) | (al << 4)) ^ ((al >>> 2) | (ah << 30)) ^ ((al >>> 7) | (ah << 25));
    const S0l = ((al >>> 28) | (ah << 4)) ^ ((ah >>> 2) | (al << 30)) ^ ((ah >>> 7) | (al << 25));
    const mh = (ah & bh) ^ (ah & ch) ^ (bh & ch);
    const ml = (al & bl) ^ (al & cl) ^ (bl & cl);
    const t2lo = (S0l >>> 0) + (ml >>> 0);
    const t2h = (S0h + mh + ((t2lo / TWO32) | 0)) | 0;
    hh = gh; hl = gl; gh = fh; gl = fl; fh = eh; fl = el;
    const elo = (dl >>> 0) + (t1l >>> 0);
    eh = (dh + t1h + ((elo / TWO32) | 0)) | 0;
    el = elo | 0;
    dh = ch; dl = cl; ch = bh; cl = bl; bh = ah; bl = al;
    const alo = (t1l >>> 0) + (t2lo >>> 0);
    ah = (t1h + t2h + ((alo / TWO32) | 0)) | 0;
    al = alo | 0;
  }
  const add = (i: number, h: number, l: number): void => {
    const lo = (H[i + 1]! >>> 0) + (l >>> 0);
    H[i] = (H[i]! + h + ((lo / TWO32) | 0)) | 0;
    H[i + 1] = lo | 0;
  };
  add(0, ah, al); add(2, bh, bl); add(4, ch, cl); add(6, dh, dl);
  add(8, eh, el); add(10, fh, fl); add(12, gh, gl); add(14, hh, hl);
}

/**
 * Feeds the ASCII code units of `text` into the message, `fill` bytes of it in `BLOCK` so far
 * (the block is compressed as it fills): the bytes in the block after, or -1 at the first unit
 * that is not ASCII.
 */
function feed(text: string, fill: number): number {
  let at = fill;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) return -1;
    BLOCK[at++] = c;
    if (at === 128) {
      compress();
      at = 0;
    }
  }
  return at;
}

/** Ends a message of `n` bytes, `fill` of them in `BLOCK`: the 0x80 marker, zeros and the bit length (fits 53 bits), into `H`. */
function finish(fill: number, n: number): void {
  BLOCK[fill] = 0x80;
  BLOCK.fill(0, fill + 1);
  if (fill >= 112) {
    compress();
    BLOCK.fill(0);
  }
  const bits = n * 8;
  const hi = Math.floor(bits / TWO32);
  BLOCK[120] = hi >>> 24;
  BLOCK[121] = hi >>> 16;
  BLOCK[122] = hi >>> 8;
  BLOCK[123] = hi;
  BLOCK[124] = bits >>> 24;
  BLOCK[125] = bits >>> 16;
  BLOCK[126] = bits >>> 8;
  BLOCK[127] = bits;
  compress();
}

/** Hashes the ASCII string `text` into the state `H` (the caller checked {@link isAscii}). */
function hashAscii(text: string): void {
  H.set(IV);
  finish(feed(text, 0), text.length);
}

/**
 * The first 32 bits of SHA-512 of `a + b + c`, unsigned, the parts fed as they are and checked
 * for ASCII as they go (a pod's veth name hashes its container ID, `/` and its interface: the
 * join, flattened to be read, a scan for ASCII first and the digits made as small strings were
 * a third of the name's cost); undefined when the text is not all ASCII.
 */
export function sha512AsciiFirstWord(a: string, b: string, c: string): number | undefined {
  H.set(IV);
  let fill = feed(a, 0);
  if (fill >= 0) fill = feed(b, fill);
  if (fill >= 0) fill = feed(c, fill);
  if (fill < 0) return undefined;
  finish(fill, a.length + b.length + c.length);
  return H[0]! >>> 0;
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** The first `digits` lowercase hex digits (at most 128) of SHA-512 of the ASCII string `text`. */
export function sha512AsciiHex(text: string, digits = 128): string {
  hashAscii(text);
  let out = '';
  for (let i = 0; out.length < digits && i < 16; i++) {
    const w = H[i]!;
    out += HEX[w >>> 24]! + HEX[(w >>> 16) & 0xff]! + HEX[(w >>> 8) & 0xff]! + HEX[w & 0xff]!;
  }
  return out.length > digits ? out.slice(0, digits) : out;
}
