/**
 * `netsim export bird NODE` as a function: the BIRD 2 configuration of one BGP speaker of a
 * built cluster (a Calico node's BIRD, or an underlay router's BGP daemon), for a lab.
 */
import type { BgpSpeakerConfig } from '../bgp/types.js';
import type { BuiltCluster } from '../cluster/assemble/cluster.js';
import { type BirdConfigOptions, birdConfig } from '../render/bird-config.js';

/** The speaker called `name`, or why there is none (no BGP at all, or a name that is not a speaker). */
export function findSpeaker(built: BuiltCluster, name: string): { readonly speaker: BgpSpeakerConfig } | { readonly problem: string } {
  const speakers = built.bgp?.speakers ?? [];
  if (speakers.length === 0) {
    return { problem: `no BGP in this scenario (cni ${built.spec.cluster.cni.type}): no node runs BIRD and no router has bgp.asNumber` };
  }
  const speaker = speakers.find((s) => s.name === name);
  if (speaker !== undefined) return { speaker };
  const names = speakers.map((s) => s.name).sort();
  return { problem: `${name} runs no BGP speaker; the speakers are: ${names.join(', ')}` };
}

/** `bird.conf` for the speaker called `name` (see {@link birdConfig}), or the problem. */
export function exportBird(built: BuiltCluster, name: string, opts: BirdConfigOptions = {}): { readonly text: string } | { readonly problem: string } {
  const found = findSpeaker(built, name);
  if ('problem' in found) return found;
  return { text: birdConfig(found.speaker, opts) };
}
