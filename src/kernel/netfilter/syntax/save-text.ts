/** Text helpers of the iptables-save reader (parse-save.ts): splitting a line into words, finding a line again, counters, command names. */
import type { Chain } from '../rule.js';


/**
 * `text.trim().split(/\s+/)`, with a fast path for printable ASCII separated by spaces and tabs
 * (every chain line of a dump).
 */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9) {
      if (start >= 0) words.push(text.slice(start, i));
      start = -1;
    } else if (c < 32 || c >= 127) {
      return text.trim().split(/\s+/);
    } else if (start < 0) {
      start = i;
    }
  }
  if (start >= 0) words.push(text.slice(start));
  return words;
}

/** Line `n` (1-based) of `text`, without its CR: looked up only for a diagnostic, so a scan is fine. */
export function lineText(text: string, n: number): string {
  let start = 0;
  for (let i = 1; i < n; i++) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) return '';
    start = nl + 1;
  }
  const end = text.indexOf('\n', start);
  const line = end < 0 ? text.slice(start) : text.slice(start, end);
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

const COUNTERS = /^\[([0-9]+):([0-9]+)\]$/;

/** `[0:0]`, which every line of a generated payload carries: one shared value (counters are immutable). */
export const ZERO_COUNTERS: NonNullable<Chain['counters']> = Object.freeze({ packets: 0n, bytes: 0n });

/** `[packets:bytes]` as numbers, or undefined when the word is not that. */
export function readCounters(word: string): NonNullable<Chain['counters']> | undefined {
  if (word === '[0:0]') return ZERO_COUNTERS;
  const m = COUNTERS.exec(word);
  return m?.[1] === undefined || m[2] === undefined ? undefined : { packets: BigInt(m[1]), bytes: BigInt(m[2]) };
}

/** `-N`, `-F`, `-X`: commands on a whole chain. */
export const CHAIN_COMMANDS: ReadonlySet<string> = new Set(['-N', '--new-chain', '-F', '--flush', '-X', '--delete-chain']);

/** iptables commands that are real but have no meaning in a rules file netsim loads. */
export const OTHER_COMMANDS: ReadonlySet<string> = new Set(['-D', '--delete', '-R', '--replace', '-P', '--policy', '-Z', '--zero', '-E', '--rename-chain', '-L', '--list', '-S', '--list-rules', '-C', '--check']);
