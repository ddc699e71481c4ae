/**
 * Shell completion of the names a command takes (pods, Services, nodes) from the scenario that
 * `-f` names (or the built-in one): `netsim trace pod-<TAB>`. yargs completes commands and
 * options; this adds the scenario's names where the command expects one.
 */
import { hasErrors } from '../diag/diagnostic.js';
import { loadScenario } from '../scenario/index.js';
import type { CliIo } from './io.js';
import { type ScenarioPaths, scenarioFiles } from './scenario-input.js';

/** Which kinds of name each command's positionals take, by position after the command words. */
const NAME_SLOTS: Readonly<Record<string, readonly (readonly NameKind[])[]>> = {
  trace: [
    ['pod', 'node'],
    ['pod', 'service', 'node'],
  ],
  show: [['pod', 'node']],
  'export bird': [['node']],
};

type NameKind = 'pod' | 'service' | 'node';

/** Options of the name-taking commands that take no value (the word after them is not theirs). */
const FLAGS: ReadonlySet<string> = new Set(['--all-paths', '--no-all-paths', '--reply', '--no-reply', '--df', '--no-df', '--help', '-h']);

/** The command line's words after `netsim`, when it asks for completions (`netsim --get-yargs-completions netsim WORD…`). */
export function completionWords(argv: readonly string[]): readonly string[] | undefined {
  return argv[0] === '--get-yargs-completions' ? argv.slice(2) : undefined;
}

/**
 * The names offered for the last word: empty when it is not a name slot or the scenario does
 * not load (completion stays quiet; the command itself will say what is wrong).
 */
export function scenarioNameCompletions(io: CliIo, words: readonly string[]): string[] {
  const current = words.at(-1) ?? '';
  const before = words.slice(0, -1);
  const files: string[] = [];
  const positionals: string[] = [];
  for (let i = 0; i < before.length; i++) {
    const w = before[i] as string;
    if (!w.startsWith('-')) positionals.push(w);
    else if (w.includes('=')) {
      if (/^(--file|-f)=/.test(w)) files.push(w.slice(w.indexOf('=') + 1));
    } else if (!FLAGS.has(w)) {
      if (w === '-f' || w === '--file') files.push(before[i + 1] ?? '');
      i++;
    }
  }
  const last = before.at(-1) ?? '';
  if (current.startsWith('-') || (last.startsWith('-') && !last.includes('=') && !FLAGS.has(last))) return [];
  const two = `${positionals[0]} ${positionals[1]}`;
  const command = NAME_SLOTS[two] !== undefined ? two : (positionals[0] ?? '');
  const kinds = NAME_SLOTS[command]?.[positionals.length - command.split(' ').length];
  if (kinds === undefined) return [];
  return namesOf(io, files.length === 0 ? undefined : files, kinds).filter((n) => n.startsWith(current));
}

/** The scenario's names of the given kinds: pods as `name` and `namespace/name`, Services likewise, nodes. */
function namesOf(io: CliIo, file: ScenarioPaths, kinds: readonly NameKind[]): string[] {
  const read = scenarioFiles(io, file);
  if ('diagnostic' in read) return [];
  const loaded = loadScenario(read.files);
  if (hasErrors(loaded.diagnostics) || loaded.value === undefined) return [];
  const spec = loaded.value;
  const names = new Set<string>();
  for (const kind of kinds) {
    const objects = kind === 'pod' ? spec.pods : kind === 'service' ? spec.services : spec.nodes.map((n) => ({ name: n.name, namespace: undefined }));
    for (const o of objects) {
      names.add(o.name);
      if (o.namespace !== undefined) names.add(`${o.namespace}/${o.name}`);
    }
  }
  return [...names];
}
