/**
 * SHA-256 (FIPS 180-4) of one short message in one call, for the names kube-proxy hashes by the
 * ten thousand (a KUBE-SEP chain per endpoint): the same digest as `@noble/hashes`' sha256 (which
 * sha256.property.test.ts checks), without its hasher object, its views and its copies, which
 * cost more than the rounds for a 40-byte message. The schedule and the padded message live in
 * buffers reused from call to call (the core is single-threaded).
 */

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const IV = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

const W = new Int32Array(64);
const H = new Int32Array(8);
let block = new Uint8Array(128);

/** The SHA-256 digest of `bytes`. */
export function sha256Once(bytes: Uint8Array): Uint8Array {
  const n = bytes.length;
  // The message, a 1 bit, zeros, and its length in bits: a multiple of 64 bytes.
  const padded = (((n + 8) >> 6) + 1) << 6;
  if (block.length < padded) block = new Uint8Array(padded);
  const m = block;
  m.set(bytes);
  m.fill(0, n, padded);
  m[n] = 0x80;
  const bits = n * 8;
  m[padded - 5] = (bits / 2 ** 32) >>> 0;
  m[padded - 4] = bits >>> 24;
  m[padded - 3] = bits >>> 16;
  m[padded - 2] = bits >>> 8;
  m[padded - 1] = bits;
  H.set(IV);
  for (let at = 0; at < padded; at += 64) compress(m, at);
  const out = new Uint8Array(32);
  for (let i = 0; i < 8; i++) {
    const h = H[i] as number;
    out[4 * i] = h >>> 24;
    out[4 * i + 1] = h >>> 16;
    out[4 * i + 2] = h >>> 8;
    out[4 * i + 3] = h;
  }
  return out;
}

const rotr = (x: number, k: number): number => (x >>> k) | (x << (32 - k));

/** One 64-byte block at `at` into {@link H}. */
function compress(m: Uint8Array, at: number): void {
  for (let t = 0; t < 16; t++) {
    const i = at + 4 * t;
    W[t] = ((m[i] as number) << 24) | ((m[i + 1] as number) << 16) | ((m[i + 2] as number) << 8) | (m[i + 3] as number);
  }
  for (let t = 16; t < 64; t++) {
    const w15 = W[t - 15] as number;
    const w2 = W[t - 2] as number;
    const s0 = rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 >>> 3);
    const s1 = rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 >>> 10);
    W[t] = ((W[t - 16] as number) + s0 + (W[t - 7] as number) + s1) | 0;
  }
  let a = H[0] as number;
  let b = H[1] as number;
  let c = H[2] as number;
  let d = H[3] as number;
  let e = H[4] as number;
  let f = H[5] as number;
  let g = H[6] as number;
  let h = H[7] as number;
  for (let t = 0; t < 64; t++) {
    const t1 = (h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + (K[t] as number) + (W[t] as number)) | 0;
    const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  H[0] = ((H[0] as number) + a) | 0;
  H[1] = ((H[1] as number) + b) | 0;
  H[2] = ((H[2] as number) + c) | 0;
  H[3] = ((H[3] as number) + d) | 0;
  H[4] = ((H[4] as number) + e) | 0;
  H[5] = ((H[5] as number) + f) | 0;
  H[6] = ((H[6] as number) + g) | 0;
  H[7] = ((H[7] as number) + h) | 0;
}
