/**
 * `--fail MACHINE` and `--fail-link MACHINE/DEV`: the what-if failures a user asks for, checked
 * against the built cluster, and the cluster rebuilt at the two moments that follow them
 * (cluster/assemble/failures.ts): while BGP still holds the routes, and after it withdrew them.
 */
import type { BuiltCluster } from '../cluster/assemble/cluster.js';
import type { FailureRequest, Moment } from '../cluster/assemble/failures.js';
import type { ScenarioFile } from '../scenario/index.js';
import { loadAndBuild } from './scenario.js';

/** The machines a user may fail: nodes and underlay routers. */
function machines(built: BuiltCluster): string[] {
  return [...built.spec.nodes.map((n) => n.name), ...(built.spec.cluster.underlay?.routers.map((r) => r.name) ?? [])];
}

/** Checks the flags' values against the cluster; the failures, or what is wrong. */
export function failureRequests(built: BuiltCluster, fail: readonly string[], failLink: readonly string[]): FailureRequest[] | { problem: string } {
  const known = machines(built);
  const out: FailureRequest[] = [];
  for (const name of fail) {
    if (!known.includes(name)) return { problem: `--fail ${name}: no node or router is called ${name} (there are: ${known.join(', ')})` };
    out.push({ kind: 'machine', target: name });
  }
  for (const text of failLink) {
    const [name, dev, ...rest] = text.split('/');
    if (name === undefined || dev === undefined || dev === '' || rest.length > 0) return { problem: `--fail-link ${text}: write MACHINE/DEVICE, e.g. node-2/eth0` };
    if (!known.includes(name)) return { problem: `--fail-link ${text}: no node or router is called ${name} (there are: ${known.join(', ')})` };
    const devs = Object.values(built.world.netns[name]?.links ?? {}).filter((l) => l.kind !== 'loopback').map((l) => l.name);
    if (!devs.includes(dev)) return { problem: `--fail-link ${text}: ${name} has no device ${dev} (it has: ${devs.join(', ')})` };
    out.push({ kind: 'link', target: name, dev });
  }
  return out;
}

/** The cluster at each moment after the failures: `held` first, then `withdrawn`. */
export function buildMoments(files: readonly ScenarioFile[], seed: number, failures: readonly FailureRequest[]): { readonly moment: Moment; readonly built: BuiltCluster }[] {
  const moments: Moment[] = ['held', 'withdrawn'];
  return moments.flatMap((moment) => {
    const built = loadAndBuild(files, seed, { failures, moment }).built;
    return built === undefined ? [] : [{ moment, built }];
  });
}

/** The line that introduces a moment in `netsim trace --fail`'s text. */
export function momentHeading(built: BuiltCluster): string {
  const f = built.failures;
  if (f === undefined) return '';
  const what = f.requests.map((r) => (r.kind === 'machine' ? r.target : `${r.target}/${r.dev}`)).join(', ');
  if (built.bgp === undefined) return `== ${what} failed (no BGP in this cluster: no route changes after a failure)`;
  if (f.moment === 'held') return `== t=${f.now}s, ${f.now - f.at}s after ${what} failed at t=${f.at}s: BGP sessions to it are still up (hold timers running)`;
  return `== t=${f.now}s, when BGP has nothing left to do after ${what} failed at t=${f.at}s: hold timers expired, routes withdrawn`;
}
