/**
 * The order vitest starts test files in: the kernel suites that spend minutes waiting on the
 * kernel (probes, netlink monitors, timeouts) first, then vitest's own order.
 *
 * Why: on a fresh clone vitest has no durations cached and starts the largest files first, so
 * the two scenario shards (7-line files that run for about 6 minutes each) started last and ran
 * alone at the end of `.ci/run` (CI of 2026-12-07: both started at 496 s of 845 s). Started
 * first, they wait beside the CPU-bound suites instead of after them.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Longest first, as measured in CI; a file not listed keeps vitest's order after these. */
const WAITING_SUITES: readonly RegExp[] = [
  /\/test\/kernel\/scenario\/scenario-\d+\.diff\.test\.ts$/,
  /\/test\/kernel\/iptables-trace\.diff\.test\.ts$/,
  /\/test\/kernel\/netpol\/matrix\.diff\.test\.ts$/,
  /\/test\/proxy-flow\/kernel\.diff\.test\.ts$/,
  /\/test\/kernel\/scenario\/mtu-vxlan\.diff\.test\.ts$/,
];

function rank(file: TestSpecification): number {
  const id = file.moduleId.replaceAll('\\', '/');
  const i = WAITING_SUITES.findIndex((re) => re.test(id));
  return i < 0 ? WAITING_SUITES.length : i;
}

/** vitest's BaseSequencer, with the waiting kernel suites moved to the front (a stable sort). */
export default class WaitingSuitesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    return sorted
      .map((file, at) => ({ file, at, rank: rank(file) }))
      .sort((a, b) => a.rank - b.rank || a.at - b.at)
      .map((x) => x.file);
  }
}
