/** The `netsim` executable: binds {@link runCli} to the real process, file system and console. */
import { nodeIo } from './node-io.js';
import { runCli } from './run.js';

// yaml's Parser reads process.env.LOG_TOKENS once per token it lexes (parse/parser.js, `next`),
// and Node's process.env is an exotic object whose every read goes to the C++ environment: about
// a third of the parser's time (a quarter of parsing and composing) on a 5 MB scenario. netsim never changes its environment, so a plain
// copy answers the same reads; a child process (dot) is given the same variables.
process.env = { ...process.env };
const code = await runCli(process.argv.slice(2), nodeIo());
process.exitCode = code;
