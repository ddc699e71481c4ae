/**
 * netsim's version, as `netsim --version` prints it. A constant compiled in, so the CLI never
 * reads package.json at run time from a path that depends on where it was installed;
 * test/cli/version.test.ts fails when it and package.json's `version` disagree.
 */
export const NETSIM_VERSION = '0.1.0';
