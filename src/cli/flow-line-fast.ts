/**
 * The common shapes of a `netsim trace --batch` line — `SRC DST`, with `--port N` and
 * `--protocol P` at most once each — taken without yargs-parser, which costs about a fifth of a
 * millisecond a line (a warm trace costs about one). Anything else (another option, `--port=N`,
 * a word starting with `-` where a value or SRC/DST stands, a choice or value the checks refuse)
 * is left to the full parser (flow-line.ts), which also gives every diagnostic. What this gives
 * is what the full parser gives for the same words and defaults (flow-line-fast.property.test.ts).
 */
import { type FlowArgs, FLOW_OPTIONS, checkFlowValues, flowQuery } from './trace-flow-options.js';
import type { FlowDefaults, FlowLine, Word } from './flow-line.js';

const PROTOCOLS: readonly unknown[] = FLOW_OPTIONS.protocol.choices;
const FAMILIES: readonly unknown[] = FLOW_OPTIONS.family.choices;

/**
 * The line of `words` with `defaults` (the option table's, then the command's, merged) when it
 * has a common shape the checks accept; undefined otherwise, for the full parser to decide.
 */
export function fastFlowLine(words: readonly Word[], defaults: FlowDefaults): FlowLine | undefined {
  const n = words.length;
  if (n !== 2 && n !== 4 && n !== 6) return undefined;
  const src = words[0]?.text ?? '-';
  const dst = words[1]?.text ?? '-';
  if (src.startsWith('-') || dst.startsWith('-') || !plainDefaults(defaults)) return undefined;
  const args: Record<string, unknown> = { ...defaults, src, dst };
  let port = false;
  let protocol = false;
  for (let i = 2; i < n; i += 2) {
    const name = words[i]?.text;
    const value = words[i + 1]?.text ?? '-';
    if (value.startsWith('-')) return undefined;
    if (name === '--port' && !port) {
      port = true;
      args['port'] = value;
    } else if (name === '--protocol' && !protocol && PROTOCOLS.includes(value)) {
      protocol = true;
      args['protocol'] = value;
    } else return undefined;
  }
  if (checkFlowValues(args) !== true) return undefined;
  const flow = args as unknown as FlowArgs;
  return { query: flowQuery(flow), dns: flow.dns, words };
}

/** Defaults the full parser's checks pass untouched: no option twice (an array), choices among the choices. */
function plainDefaults(d: FlowDefaults): boolean {
  for (const v of Object.values(d)) if (Array.isArray(v)) return false;
  return (d.protocol === undefined || PROTOCOLS.includes(d.protocol)) && (d.family === undefined || FAMILIES.includes(d.family));
}
