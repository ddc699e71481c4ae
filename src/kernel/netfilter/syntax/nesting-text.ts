/** Words for the nesting check (nesting.ts): the diagnostic, and where the `-j`/`-g` sits on its line. */
import type { TableName } from '../../events.js';
import { assertNever } from '../../../diag/diagnostic.js';
import { MAX_CHAIN_ENTRIES, MAX_JUMP_DEPTH, type NestingProblem } from './nesting.js';

/** `A → B → … → Z`, shortened in the middle past a dozen chains. */
function pathText(path: readonly string[]): string {
  const shown = path.length <= 12 ? path : [...path.slice(0, 5), '…', ...path.slice(-5)];
  return shown.join(' → ');
}

/** The code and message for a nesting problem. */
export function nestingMessage(table: TableName, p: NestingProblem): [code: string, message: string] {
  const target = p.rule.target;
  const opt = `${target?.kind === 'goto' ? '-g' : '-j'} ${target?.name ?? ''}`;
  const base = p.path[0] ?? '';
  const kernel = 'the kernel refuses the table (iptables-restore: "Too many links")';
  const depth = p.path.length - 1;
  switch (p.kind) {
    case 'loop':
      return ['IPT_CHAIN_LOOP', `${opt}: chain loop in table ${table}, reached from ${base}: ${pathText(p.path)}; ${kernel}, whatever the rules match`];
    case 'too-deep':
      return ['IPT_CHAIN_TOO_DEEP', `${opt}: chain ${p.path[depth] ?? ''} would be ${depth} jumps below ${base} (${pathText(p.path)}); at most ${MAX_JUMP_DEPTH} are allowed, ${kernel}`];
    case 'too-many-entries':
      return ['IPT_CHAIN_WALK_TOO_LONG', `${opt}: not modelled: with this rule a packet could enter chains of ${table} more than ${MAX_CHAIN_ENTRIES} times from ${base} (the kernel loads it; netsim traces at most ${MAX_CHAIN_ENTRIES} chain entries per hook)`];
    default:
      return assertNever(p.kind, 'nesting problem');
  }
}

const TARGET_WORDS = new Set(['-j', '--jump', '-g', '--goto']);

/** 1-based column of the last `-j`/`-g` word of a rule line (outside quotes), or undefined. */
export function targetColumn(line: string): number | undefined {
  let found: number | undefined;
  let inQuote = false;
  let wordStart = -1;
  for (let i = 0; i <= line.length; i++) {
    const c = line.charAt(i);
    if (inQuote) {
      if (c === '\\') i++;
      else if (c === '"') inQuote = false;
      continue;
    }
    const space = c === '' || c === ' ' || c === '\t';
    if (!space && wordStart < 0) wordStart = i;
    if (c === '"') inQuote = true;
    if (space && wordStart >= 0) {
      if (TARGET_WORDS.has(line.slice(wordStart, i))) found = wordStart + 1;
      wordStart = -1;
    }
  }
  return found;
}
