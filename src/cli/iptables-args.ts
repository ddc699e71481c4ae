/**
 * The arguments of `netsim iptables trace` that yargs cannot check by itself: interface names as
 * the kernel allows them, ports as words (so `--dport abc` is named as given, not as NaN), an
 * integer seed, and options that may be given once only.
 */

/** IFNAMSIZ - 1: the longest interface name, in bytes (include/uapi/linux/if.h). */
export const MAX_IFNAME = 15;

/**
 * Why `name` cannot be a Linux interface name, after the kernel's dev_valid_name(): not empty,
 * at most 15 bytes, not `.` or `..`, and no `/`, `:` or whitespace. Undefined when it can.
 */
export function ifnameProblem(name: string): string | undefined {
  if (name === '') return 'is empty';
  const bytes = new TextEncoder().encode(name).length;
  if (bytes > MAX_IFNAME) return `is ${bytes} bytes long; Linux allows at most ${MAX_IFNAME} (IFNAMSIZ 16 with the NUL)`;
  if (name === '.' || name === '..') return 'is . or .., which Linux refuses';
  if (/[/:\s]/.test(name)) return 'contains "/", ":" or whitespace, which Linux refuses in a device name';
  return undefined;
}

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
