/** `netsim export bird NODE`: a speaker's BIRD 2 configuration, or a clear error. */
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

describe('netsim export bird', () => {
  it('says there is no BGP in a scenario without speakers, with the usage exit code', async () => {
    const run = await cli(['export', 'bird', 'node-1']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^netsim export bird: no BGP in this scenario \(cni [a-z]+\)/);
  });

  it('asks what to export when given nothing', async () => {
    const run = await cli(['export']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('netsim export bird NODE');
  });

  it('refuses a hold time BIRD would refuse', async () => {
    const run = await cli(['export', 'bird', 'node-1', '--hold', '2']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--hold must be a whole number of seconds, at least 3');
  });
});
