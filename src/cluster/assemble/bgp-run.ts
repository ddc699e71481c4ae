/**
 * BGP in a built cluster: the speakers confd configured (BIRD on the Calico nodes, the underlay's
 * BGP routers) run to convergence over the underlay, and each live speaker's best routes are
 * written into its namespace (BIRD's kernel protocol). With failures, the simulation runs on to
 * the requested moment (failures.ts).
 */
import { runBgp } from '../../bgp/sim.js';
import { programBgpRoutes } from '../../bgp/kernel.js';
import type { BgpFailure, BgpResult, BgpSpeakerConfig } from '../../bgp/types.js';
import type { World } from '../../kernel/world.js';
import { underlayReachability } from './bgp-reach.js';
import { type AppliedFailures, FAILURE_DELAY, type FailureRequest, HELD_AFTER, type Moment } from './failures.js';

/** What BGP left: the result at the moment shown, and the failures it ran with. */
export interface ClusterBgpRun {
  readonly result: BgpResult;
  readonly failures?: AppliedFailures;
  /** Routes BIRD could not write, per speaker, as `birdc` would log them. */
  readonly kernelProblems: readonly { readonly speaker: string; readonly text: string }[];
}

/** Runs the speakers (before any BGP route is in the kernel) and programs their routes. */
export function runClusterBgp(world: World, speakers: readonly BgpSpeakerConfig[], failures: readonly FailureRequest[] = [], moment: Moment = 'withdrawn'): ClusterBgpRun {
  const reachable = underlayReachability(world);
  const converged = runBgp({ speakers, reachable });
  let result = converged;
  let applied: AppliedFailures | undefined;
  if (failures.length > 0) {
    const at = Math.ceil(converged.convergedAt) + FAILURE_DELAY;
    const bgpFailures = failures.map((f): BgpFailure => (f.kind === 'machine' ? { at, kind: 'speaker', speaker: f.target } : { at, kind: 'link', speaker: f.target, dev: f.dev }))
      // A machine without a BGP speaker fails all the same in the kernel model; BGP only hears of it through its links.
      .filter((f) => speakers.some((s) => s.name === f.speaker));
    result = runBgp({ speakers, reachable, failures: bgpFailures, ...(moment === 'held' ? { until: at + HELD_AFTER } : {}) });
    applied = { requests: failures, moment, at, now: moment === 'held' ? at + HELD_AFTER : result.time };
  }
  const kernelProblems: { speaker: string; text: string }[] = [];
  for (const s of speakers) {
    const view = result.speakers[s.name];
    const ns = world.netns[s.name];
    if (view === undefined || ns === undefined) continue;
    const out = programBgpRoutes(ns, s, view);
    for (const r of out.refused) kernelProblems.push({ speaker: s.name, text: `${r.command}: ${r.answer}` });
  }
  return { result, ...(applied !== undefined ? { failures: applied } : {}), kernelProblems };
}
