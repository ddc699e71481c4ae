/**
 * One line of `netsim trace --batch FILE`: the words that follow `netsim trace` on a command
 * line (`SRC DST [--port N] [--protocol P] …`), split on blanks; a word starting with `#` starts
 * a comment; a blank line is no flow. The words are parsed against the trace command's own option
 * table (trace-flow-options.ts) by yargs' own parser (yargs-parser, which yargs runs under its
 * commands: a whole yargs instance per line costs about a millisecond, this a twentieth of it),
 * then checked as yargs' strict mode and `choices` would, and by the command's own checks
 * (checkFlowValues, checkSingleValues). A problem is a diagnostic at `FILE:LINE:COL`, the column
 * of the word at fault.
 */
import { Parser } from 'yargs/helpers';
import type { TraceQuery } from '../app/trace.js';
import { type Diagnostic, error } from '../diag/diagnostic.js';
import { checkSingleValues } from './arg-checks.js';
import { FLOW_OPTIONS, FLOW_OPTION_NAMES, type FlowArgs, type FlowOptionName, checkFlowValues, flowQuery } from './trace-flow-options.js';
import { fastFlowLine } from './flow-line-fast.js';

/** A word of a line and the column it starts at (1-based). */
export interface Word {
  readonly text: string;
  readonly col: number;
}

/** A parsed line: the flow (and its `--dns` choice, as the trace command takes it). */
export interface FlowLine {
  readonly query: TraceQuery;
  readonly dns: boolean | undefined;
  readonly words: readonly Word[];
}

/** Where a line is, for its diagnostics. */
export interface LinePos {
  readonly file: string;
  readonly line: number;
}

/** Values the flow options take when a line does not give them (the command's own, by default the table's). */
export type FlowDefaults = Readonly<Partial<Record<FlowOptionName, unknown>>>;

/** The words of a line before its comment. */
export function lineWords(text: string): Word[] {
  const words: Word[] = [];
  for (const m of text.matchAll(/\S+/g)) {
    if (m[0].startsWith('#')) break;
    words.push({ text: m[0], col: m.index + 1 });
  }
  return words;
}

const byType = (t: string): string[] => FLOW_OPTION_NAMES.filter((n) => FLOW_OPTIONS[n].type === t);
const camel = (n: string): string => n.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
/** Keys yargs accepts for the flow options (it expands `all-paths` to `allPaths` too). */
const KNOWN = new Set(['_', ...FLOW_OPTION_NAMES, ...FLOW_OPTION_NAMES.map(camel)]);
const PARSER_OPTIONS = { string: byType('string'), number: byType('number'), boolean: byType('boolean'), configuration: { 'parse-positional-numbers': false } };
const TABLE_DEFAULTS: FlowDefaults = Object.fromEntries(FLOW_OPTION_NAMES.flatMap((n) => ('default' in FLOW_OPTIONS[n] ? [[n, FLOW_OPTIONS[n].default]] : [])));
const LINE_OPTIONS = FLOW_OPTION_NAMES.map((n) => `--${n}`).join(', ');

/**
 * Parses one line: a flow, `{ empty }` for a blank or comment line, or a `CLI_BATCH_BAD_LINE`
 * diagnostic for words `netsim trace` would refuse.
 */
export function parseFlowLine(text: string, at: LinePos, defaults: FlowDefaults = TABLE_DEFAULTS): FlowLine | { readonly empty: true } | { readonly diagnostic: Diagnostic } {
  const words = lineWords(text);
  if (words.length === 0) return { empty: true };
  const all = { ...TABLE_DEFAULTS, ...defaults };
  return fastFlowLine(words, all) ?? fullFlowLine(words, at, all);
}

/** {@link parseFlowLine} by yargs-parser and every check, for the words of a line that has some (`defaults` merged over the table's). */
export function fullFlowLine(words: readonly Word[], at: LinePos, defaults: FlowDefaults): FlowLine | { readonly diagnostic: Diagnostic } {
  const bad = (message: string, col: number): { diagnostic: Diagnostic } => ({ diagnostic: error('CLI_BATCH_BAD_LINE', message, { ...at, col }) });
  const argv = Parser(words.map((w) => w.text), { ...PARSER_OPTIONS, default: defaults }) as Record<string, unknown>;
  const unknown = Object.keys(argv).find((k) => !KNOWN.has(k));
  if (unknown !== undefined) return bad(`unknown option ${unknown.length === 1 ? '-' : '--'}${unknown}: a flow line takes SRC DST and ${LINE_OPTIONS}`, optionCol(words, unknown));
  const positional = (argv['_'] as unknown[]).map(String);
  if (positional.length < 2) return bad(`a flow line is SRC DST [options]: ${positional.length === 0 ? 'SRC and DST are' : 'DST is'} missing`, (words.at(-1)?.col ?? 1) + (words.at(-1)?.text.length ?? 0));
  if (positional.length > 2) return bad(`unexpected word ${positional[2] ?? ''}: a flow line is SRC DST [options]`, wordCol(words, positional[2] ?? '', 2));
  const [src, dst] = positional as [string, string];
  const args = { ...argv, src, dst };
  const problem = choicesProblem(args) ?? checkOnce(args) ?? checkFlow(args);
  if (problem !== undefined) return bad(problem, problemCol(problem, words, dst));
  const flow = args as unknown as FlowArgs;
  return { query: flowQuery(flow), dns: flow.dns, words };
}

/** `choices` as yargs checks them (`--protocol http`, `--family 5`). */
function choicesProblem(argv: Record<string, unknown>): string | undefined {
  for (const name of FLOW_OPTION_NAMES) {
    const o = FLOW_OPTIONS[name];
    const v = argv[name];
    if (!('choices' in o) || v === undefined) continue;
    if (!(o.choices as readonly unknown[]).includes(v)) return `--${name} must be one of ${o.choices.join(', ')}, got ${String(v)}`;
  }
  return undefined;
}

function checkOnce(argv: Record<string, unknown>): string | undefined {
  const r = checkSingleValues(argv, {});
  return r === true ? undefined : r;
}

function checkFlow(argv: Record<string, unknown>): string | undefined {
  const r = checkFlowValues(argv);
  return r === true ? undefined : r;
}

/** The column of the last word setting option `name` (`--name`, `--name=…`, `--no-name`). */
function optionCol(words: readonly Word[], name: string): number {
  const hit = [...words].reverse().find((w) => w.text === `--${name}` || w.text.startsWith(`--${name}=`) || w.text === `--no-${name}` || w.text.replace(/^-+/, '').split('=')[0] === name);
  return hit?.col ?? 1;
}

/** The column of the `nth` positional word `text` (options and their values skipped). */
function wordCol(words: readonly Word[], text: string, nth: number): number {
  const same = words.filter((w) => w.text === text);
  return (same.length > 1 ? same[Math.min(nth, same.length - 1)] : same[0])?.col ?? 1;
}

/**
 * Where a problem points: the option it names first (`--port 99999 is not a port`), DST when it
 * starts with DST (`10.0.0.1:0: port 0 …`), else the first word.
 */
export function problemCol(problem: string, words: readonly Word[], dst: string): number {
  const named = /--([a-z-]+)/.exec(problem)?.[1];
  if (named !== undefined && words.some((w) => w.text.startsWith(`--${named}`) || w.text === `--no-${named}`)) return optionCol(words, named);
  if (problem.startsWith(`${dst}:`)) return words.find((w) => w.text === dst)?.col ?? 1;
  return words[0]?.col ?? 1;
}
