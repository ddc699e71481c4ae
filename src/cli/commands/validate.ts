/** `netsim validate FILE` and `netsim schema`. */
import type { Argv } from 'yargs';
import { scenarioJsonSchema } from '../../scenario/index.js';
import { type CliIo, EXIT } from '../io.js';
import type { Action, CliCommand } from '../command.js';
import { STDIN_LABEL, STDIN_PATH, loadScenarioFor } from '../scenario-input.js';

/** `netsim validate [FILE]` */
export const validateCommand: CliCommand = {
  register(parser: Argv, io: CliIo, setAction: (a: Action) => void): Argv {
    return parser.command(
      'validate [file]',
      'Check a scenario (file or folder) and report every problem with file:line:col',
      (y) =>
        y
          .positional('file', { type: 'string', describe: 'scenario YAML file or folder, or - for standard input (default: the built-in scenario)' })
          .example('$0 validate scenarios/default.yaml', 'check a scenario')
          .example('kubectl get pods,svc -o yaml | $0 validate -', 'check a scenario read from standard input'),
      (argv) =>
        setAction(() => {
          // yargs-parser hands a lone `-` positional over as the empty string, a path no file has.
          const file = argv.file === '' ? STDIN_PATH : argv.file;
          const spec = loadScenarioFor(io, file);
          if (spec === undefined) return EXIT.INPUT_ERROR;
          const name = file === STDIN_PATH ? STDIN_LABEL : (file ?? 'built-in scenario');
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
