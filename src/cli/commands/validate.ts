/** `netsim validate FILE` and `netsim schema`. */
import type { Argv } from 'yargs';
import { scenarioJsonSchema } from '../../scenario/index.js';
import { type CliIo, EXIT } from '../io.js';
import type { Action, CliCommand } from '../command.js';
import { loadScenarioFor } from '../scenario-input.js';

/** `netsim validate [FILE]` */
export const validateCommand: CliCommand = {
  register(parser: Argv, io: CliIo, setAction: (a: Action) => void): Argv {
    return parser.command(
      'validate [file]',
      'Check a scenario (file or folder) and report every problem with file:line:col',
      (y) =>
        y
          .positional('file', { type: 'string', describe: 'scenario YAML file or folder (default: the built-in scenario)' })
          .example('$0 validate scenarios/default.yaml', 'check a scenario'),
      (argv) =>
        setAction(() => {
          const spec = loadScenarioFor(io, argv.file);
          if (spec === undefined) return EXIT.INPUT_ERROR;
          io.stdout(`${argv.file ?? 'built-in scenario'}: ok (${spec.nodes.length} nodes, ${spec.pods.length} pods, ${spec.services.length} services)\n`);
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
