/**
 * How BIRD 1.6 prints a protocol's or a route's "since" time, in simulated time.
 *
 * BIRD's default `timeformat protocol` and `timeformat route` are `iso short` (conf/conf.c:
 * `{ "%T", "%F", 20*3600 }`): the time of day (`%T`, `05:04:44`) when the moment is less than
 * 20 hours before now, else the date (`%F`, `2024-05-01`). BIRD 1.6 counts whole seconds.
 *
 * netsim has no wall clock: simulated time 0 (when every speaker starts) is
 * {@link BGP_EPOCH} = 2024-01-01 00:00:00 UTC, so a session that came up 2.4 s into the
 * simulation shows `00:00:02`, and `calicoctl node status` and `birdcl` agree with the
 * timeline's seconds.
 */

/** Simulated time 0 as a Unix time in milliseconds: 2024-01-01T00:00:00Z. */
export const BGP_EPOCH = Date.UTC(2024, 0, 1);

/** BIRD's `iso short` limit: older moments print as a date. */
const ISO_SHORT_LIMIT = 20 * 3600;

/**
 * `tm_format_datetime(…, &config->tf_proto, t)` for simulated seconds `t`, printed at simulated
 * time `now` (the end of the run): `HH:MM:SS`, or `YYYY-MM-DD` when `t` is 20 hours or more before `now`.
 */
export function birdTime(t: number, now: number): string {
  const secs = Math.floor(t);
  const iso = new Date(BGP_EPOCH + secs * 1000).toISOString();
  return Math.floor(now) - secs >= ISO_SHORT_LIMIT ? iso.slice(0, 10) : iso.slice(11, 19);
}
