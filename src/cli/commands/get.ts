/** `netsim get nodes|pods|services|endpointslices|deployments|replicasets|statefulsets|daemonsets`: the built cluster as `kubectl get` prints it. */
import type { Argv } from 'yargs';
import { GET_KIND_NAMES, GET_OUTPUTS, type GetOutput, getKindOf, getText } from '../../app/get/index.js';
import { loadCluster } from '../cluster-input.js';
import { type CliIo, EXIT } from '../io.js';
import type { Action, CliCommand } from '../command.js';

/** `netsim get` */
export const getCommand: CliCommand = {
  register(parser: Argv, io: CliIo, setAction: (a: Action) => void): Argv {
    return parser.command(
      'get <kind>',
      "List the built cluster's nodes, pods, services, endpointslices, deployments, replicasets, statefulsets or daemonsets as kubectl get prints them",
      (y) =>
        y
          .positional('kind', { type: 'string', demandOption: true, choices: [...GET_KIND_NAMES], describe: 'what to list (kubectl spellings: node, no, pod, po, svc, deploy, rs, sts, ds, …)' })
          .option('output', { alias: 'o', type: 'string', choices: [...GET_OUTPUTS], describe: 'wide: more columns (pod IP and node, node IP, selectors); json|yaml: a v1 List of the objects' })
          .option('namespace', { alias: 'n', type: 'string', describe: 'the namespace to list (default: default)' })
          .option('all-namespaces', { alias: 'A', type: 'boolean', describe: 'every namespace, with a NAMESPACE column (-n is then ignored, as kubectl ignores it)' })
          .option('file', { alias: 'f', type: 'string', describe: 'scenario file or folder (default: the built-in scenario)' })
          .example('$0 get pods -o wide', "pods with their IPs and nodes")
          .example('$0 get svc -A', 'every Service: ClusterIPs and nodePorts')
          .example('$0 get nodes -o wide -f scenarios/calico-ipip.yaml', 'nodes with their InternalIPs')
          .example('$0 get rs -o wide -f scenarios/workloads.yaml', "the Deployments' ReplicaSets with their pod-template-hash"),
      (argv) =>
        setAction(() => {
          const kind = getKindOf(argv.kind as string);
          if (kind === undefined) return EXIT.USAGE; // yargs' choices already refused it
          const built = loadCluster(io, argv.file);
          if (built === undefined) return EXIT.INPUT_ERROR;
          const got = getText(built, {
            kind,
            ...(argv.output !== undefined ? { output: argv.output as GetOutput } : {}),
            ...(argv.namespace !== undefined ? { namespace: argv.namespace } : {}),
            allNamespaces: argv['all-namespaces'] === true,
          });
          // kubectl prints "No resources found" on stderr and succeeds.
          if ('notice' in got) io.stderr(got.notice);
          else io.stdout(got.text);
          return EXIT.OK;
        }),
    );
  },
};
