/**
 * One line of `netsim trace --batch FILE`: the words that follow `netsim trace` on a command
 * line (`SRC DST [--port N] [--protocol tcp|udp|sctp|icmp] [--size BYTES] [--no-df]
 * [--seed N] [--all-paths] [--no-reply]`), split on blanks. `#` starts a comment; a blank line
 * is no flow. The checks are the trace command's (cli/commands/trace.ts `checkTraceArgs`).
 */
import type { TraceQuery } from './trace.js';

/** What a line holds: a flow, nothing (blank or comment), or what is wrong with it. */
export type BatchLine = { readonly query: TraceQuery } | { readonly empty: true } | { readonly problem: string };

const PROTOCOLS = ['tcp', 'udp', 'sctp', 'icmp'] as const;
/** The largest `--seed` (the command's limit). */
const MAX_SEED = 2 ** 32 - 1;
const FLAGS: Readonly<Record<string, Partial<Pick<TraceQuery, 'allPaths' | 'reply' | 'df'>>>> = {
  '--all-paths': { allPaths: true }, '--no-all-paths': { allPaths: false },
  '--reply': { reply: true }, '--no-reply': { reply: false },
  '--df': { df: true }, '--no-df': { df: false },
};
const VALUED = ['--port', '--protocol', '--size', '--seed'] as const;
type Valued = (typeof VALUED)[number];

/** Parses one line; `seed` is the default of `--seed` (the command's). */
export function parseBatchLine(line: string, seed: number): BatchLine {
  const words = (line.split('#')[0] ?? '').trim().split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return { empty: true };
  const positional: string[] = [];
  const values: Partial<Record<Valued, string>> = {};
  let flags: Partial<TraceQuery> = {};
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? '';
    const [name, inline] = w.startsWith('--') && w.includes('=') ? [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)] : [w, undefined];
    const flag = FLAGS[name];
    if (flag !== undefined && inline === undefined) flags = { ...flags, ...flag };
    else if ((VALUED as readonly string[]).includes(name)) {
      const v = inline ?? words[++i];
      if (v === undefined) return { problem: `${name} needs a value` };
      values[name as Valued] = v;
    } else if (w.startsWith('-') && w !== '-') return { problem: `unknown option ${w} (a line takes SRC DST and --port, --protocol, --size, --seed, --all-paths, --no-reply, --no-df)` };
    else positional.push(w);
  }
  const [src, dst, ...extra] = positional;
  if (src === undefined || dst === undefined) return { problem: 'want SRC DST, then options' };
  if (extra.length > 0) return { problem: `unexpected word ${extra[0] ?? ''}: a line is SRC DST, then options` };
  return queryOf(src, dst, values, flags, seed);
}

function queryOf(src: string, dst: string, v: Partial<Record<Valued, string>>, flags: Partial<TraceQuery>, defaultSeed: number): BatchLine {
  const protocol = v['--protocol'];
  if (protocol !== undefined && !(PROTOCOLS as readonly string[]).includes(protocol)) return { problem: `--protocol must be one of ${PROTOCOLS.join(', ')}, not ${protocol}` };
  const port = v['--port'];
  const dstPort = /^(?:\[[^\]]*\]|[^:]+):(\d+)$/.exec(dst)?.[1];
  if (port !== undefined && /^\d+$/.test(port) && !isPort(Number(port))) return { problem: `--port ${port} is not a port: ports are 1–65535` };
  if (dstPort !== undefined && !isPort(Number(dstPort))) return { problem: `${dst}: port ${dstPort} is not a port: ports are 1–65535` };
  if (protocol === 'icmp' && (port !== undefined || dstPort !== undefined)) return { problem: '--protocol icmp has no ports: drop --port (and the :PORT of the destination)' };
  const size = v['--size'] === undefined ? undefined : Number(v['--size']);
  if (size !== undefined && !Number.isInteger(size)) return { problem: `--size must be a whole number of bytes, got ${v['--size'] ?? ''}` };
  const seed = v['--seed'] === undefined ? defaultSeed : Number(v['--seed']);
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) return { problem: `--seed must be a whole number from 0 to ${MAX_SEED}, got ${v['--seed'] ?? ''}` };
  return {
    query: {
      src, dst, seed, ...flags,
      ...(port !== undefined ? { port: /^\d+$/.test(port) ? Number(port) : port } : {}),
      ...(protocol !== undefined ? { protocol: protocol as TraceQuery['protocol'] & string } : {}),
      ...(size !== undefined ? { size } : {}),
    },
  };
}

function isPort(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}
