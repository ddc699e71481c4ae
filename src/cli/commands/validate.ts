/** `netsim validate FILE` and `netsim schema`. */
import type { Argv } from 'yargs';
import { scenarioJsonSchema } from '../../scenario/index.js';
import { FILE_OPTION } from '../file-option.js';
import { type CliIo, EXIT } from '../io.js';
import type { Action, CliCommand } from '../command.js';
import { STDIN_LABEL, STDIN_PATH, loadScenarioFor } from '../scenario-input.js';

/** `netsim validate [FILE]` */
export const validateCommand: CliCommand = {
  register(parser: Argv, io: CliIo, setAction: (a: Action) => void): Argv {
    return parser.command(
      'validate [files..]',
      'Check a scenario (files and folders merged, as -f merges them) and report every problem with file:line:col',
      (y) =>
        y
          .positional('files', { type: 'string', array: true, describe: 'scenario files (.yaml, .yml, .json) or folders, or - for standard input; several are merged (default: the built-in scenario)' })
          .option('file', FILE_OPTION)
          .example('$0 validate scenarios/default.yaml', 'check a scenario')
          .example('kubectl get pods,svc -o yaml | $0 validate -', 'check a scenario read from standard input')
          .example('$0 validate cluster.yaml workloads/', 'check a cluster file and a folder of manifests as one scenario'),
      (argv) =>
        setAction(() => {
          // yargs-parser hands a lone `-` positional over as the empty string, a path no file has.
          // Positionals first, then -f (where a lone `-` positional arrives: see run.ts).
          const flagged = argv.file === undefined ? [] : typeof argv.file === 'string' ? [argv.file] : argv.file;
          const files = [...(argv.files ?? []), ...flagged].map((f) => (f === '' ? STDIN_PATH : f));
          const spec = loadScenarioFor(io, files);
          if (spec === undefined) return EXIT.INPUT_ERROR;
          const name = files.length === 0 ? 'built-in scenario' : files.map((f) => (f === STDIN_PATH ? STDIN_LABEL : f)).join(' + ');
          io.stdout(`${name}: ok (${spec.nodes.length} nodes, ${spec.pods.length} pods, ${spec.services.length} services)\n`);
          return EXIT.OK;
        }),
    );
  },
};

/** `netsim schema` */
export const schemaCommand: CliCommand = {
  register(parser: Argv, io: CliIo, setAction: (a: Action) => void): Argv {
    return parser.command(
      'schema',
      'Print the JSON Schema of scenario files (for editor completion)',
      (y) => y.example('$0 schema > netsim.schema.json', 'save it for your editor'),
      () =>
        setAction(() => {
          io.stdout(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
          return EXIT.OK;
        }),
    );
  },
};
