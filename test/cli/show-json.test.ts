/**
 * `netsim show NAME SECTION -o json`: addr, route, rule and neigh as `ip -j` prints them (the
 * kernel's own `ip -j` is compared in test/kernel/import). Goldens for node-1 and pod-a of the
 * built-in scenario; each JSON lists what the text form lists, in its order.
 */
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

type Route = { type?: string; dst: string; dev?: string; table?: string; flags: string[] };

describe('netsim show -o json', () => {
  it.each([
    ['node-1', 'addr'],
    ['node-1', 'route'],
    ['node-1', 'rule'],
    ['node-1', 'neigh'],
    ['pod-a', 'addr'],
    ['pod-a', 'route'],
  ])('%s %s matches its golden and is one line of JSON, as ip -j prints', async (name, section) => {
    const run = await cli(['show', name, section, '-o', 'json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.endsWith('\n')).toBe(true);
    expect(run.stdout.trimEnd().includes('\n')).toBe(false);
    expect(Array.isArray(JSON.parse(run.stdout))).toBe(true);
    await expect(run.stdout).toMatchFileSnapshot(`../golden/show-json/${name}.${section}.json`);
  });

  it('route lists every route the text form lists, in its order', async () => {
    const text = (await cli(['show', 'node-1', 'route'])).stdout.trimEnd().split('\n');
    const json = JSON.parse((await cli(['show', 'node-1', 'route', '-o', 'json'])).stdout) as Route[];
    expect(json.length).toBe(text.length);
    json.forEach((r, i) => {
      const words = (text[i] ?? '').trim().split(' ');
      expect(words[0] === r.type ? words[1] : words[0]).toBe(r.dst);
      if (r.dev !== undefined) expect(words[words.indexOf('dev') + 1]).toBe(r.dev);
      expect(words.includes('linkdown')).toBe(r.flags.includes('linkdown'));
    });
  });

  it("addr names a veth's peer by ifindex and netnsid, as ip -j addr does", async () => {
    const devs = JSON.parse((await cli(['show', 'node-1', 'addr', '-o', 'json'])).stdout) as { ifname: string; link_index?: number; link_netnsid?: number; master?: string }[];
    const veths = devs.filter((d) => d.ifname.startsWith('veth'));
    expect(veths.length).toBeGreaterThan(0);
    for (const v of veths) expect(v).toMatchObject({ link_index: 2, master: 'cni0' });
    expect(veths.map((v) => v.link_netnsid)).toEqual(veths.map((_, i) => i));
    expect(devs.find((d) => d.ifname === 'eth0')?.link_netnsid).toBeUndefined();
  });

  it('refuses a section without a JSON form, naming those that have one', async () => {
    const run = await cli(['show', 'node-1', 'iptables', '-o', 'json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('iptables has no JSON form: -o json shows addr, route, rule, neigh');
    expect(run.stdout).toBe('');
  });
});
