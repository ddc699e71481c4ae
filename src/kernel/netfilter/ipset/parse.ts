/**
 * `ipset save` output (and `ipset restore` input) into {@link IpSet}s, and back.
 *
 *   create NAME TYPE [family inet|inet6] [hashsize N] [maxelem N] [timeout S] [comment] …
 *   add NAME ELEMENT [nomatch] [timeout S] [comment "TEXT"] …
 *
 * Lines are split with the iptables-restore tokenizer (quoted comments). `initval` and
 * `bucketsize` are dropped: the kernel picks them, so they would make output nondeterministic.
 */
import { type Diagnostic, type Parsed, error } from '../../../diag/diagnostic.js';
import { tokenize } from '../syntax/tokenize.js';
import { IPSET_TYPES, type IpSet, type IpSetType, expandElement, familyless } from './element.js';

/** Options of {@link parseIpsetSave}. */
export interface IpsetParseOptions {
  /** File name used in diagnostics. */
  readonly file: string;
}

interface Draft {
  readonly name: string;
  readonly type: IpSetType;
  readonly family: 4 | 6;
  readonly options: string[];
  readonly members: string[];
  readonly seen: Set<string>;
}

const DROPPED = new Set(['initval', 'bucketsize']);

/** Parses `ipset save` text; never throws, problems come back with `FILE:LINE`. */
export function parseIpsetSave(text: string, opts: IpsetParseOptions): Parsed<readonly IpSet[]> {
  const diagnostics: Diagnostic[] = [];
  const sets = new Map<string, Draft>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const report = (code: string, message: string): void => {
      diagnostics.push(error(code, message, { file: opts.file, line: i + 1 }));
    };
    const t = tokenize(lines[i] as string);
    const [cmd, ...args] = t.words;
    if (cmd === undefined || cmd.startsWith('#')) continue;
    if (t.unterminatedQuote) report('IPSET_BAD_LINE', 'a double quote is not closed on this line');
    if (cmd === 'create' || cmd === '-N' || cmd === 'n') createSet(sets, args, report);
    else if (cmd === 'add' || cmd === '-A' || cmd === 'a') addMember(sets, args, report);
    else report('IPSET_BAD_LINE', `unknown ipset command "${cmd}" (a save file has create and add lines)`);
  }
  const value = [...sets.values()].map((d): IpSet => ({ name: d.name, type: d.type, family: d.family, options: d.options, members: d.members }));
  return { value, diagnostics };
}

type Report = (code: string, message: string) => void;

function createSet(sets: Map<string, Draft>, args: readonly string[], report: Report): void {
  const [name, type, ...rest] = args;
  if (name === undefined || type === undefined) return report('IPSET_BAD_LINE', 'create needs a set name and a type');
  if (name.length > 31) report('IPSET_BAD_LINE', `set name ${name} is longer than 31 characters`);
  if (!(IPSET_TYPES as readonly string[]).includes(type)) {
    return report('IPSET_UNKNOWN_TYPE', `set ${name}: type ${type} is not modelled (${IPSET_TYPES.join(', ')})`);
  }
  if (sets.has(name)) return report('IPSET_DUPLICATE_SET', `set ${name} is created twice`);
  let family: 4 | 6 = 4;
  const options: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i] as string;
    if (word === 'family') {
      const f = rest[++i];
      if (f !== 'inet' && f !== 'inet6') report('IPSET_BAD_LINE', `set ${name}: family must be inet or inet6, not ${f ?? 'nothing'}`);
      family = f === 'inet6' ? 6 : 4;
    } else if (DROPPED.has(word)) {
      i++;
    } else {
      options.push(word);
    }
  }
  sets.set(name, { name, type: type as IpSetType, family, options, members: [], seen: new Set() });
}

function addMember(sets: Map<string, Draft>, args: readonly string[], report: Report): void {
  const [name, elem, ...flags] = args;
  if (name === undefined || elem === undefined) return report('IPSET_BAD_LINE', 'add needs a set name and an element');
  const set = sets.get(name);
  if (set === undefined) return report('IPSET_UNKNOWN_SET', `add to set ${name}, which no create line made`);
  if (set.type === 'list:set') {
    // ipset restore refuses a member that does not exist yet, and a list inside a list (IPSET_ERR_LOOP).
    const member = sets.get(elem);
    if (member === undefined) return report('IPSET_UNKNOWN_SET', `add ${elem} to list ${name}: no set named ${elem} was created before this line`);
    if (member.type === 'list:set') return report('IPSET_BAD_ELEMENT', `add ${elem} to list ${name}: a list:set cannot hold another list:set`);
  }
  const elems = expandElement(set.type, set.family, elem);
  if (elems === undefined) return report('IPSET_BAD_ELEMENT', `"${elem}" is not an element of a ${set.type} set (family ${set.family === 4 ? 'inet' : 'inet6'})`);
  const suffix = flags.map((f) => (f.includes(' ') || f === '' ? `"${f}"` : f)).join(' ');
  for (const e of elems) {
    if (set.seen.has(e)) continue;
    set.seen.add(e);
    set.members.push(suffix === '' ? e : `${e} ${suffix}`);
  }
}

/** `ipset save` text for the sets (without `initval`/`bucketsize`, members in insertion order). */
export function printIpsetSave(sets: readonly IpSet[]): string {
  const lines: string[] = [];
  for (const s of sets) {
    const fam = familyless(s.type) ? '' : ` family ${s.family === 4 ? 'inet' : 'inet6'}`;
    lines.push(`create ${s.name} ${s.type}${fam}${s.options.map((o) => ` ${o}`).join('')}`);
    for (const m of s.members) lines.push(`add ${s.name} ${m}`);
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
