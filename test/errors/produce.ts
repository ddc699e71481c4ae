/**
 * Producing each documented error code from an example input, the way a user meets it: a
 * scenario through the loader, a rules file through the iptables-save or ipset parser, a command
 * line through the CLI, or (for build-time codes) a spec the loader accepted and the build
 * refused. The example shown in docs/errors.md is the source line the diagnostic points at.
 */
import type { Diagnostic } from '../../src/diag/diagnostic.js';
import { parseIpsetSave } from '../../src/kernel/netfilter/ipset/parse.js';
import { parseIptablesSave } from '../../src/kernel/netfilter/syntax/parse-save.js';
import { parseNft } from '../../src/kernel/netfilter/nft/parse.js';
import { loadScenario } from '../../src/scenario/load.js';
import { cli } from '../helpers/cli.js';

/** Where an example goes in. */
export type ErrorSource =
  | { readonly kind: 'scenario'; readonly text: string }
  | { readonly kind: 'iptables'; readonly text: string; readonly family?: 4 | 6; readonly ipsets?: readonly string[] }
  | { readonly kind: 'ipset'; readonly text: string }
  | { readonly kind: 'nft'; readonly text: string }
  | { readonly kind: 'cli'; readonly argv: readonly string[]; readonly files?: Readonly<Record<string, string>> }
  | { readonly kind: 'build'; readonly describe: string; readonly run: () => readonly Diagnostic[] };

/** One row of the table: a code and an input that produces it. */
export interface ErrorCase {
  readonly code: string;
  readonly source: ErrorSource;
}

/** What an example produced: the diagnostic's severity and message, and the input line it names. */
export interface Produced {
  readonly severity: string;
  readonly message: string;
  readonly example: string;
  /** The example is a description, not input text. */
  readonly prose?: boolean;
}

const FILE = { scenario: 's.yaml', iptables: 'rules.txt', ipset: 'sets.txt', nft: 'ruleset.nft' } as const;

/** Runs one example; undefined when it does not produce its code. */
export async function produce(c: ErrorCase): Promise<Produced | undefined> {
  const s = c.source;
  switch (s.kind) {
    case 'scenario':
      return located(c.code, s.text, loadScenario([{ path: FILE.scenario, text: s.text }]).diagnostics);
    case 'iptables':
      return located(c.code, s.text, parseIptablesSave(s.text, { file: FILE.iptables, ...(s.family !== undefined ? { family: s.family } : {}), ...(s.ipsets !== undefined ? { ipsets: s.ipsets } : {}) }).diagnostics);
    case 'ipset':
      return located(c.code, s.text, parseIpsetSave(s.text, { file: FILE.ipset }).diagnostics);
    case 'nft':
      return located(c.code, s.text, parseNft(s.text, { file: FILE.nft }).diagnostics);
    case 'build': {
      const d = s.run().find((x) => x.code === c.code);
      return d === undefined ? undefined : { severity: d.severity, message: d.message, example: s.describe, prose: true };
    }
    case 'cli': {
      const r = await cli(s.argv, { ...s.files });
      const m = new RegExp(`(?:^|\\n)[^\\n]*?(error|warning)\\[${c.code}\\]: ([^\\n]*)`).exec(r.stderr);
      return m === null ? undefined : { severity: m[1] ?? '', message: m[2] ?? '', example: `netsim ${s.argv.join(' ')}` };
    }
  }
}

function located(code: string, text: string, diags: readonly Diagnostic[]): Produced | undefined {
  const d = diags.find((x) => x.code === code);
  if (d === undefined) return undefined;
  const line = d.pos === undefined ? '' : (text.split('\n')[d.pos.line - 1] ?? '').trim();
  return { severity: d.severity, message: d.message, example: line };
}
