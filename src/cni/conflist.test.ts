import { describe, expect, it } from 'vitest';
import { cniNode, runtime } from '../../test/helpers/cni.js';
import { addNetworkList, checkNetworkList, delNetworkList, parseConfList } from './conflist.js';
import { ok } from './outcome.js';
import { createCniRegistry } from './registry.js';
import { CNI_ERROR, type CniPlugin, type CniResult, type JsonValue } from './types.js';

const empty = (tag: string): CniResult => ({ cniVersion: '1.0.0', interfaces: [{ name: tag }], ips: [], routes: [], dns: {} });

/** A plugin that records its calls and appends its type to the result's interfaces. */
function recorder(type: string, log: string[]): CniPlugin {
  return {
    type,
    add: (conf, _rt, _host, prev) => {
      log.push(`ADD ${type} prev=${prev?.interfaces.map((i) => i.name).join(',') ?? 'none'} name=${conf.name} v=${conf.cniVersion} caps=${'capabilities' in conf}`);
      return ok({ ...(prev ?? empty('')), interfaces: [...(prev?.interfaces ?? []), { name: type }] });
    },
    del: (_c, _rt, _h, prev) => {
      log.push(`DEL ${type} prev=${prev?.interfaces.map((i) => i.name).join(',') ?? 'none'}`);
      return ok(undefined);
    },
    check: () => {
      log.push(`CHECK ${type}`);
      return ok(undefined);
    },
  } satisfies CniPlugin;
}

describe('parseConfList', () => {
  it.each<[string, JsonValue, string]>([
    ['not an object', [], 'not a JSON object'],
    ['no name', { plugins: [{ type: 'bridge' }] }, 'no name'],
    ['no plugins', { name: 'n' }, "no 'plugins' key"],
    ['empty plugins', { name: 'n', plugins: [] }, 'no plugins in list'],
    ['plugin without type', { name: 'n', plugins: [{}] }, "plugin 0: missing 'type'"],
  ])('%s → code 7', (_what, doc, msg) => {
    expect(parseConfList(doc)).toEqual({ ok: false, error: { code: CNI_ERROR.INVALID_CONFIG, msg: `error parsing configuration list: ${msg}` } });
  });

  it('fills in name and cniVersion, drops capabilities; a single .conf is a list of one', () => {
    const list = parseConfList({ name: 'cbr0', cniVersion: '1.0.0', plugins: [{ type: 'a', capabilities: { portMappings: true }, x: 1 }] });
    expect(list.ok && list.value.plugins).toEqual([{ type: 'a', x: 1, name: 'cbr0', cniVersion: '1.0.0' }]);
    const single = parseConfList({ name: 'n', cniVersion: '0.4.0', type: 'bridge' });
    expect(single.ok && single.value.plugins.map((p) => p.type)).toEqual(['bridge']);
  });
});

describe('running a list as libcni does', () => {
  const log: string[] = [];
  const registry = createCniRegistry([recorder('a', log), recorder('b', log)]);
  const { host } = cniNode('node', ['pod']);
  const parsed = parseConfList({ name: 'net', cniVersion: '1.0.0', plugins: [{ type: 'a', capabilities: { x: true } }, { type: 'b' }] });
  if (!parsed.ok) throw new Error(parsed.error.msg);
  const env = { host, registry };
  const rt = runtime('cid', 'pod');

  it('ADD in order with prevResult, DEL in reverse with the final result, CHECK in order', () => {
    const added = addNetworkList(parsed.value, rt, env);
    expect(added.ok && added.value.interfaces.map((i) => i.name)).toEqual(['a', 'b']);
    if (!added.ok) return;
    expect(delNetworkList(parsed.value, rt, env, added.value).ok).toBe(true);
    expect(checkNetworkList(parsed.value, rt, env, added.value).ok).toBe(true);
    expect(log).toEqual([
      'ADD a prev=none name=net v=1.0.0 caps=false',
      'ADD b prev=a name=net v=1.0.0 caps=false',
      'DEL b prev=a,b',
      'DEL a prev=a,b',
      'CHECK a',
      'CHECK b',
    ]);
  });

  it('an unknown type fails like a missing binary', () => {
    const list = parseConfList({ name: 'n', plugins: [{ type: 'nope' }] });
    if (!list.ok) throw new Error(list.error.msg);
    expect(addNetworkList(list.value, rt, env)).toEqual({ ok: false, error: { code: 999, msg: 'failed to find plugin "nope" in path [/opt/cni/bin]' } });
  });

  it('disableCheck skips CHECK', () => {
    const list = parseConfList({ name: 'n', disableCheck: true, plugins: [{ type: 'nope' }] });
    if (!list.ok) throw new Error(list.error.msg);
    expect(checkNetworkList(list.value, rt, env, empty('x')).ok).toBe(true);
  });

  it('a registry refuses two plugins of one type', () => {
    expect(() => createCniRegistry([recorder('a', []), recorder('a', [])])).toThrow(/two CNI plugins/);
  });
});
