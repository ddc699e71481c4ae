/**
 * The arguments of `netsim iptables trace` that yargs cannot check by itself (interface names are
 * arg-checks.ts'): ports as words (so `--dport abc` is named as given, not as NaN), an
 * integer seed, and options that may be given once only.
 */

/** A port given as a word: decimal digits, 0 to 65535. */
export function parsePort(text: string): number | undefined {
  if (!/^[0-9]{1,5}$/.test(text)) return undefined;
  const n = Number(text);
  return n <= 65535 ? n : undefined;
}

/** A seed: a decimal integer that a double holds exactly. */
export function parseSeed(text: string): number | undefined {
  if (!/^-?[0-9]{1,15}$/.test(text)) return undefined;
  return Number(text);
}

/** The single value of an option yargs may have turned into a list (`-o json -o text`), or a usage message. */
export function single<T>(name: string, v: T | readonly T[]): T | { usage: string } {
  if (!Array.isArray(v)) return v as T;
  return { usage: `${name} is given ${v.length} times (${v.join(', ')}); give it once` };
}
