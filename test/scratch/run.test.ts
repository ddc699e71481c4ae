import { it } from 'vitest';
import { cli } from '../helpers/cli.js';
it('run', async () => {
  const args = (process.env.ARGS ?? '').split(' ');
  const r = await cli(args);
  console.log(r.code, r.stdout, r.stderr);
});
