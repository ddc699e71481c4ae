#!/usr/bin/env node
/** The `netsim` executable: binds {@link runCli} to the real process, file system and console. */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import process from 'node:process';
import { runCli } from './run.js';

const code = await runCli(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  readFile: (p) => readFileSync(p, 'utf8'),
  readDir: (p) => readdirSync(p),
  writeFile: (p, d) => writeFileSync(p, d),
  isTTY: process.stdout.isTTY === true,
  env: process.env,
});
process.exitCode = code;
