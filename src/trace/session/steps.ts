/**
 * The grammar of a session's steps (`netsim trace SRC DST --then STEP …`, or a `--session` file's
 * list). One step a string, words separated by blanks:
 *
 * | step | what happens |
 * |---|---|
 * | `again` | a second connection from the same client to the same destination (the next ephemeral source port, or ICMP echo id) |
 * | `send` | the client's next packet on the last connection (TCP: an ACK; UDP: another datagram; ICMP: another echo request) |
 * | `reply` | the destination's next packet on the last connection (TCP: SYN-ACK if not yet answered, else an ACK) |
 * | `retransmit` | the client's last packet again, unchanged |
 * | `wait DURATION` | the simulated clock moves on (`130s`, `2m`, `1h30m`, `5d`; a bare number is seconds) |
 * | `from SRC to DST[:PORT]` / `to DST[:PORT]` | a new connection, from another source or to another destination |
 * | `delete pod [NS/]NAME` | the pod goes: its namespace and veth, its endpoints, kube-proxy's rules and stale UDP conntrack entries |
 *
 * Parsing is pure and positional: a problem names the 1-based column of the word at fault.
 */

/** One parsed step. */
export type SessionStep =
  | { readonly kind: 'again' }
  | { readonly kind: 'send' }
  | { readonly kind: 'reply' }
  | { readonly kind: 'retransmit' }
  | { readonly kind: 'wait'; readonly seconds: number; readonly text: string }
  | { readonly kind: 'connect'; readonly src?: string; readonly dst: string }
  | { readonly kind: 'delete-pod'; readonly pod: string };

/** A step that does not parse: why, and the 1-based column of the word at fault. */
export interface StepProblem {
  readonly problem: string;
  readonly col: number;
}

/** The verbs, as the usage line lists them. */
export const STEP_USAGE = 'again | send | reply | retransmit | wait DURATION | from SRC to DST[:PORT] | to DST[:PORT] | delete pod [NS/]NAME';

/** Seconds per duration unit. */
const UNIT: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400 };

/** The longest wait a session takes (ten years): beyond it nothing changes, and numbers stay exact. */
export const MAX_WAIT = 10 * 365 * 86400;

interface Word {
  readonly text: string;
  readonly col: number;
}

function words(text: string): Word[] {
  return [...text.matchAll(/\S+/g)].map((m) => ({ text: m[0], col: (m.index ?? 0) + 1 }));
}

/** `130s`, `2m`, `1h30m`, `5d`, `45` → seconds; undefined when it is not a duration. */
export function parseDuration(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  if (!/^(\d+[smhd])+$/.test(text)) return undefined;
  let total = 0;
  for (const m of text.matchAll(/(\d+)([smhd])/g)) total += Number(m[1]) * (UNIT[m[2] ?? 's'] ?? 1);
  return total;
}

const NOUN_ONLY: ReadonlySet<string> = new Set(['again', 'send', 'reply', 'retransmit']);

/** Parses one step. */
export function parseStep(text: string): SessionStep | StepProblem {
  const w = words(text);
  const [verb, ...rest] = w;
  if (verb === undefined) return { problem: `an empty step: want one of ${STEP_USAGE}`, col: 1 };
  if (NOUN_ONLY.has(verb.text)) {
    const extra = rest[0];
    if (extra !== undefined) return { problem: `"${verb.text}" takes nothing after it, got "${extra.text}"`, col: extra.col };
    return { kind: verb.text as 'again' | 'send' | 'reply' | 'retransmit' };
  }
  switch (verb.text) {
    case 'wait':
      return waitStep(verb, rest);
    case 'from':
    case 'to':
      return connectStep(verb, rest);
    case 'delete':
      return deleteStep(verb, rest);
    default:
      return { problem: `unknown step "${verb.text}": want one of ${STEP_USAGE}`, col: verb.col };
  }
}

function waitStep(verb: Word, rest: readonly Word[]): SessionStep | StepProblem {
  const [d, extra] = rest;
  if (d === undefined) return { problem: 'wait needs a duration, e.g. "wait 130s" (units s, m, h, d)', col: verb.col + verb.text.length };
  if (extra !== undefined) return { problem: `wait takes one duration, got "${extra.text}" after it (write 1h30m, not 1h 30m)`, col: extra.col };
  const seconds = parseDuration(d.text);
  if (seconds === undefined) return { problem: `"${d.text}" is not a duration: write a whole number with a unit, e.g. 130s, 2m, 1h30m, 5d`, col: d.col };
  if (seconds > MAX_WAIT) return { problem: `wait ${d.text}: at most ten years (${MAX_WAIT}s)`, col: d.col };
  return { kind: 'wait', seconds, text: d.text };
}

function connectStep(verb: Word, rest: readonly Word[]): SessionStep | StepProblem {
  if (verb.text === 'to') {
    const [dst, extra] = rest;
    if (dst === undefined) return { problem: 'to needs a destination, e.g. "to service-b"', col: verb.col + verb.text.length };
    if (extra !== undefined) return { problem: `to takes one destination, got "${extra.text}" after it`, col: extra.col };
    return { kind: 'connect', dst: dst.text };
  }
  const [src, to, dst, extra] = rest;
  if (src === undefined) return { problem: 'from needs a source and a destination: "from SRC to DST"', col: verb.col + verb.text.length };
  if (to?.text !== 'to') return { problem: `want "from ${src.text} to DST"${to === undefined ? '' : `, got "${to.text}"`}`, col: to?.col ?? src.col + src.text.length };
  if (dst === undefined) return { problem: `"from ${src.text} to" needs a destination`, col: to.col + to.text.length };
  if (extra !== undefined) return { problem: `"from SRC to DST" takes nothing after DST, got "${extra.text}"`, col: extra.col };
  return { kind: 'connect', src: src.text, dst: dst.text };
}

function deleteStep(verb: Word, rest: readonly Word[]): SessionStep | StepProblem {
  const [what, name, extra] = rest;
  if (what?.text !== 'pod') return { problem: `netsim deletes pods only: "delete pod [NS/]NAME"${what === undefined ? '' : `, got "${what.text}"`}`, col: what?.col ?? verb.col + verb.text.length };
  if (name === undefined) return { problem: 'delete pod needs a pod name: "delete pod [NS/]NAME"', col: what.col + what.text.length };
  if (extra !== undefined) return { problem: `delete pod takes one pod, got "${extra.text}" after it`, col: extra.col };
  return { kind: 'delete-pod', pod: name.text };
}

/** The step as it is written, for headings (`wait 130s`, `from pod-c to service-b`). */
export function stepText(s: SessionStep): string {
  switch (s.kind) {
    case 'wait':
      return `wait ${s.text}`;
    case 'connect':
      return s.src === undefined ? `to ${s.dst}` : `from ${s.src} to ${s.dst}`;
    case 'delete-pod':
      return `delete pod ${s.pod}`;
    default:
      return s.kind;
  }
}
