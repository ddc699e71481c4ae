#!/usr/bin/env node
/** The `netsim` executable: binds {@link runCli} to the real process, file system and console. */
import process from 'node:process';
import { nodeIo } from './node-io.js';
import { runCli } from './run.js';

const code = await runCli(process.argv.slice(2), nodeIo());
process.exitCode = code;
