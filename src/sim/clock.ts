/**
 * A simulated clock that only moves when told to (`netsim trace --then "wait 130s"`). Nothing
 * reads the wall clock: a session's conntrack timeouts, `-m recent --seconds` and nft set
 * timeouts all compare against this clock's `now()`, so the same session prints the same text.
 */

/** Simulated time in seconds since the session began, advanced explicitly. */
export interface SimClock {
  readonly now: () => number;
  /** Moves time forward by `seconds` (never back: a negative or non-finite step is a bug). */
  readonly advance: (seconds: number) => void;
}

/** A clock starting at `start` seconds. */
export function manualClock(start = 0): SimClock {
  let t = start;
  return {
    now: () => t,
    advance: (seconds: number) => {
      if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError(`a clock moves forward only, not by ${seconds} s`);
      t += seconds;
    },
  };
}
