/** The `-f` option every scenario-reading command shares: repeatable, files and folders merged. */

/** Options that may be given several times; {@link checkSingleValues} lets them through. */
export const REPEATABLE_OPTIONS: ReadonlySet<string> = new Set(['file', 'f', 'then']);

/**
 * `-f FILE|DIR|-`, repeatable. Declared as a string (not a yargs array, which would swallow the
 * positionals after it: `trace -f a.yaml pod-a pod-b`); yargs gathers repeats into an array.
 */
export const FILE_OPTION = {
  alias: 'f',
  type: 'string',
  describe: 'scenario file, folder or - (stdin); repeat to merge (default: built-in)',
} as const;
