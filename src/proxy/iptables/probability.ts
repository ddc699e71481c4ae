/**
 * `-m statistic --probability` values, formatted as Go's `fmt.Sprintf("%0.10f", 1.0/float64(n))`.
 * Go rounds the exact binary value of the double half-to-even; JavaScript's toFixed rounds
 * exact ties up. The two differ only on exact ties (e.g. n = 2048), so the rounding is done
 * here on the exact value with BigInt.
 */

const SCALE = 10n ** 10n;

/** The exact value of a finite positive double as numerator / 2^shift. */
function exactDouble(x: number): { num: bigint; shift: bigint } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const exponent = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = exponent === 0 ? fraction : fraction | (1n << 52n);
  const e = (exponent === 0 ? 1 : exponent) - 1075;
  return e >= 0 ? { num: mantissa << BigInt(e), shift: 0n } : { num: mantissa, shift: BigInt(-e) };
}

/** Formats x ≥ 0 with 10 decimals, rounding half to even on the exact binary value. */
export function formatFixed10(x: number): string {
  const { num, shift } = exactDouble(x);
  const scaled = num * SCALE;
  const den = 1n << shift;
  let q = scaled / den;
  const twiceRem = (scaled % den) * 2n;
  if (twiceRem > den || (twiceRem === den && q % 2n === 1n)) q += 1n;
  const intPart = q / SCALE;
  const frac = (q % SCALE).toString().padStart(10, '0');
  return `${intPart}.${frac}`;
}

/** Probabilities already formatted, by the number of endpoints remaining (the same few recur in every Service). */
const formatted: string[] = [];

/** kube-proxy's probability for the i-th of n endpoints: 1/(n-i), so the choice is uniform. */
export function computeProbability(remaining: number): string {
  if (remaining < 1 << 16 && Number.isInteger(remaining)) return (formatted[remaining] ??= formatFixed10(1 / remaining));
  return formatFixed10(1 / remaining);
}
