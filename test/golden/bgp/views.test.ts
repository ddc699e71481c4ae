/**
 * Goldens of the BGP views over hand-written simulation results (test/helpers/bgp-views.ts): for
 * each fixture, every speaker's `show NODE bgp` text, the timeline (text and JSON) and the
 * `--view bgp` DOT. They pin the formats until the scenarios' end-to-end goldens exist.
 * Regenerate with `npx vitest run test/golden/bgp -u` and review the diff.
 */
import { describe, expect, it } from 'vitest';
import { formatIp } from '../../../src/addr/ip.js';
import { bgpShowText } from '../../../src/render/bgp-show.js';
import { bgpTimelineJson, bgpTimelineText } from '../../../src/render/bgp-timeline.js';
import type { NextHopResolver } from '../../../src/render/birdc-route.js';
import { bgpDot } from '../../../src/render/dot/bgp.js';
import { failedMeshBgp, meshBgp, rrBgp, torBgp } from '../../helpers/bgp-views.js';

const FIXTURES = { mesh: meshBgp(), 'mesh-failed': failedMeshBgp(), rr: rrBgp(), tor: torBgp() } as const;

/** The fixtures' speakers share 192.168.1.0/24 on eth0. */
const onEth0: NextHopResolver = (hop) => (formatIp(hop).startsWith('192.168.1.') ? { dev: 'eth0', igpMetric: 0 } : undefined);

describe.each(Object.entries(FIXTURES))('BGP views of the %s fixture', (name, fixture) => {
  it.each(fixture.speakers.map((s) => s.name))('show %s bgp', async (speaker) => {
    const view = fixture.result.speakers[speaker];
    if (view === undefined) throw new Error(`no ${speaker}`);
    const config = fixture.speakers.find((s) => s.name === speaker);
    const text = bgpShowText({ view, now: fixture.result.time, ...(config !== undefined ? { config } : {}) }, onEth0);
    await expect(text).toMatchFileSnapshot(`${name}/show-${speaker}-bgp.txt`);
  });

  it('timeline', async () => {
    await expect(bgpTimelineText(fixture.result)).toMatchFileSnapshot(`${name}/timeline.txt`);
    await expect(`${JSON.stringify(bgpTimelineJson(fixture.result), null, 2)}\n`).toMatchFileSnapshot(`${name}/timeline.json`);
  });

  it('--view bgp', async () => {
    const dot = bgpDot(fixture, `BGP sessions of the ${name} fixture`);
    await expect(dot).toMatchFileSnapshot(`${name}/bgp.dot`);
  });
});
