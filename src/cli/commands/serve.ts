/** `netsim serve`: the browser playground, served from this machine. */
import type { Argv } from 'yargs';
import type { Action, CliCommand } from '../command.js';
import { type CliIo, EXIT } from '../io.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** `netsim serve` */
export const serveCommand: CliCommand = {
  register(parser: Argv, io: CliIo, setAction: (a: Action) => void): Argv {
    return parser.command(
      'serve',
      'Serve the browser playground (edit a scenario, trace, show; everything runs in the page)',
      (y) =>
        y
          .option('port', { alias: 'p', type: 'number', default: 8080, describe: 'TCP port (0: any free port)' })
          .option('host', { type: 'string', default: '127.0.0.1', describe: 'address to listen on' })
          .option('root', { type: 'string', describe: 'folder of the built playground (default: dist/web)' })
          .check((a) => {
            const port = a['port'];
            if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a whole number from 0 to 65535, got ${String(port)}`);
            return true;
          })
          .example('$0 serve', 'open http://127.0.0.1:8080/ in a browser')
          .example('$0 serve --port 0', 'any free port; the URL is printed'),
      (argv) => setAction(() => serveAction(io, argv.root, argv.host, argv.port)),
    );
  },
};

async function serveAction(io: CliIo, rootOption: string | undefined, host: string, port: number): Promise<number> {
  // Loaded here: node:http (with net and streams) costs every other command's start a few ms.
  const { defaultWebRoot, serveStatic } = await import('../serve.js');
  const root = rootOption ?? defaultWebRoot();
  if (!existsSync(join(root, 'index.html')) || !existsSync(join(root, 'app.js'))) {
    io.stderr(`netsim serve: ${root} has no built playground; run npm run build:web\n`);
    return EXIT.INPUT_ERROR;
  }
  const running = await serveStatic(root, host, port).catch((e: unknown) => {
    io.stderr(`netsim serve: cannot listen on ${host}:${port}: ${(e as { code?: string }).code ?? String(e)}\n`);
    return undefined;
  });
  if (running === undefined) return EXIT.INPUT_ERROR;
  io.stdout(`netsim playground: ${running.url}\n(Ctrl-C to stop)\n`);
  // Serve until the process is stopped: this promise never settles.
  return new Promise<number>(() => undefined);
}
